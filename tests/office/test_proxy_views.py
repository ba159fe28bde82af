"""The officers' anti-proxy list (DOMAIN §4): every officer who sees violations sees it; only a
role with violations.proxy_clear clears a case, with a reason, into the history."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory
from tests.violations.online_factories import owner_with_vehicle
from vmo.core import clock
from vmo.core.models import Event
from vmo.violations.models import ProxySuspect

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspect():
    driver = owner_with_vehicle()
    return ProxySuspect.objects.create(
        kind="driver",
        person=driver.person,
        listed_at=datetime(2025, 8, 10, 10, 0, tzinfo=clock.OFFICE_TZ),
        evidence={"decisions": ["6523202500000001"], "vehicles": [1, 2, 3]},
    )


def test_citizens_never_see_the_list(client, suspect):
    client.force_login(CitizenFactory())
    assert client.get(reverse("violations_office:proxy_list")).status_code in (302, 403)


def test_a_clerk_sees_the_case_but_may_not_clear_it(officer_client, suspect):
    client = officer_client("clerk")
    page = client.get(reverse("violations_office:proxy_list")).content.decode()
    assert "6523202500000001" in page and "Online handling suspended" in page
    assert "Clear this case" not in page
    response = client.post(
        reverse("violations_office:proxy_clear", kwargs={"pk": suspect.pk}),
        {f"c{suspect.pk}-reason": "checked"},
    )
    assert response.status_code == 403
    suspect.refresh_from_db()
    assert suspect.cleared_at is None


def test_a_supervisor_clears_with_a_reason_and_an_empty_one_is_refused(officer_client, suspect):
    client = officer_client("supervisor")
    url = reverse("violations_office:proxy_clear", kwargs={"pk": suspect.pk})
    response = client.post(url, {f"c{suspect.pk}-reason": ""})
    assert response.status_code == 422 and "error-summary" in response.content.decode()
    response = client.post(url, {f"c{suspect.pk}-reason": "Family cars, seen in person."})
    assert response.status_code == 302
    suspect.refresh_from_db()
    assert suspect.cleared_by == client.officer
    event = Event.objects.get(action="proxy.clear")
    assert event.actor_id == client.officer.pk and event.reason == "Family cars, seen in person."
    page = client.get(reverse("violations_office:proxy_list") + "?all=1").content.decode()
    assert "Family cars, seen in person." in page
