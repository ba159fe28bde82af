"""The open-sessions list has one FilterSet, read by the page and by the API: the same filters
kept, the same ones refused with the same message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from tests.factories import CitizenFactory

from .helpers import TODAY, exam_session, inspection_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def citizen(client):
    user = CitizenFactory()
    client.force_login(user)
    return user


def test_page_and_api_refuse_the_same_filters_with_the_same_messages(client, citizen):
    inspection_session()
    query = {"kind": "haircut", "day": "tomorrow", "site": "99999"}
    with translation.override("en"):
        page = client.get("/appointments/sessions/", query, HTTP_ACCEPT_LANGUAGE="en")
        api = client.get("/api/v1/appointments/sessions", query, HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 422
    errors = {e["field"]: e["message"] for e in api.json()["errors"]}
    assert set(errors) == {"kind", "day", "site"}
    body = page.content.decode()
    for message in errors.values():
        assert message in body, message


def test_page_and_api_keep_the_same_sessions(client, citizen):
    kept = inspection_session(day=TODAY + timedelta(days=3))
    exam_session("1")
    api = client.get("/api/v1/appointments/sessions", {"kind": "inspection"}).json()
    assert [row["id"] for row in api["items"]] == [kept.pk]
    page = client.get("/appointments/sessions/", {"kind": "inspection"}).content.decode()
    assert f"/appointments/sessions/{kept.pk}/book/" in page
