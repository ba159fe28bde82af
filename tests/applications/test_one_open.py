"""One open application per business and record, held by the database; an application the
records no longer allow is closed with the reason in its history (issue 15, finding 1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from vmo.applications import services
from vmo.applications.models import Application
from vmo.core.models import Event

from .conftest import start
from .workbench_helpers import submitted_renewal

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_second_renewal_beside_an_open_one_is_refused_with_its_reference(holder):
    first = start(holder, "D02")
    with pytest.raises(ValidationError) as refused:
        start(holder, "D02")
    assert "open_application" in refused.value.error_dict
    assert first.reference in refused.value.messages[0]
    assert Application.objects.count() == 1
    # Another business for the same licence is a different application.
    assert start(holder, "D03").business_code == "D03"


def test_the_database_refuses_a_second_open_one_whatever_the_path(holder):
    first = start(holder, "D02")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            reference="SQ20261124SECOND1",
            business_code="D02",
            applicant=holder,
            person=holder.person,
            licence=first.licence,
            idempotency_key="another-key-0000000",
        )


def test_once_the_first_is_withdrawn_a_new_one_can_start(holder):
    first = start(holder, "D02")
    services.application_withdraw(actor=holder, application=first)
    assert start(holder, "D02").pk != first.pk


def test_the_start_page_links_to_the_open_one(holder):
    first = start(holder, "D02")
    client = Client()
    client.force_login(holder)
    page = client.get("/applications/new/D02/", **EN).content.decode()
    assert f'href="/applications/{first.reference}/"' in page
    assert "You already have an open application for this" in page
    response = client.post(
        "/applications/new/D02/", {"idempotency_key": "k" * 32}, **EN
    ).content.decode()
    assert first.reference in response and "is already open" in response
    assert Application.objects.count() == 1


def test_a_renewal_made_moot_by_the_records_is_closed_and_stops_asking_for_the_fee(holder):
    waiting = submitted_renewal(holder, paid=False)
    client = Client()
    client.force_login(holder)
    assert "Pay ¥10.00" in client.get(f"/applications/{waiting.reference}/", **EN).content.decode()
    # Renewed at the service hall, outside the engine: the renewal window has passed.
    licence = waiting.licence
    licence.valid_from, licence.valid_to = date(2026, 11, 24), date(2032, 11, 24)
    licence.save()
    # The next change the engine makes to this licence closes what the records no longer allow.
    other = start(holder, "D09")
    services.application_update(
        actor=holder,
        application=other,
        data={"phone": "13800138000", "address": "新疆乌鲁木齐市天山区解放北路1号"},
    )
    other = services.application_submit(actor=holder, application=other)
    assert other.status == "completed", other.status
    waiting.refresh_from_db()
    assert waiting.status == "closed" and waiting.closed_reason == "moot"
    event = Event.objects.get(subject_id=str(waiting.pk), action="application.close")
    assert event.after["by"] == other.reference and event.actor_id is None
    page = client.get(f"/applications/{waiting.reference}/", **EN).content.decode()
    assert "Pay ¥10.00" not in page
    assert "the records changed, so it is no longer needed" in page
    assert "Closed: no longer needed" in page
