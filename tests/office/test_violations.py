"""The officers' violation pages: who may open them, search, a record's file, voiding, batches."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory, LicenceFactory, VehicleFactory
from tests.violations.intake_helpers import csv_rows, record
from vmo.core.clock import OFFICE_TZ
from vmo.core.models import Event
from vmo.violations.choices import HandlingStatus, IntakeChannel
from vmo.violations.intake import intake_records
from vmo.violations.models import Violation, ViolationCode

from .factories import ViolationFactory

pytestmark = pytest.mark.django_db

PAGES = ["violations_office:violations", "violations_office:intake_batches"]


@pytest.fixture
def red_light():
    return ViolationCode.objects.get(code="1625")


@pytest.fixture
def flagged_vehicle():
    licence = LicenceFactory()
    vehicle = VehicleFactory(owner_person=licence.holder, plate="新B7K3M2", flags="G", status="G")
    return vehicle


def _violation(vehicle=None, n=0, **kwargs):
    kwargs.setdefault("code", ViolationCode.objects.get(code="1625"))
    kwargs.setdefault("evidence", ["cam/1.jpg", "cam/2.jpg"])
    return ViolationFactory(vehicle=vehicle, record_id=f"R{n:06d}", **kwargs)


# --- Access --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_the_officer_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:officer_login"))


@pytest.mark.parametrize("name", PAGES)
def test_citizens_never_reach_the_pages(client, name):
    client.force_login(CitizenFactory())
    response = client.get(reverse(name))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("name", PAGES)
def test_a_role_without_the_capability_is_refused(officer_client, name):
    assert officer_client("editor").get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role", ["clerk", "reviewer", "supervisor", "auditor"])
def test_the_roles_that_view_records(officer_client, role):
    violation = _violation()
    client = officer_client(role)
    assert client.get(reverse("violations_office:violations")).status_code == 200
    assert (
        client.get(reverse("violations_office:violation_detail", args=[violation.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("role", ["clerk", "reviewer", "auditor"])
def test_only_supervisors_void(officer_client, role):
    violation = _violation()
    client = officer_client(role)
    page = client.get(reverse("violations_office:violation_detail", args=[violation.pk]))
    assert "Void this record" not in page.text
    response = client.post(
        reverse("violations_office:violation_void", args=[violation.pk]),
        {"ground": "7", "reason": "x"},
    )
    assert response.status_code == 403
    violation.refresh_from_db()
    assert violation.handling_status == HandlingStatus.UNHANDLED


# --- Search --------------------------------------------------------------------------------


def test_search_filters_by_every_criterion(officer_client, flagged_vehicle):
    day = datetime(2026, 3, 1, 9, 30, tzinfo=OFFICE_TZ)
    target = _violation(flagged_vehicle, 1, occurred_at=day)
    _violation(flagged_vehicle, 2, occurred_at=day - timedelta(days=10))
    _violation(None, 3, occurred_at=day, plate_number="新B99999")
    _violation(
        flagged_vehicle,
        4,
        occurred_at=day,
        code=ViolationCode.objects.get(code="1039"),
    )
    _violation(flagged_vehicle, 5, occurred_at=day, handling_status=HandlingStatus.HANDLED)
    client = officer_client("clerk")
    response = client.get(
        reverse("violations_office:violations"),
        {
            "plate": "新b·7k3m2",
            "date_from": "2026-03-01",
            "date_to": "2026-03-01",
            "code": "1625",
            "handling_status": "0",
        },
    )
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [target]
    by_id = client.get(reverse("violations_office:violations"), {"record_id": "R000003"})
    assert [v.record_id for v in by_id.context["page"].object_list] == ["R000003"]


def test_search_without_criteria_lists_the_newest_first_50_a_page(officer_client):
    start = datetime(2026, 1, 1, 8, 0, tzinfo=OFFICE_TZ)
    for n in range(55):
        _violation(None, n, occurred_at=start + timedelta(hours=n))
    client = officer_client("clerk")
    first = client.get(reverse("violations_office:violations"))
    rows = list(first.context["page"].object_list)
    assert len(rows) == 50 and rows[0].record_id == "R000054"
    second = client.get(reverse("violations_office:violations"), {"page": 2})
    assert [v.record_id for v in second.context["page"].object_list][-1] == "R000000"
    assert "55 records" in first.text


def test_search_reports_bad_criteria(officer_client):
    response = officer_client("clerk").get(
        reverse("violations_office:violations"),
        {"plate": "新B1", "date_from": "2026-03-02", "date_to": "2026-03-01"},
    )
    assert response.status_code == 200
    assert response.context["page"] is None
    errors = response.context["form"].errors
    assert set(errors) == {"plate", "date_to"}


def test_search_queries_do_not_grow_with_the_rows(officer_client, django_assert_max_num_queries):
    client = officer_client("clerk")
    for n in range(30):
        _violation(None, n)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("violations_office:violations"), {"code": "1625"})
    assert len(response.context["page"].object_list) == 30


# --- A record's file and voiding -------------------------------------------------------------


def test_detail_shows_the_facts_evidence_and_the_owner_masked(officer_client, flagged_vehicle):
    violation = _violation(flagged_vehicle, 1, speed_kmh=None)
    owner = flagged_vehicle.owner_person
    response = officer_client("clerk").get(
        reverse("violations_office:violation_detail", args=[violation.pk])
    )
    text = response.text
    assert "R000001" in text and "cam/1.jpg" in text and "cam/2.jpg" in text
    assert "新B·7K3M2" in text  # written one way (core.plates)
    assert owner.name not in text and owner.id_number not in text
    assert owner.name[0] + "*" in text


def test_detail_queries_are_bounded(officer_client, flagged_vehicle, django_assert_max_num_queries):
    violation = _violation(flagged_vehicle, 1)
    client = officer_client("supervisor")
    # 16: the counter-handling section reads why online handling refuses (owner's licence, points).
    with django_assert_max_num_queries(16):
        client.get(reverse("violations_office:violation_detail", args=[violation.pk]))


def test_unknown_record_is_404(officer_client):
    assert (
        officer_client("clerk")
        .get(reverse("violations_office:violation_detail", args=[999]))
        .status_code
        == 404
    )


def test_void_needs_a_reason(officer_client, flagged_vehicle):
    violation = _violation(flagged_vehicle, 1)
    client = officer_client("supervisor")
    response = client.post(
        reverse("violations_office:violation_void", args=[violation.pk]),
        {"ground": "7", "reason": " "},
    )
    assert response.status_code == 422
    assert "Give the reason for voiding this record." in response.text
    violation.refresh_from_db()
    assert violation.handling_status == HandlingStatus.UNHANDLED


def test_void_erases_the_record_and_clears_g_when_nothing_else_is_unhandled(
    officer_client, flagged_vehicle
):
    first = _violation(flagged_vehicle, 1)
    second = _violation(flagged_vehicle, 2)
    client = officer_client("supervisor")
    url = reverse("violations_office:violation_void", args=[first.pk])
    response = client.post(url, {"ground": "7", "reason": "plate misread: 新B7K3M8 on the photo"})
    assert response.status_code == 302
    first.refresh_from_db()
    flagged_vehicle.refresh_from_db()
    assert first.handling_status == HandlingStatus.DELETED
    assert first.payment_status == 9
    assert "G" in flagged_vehicle.status  # the second record is still unhandled
    event = Event.objects.get(action="violation.void", subject_id=str(first.pk))
    assert event.reason == "plate misread: 新B7K3M8 on the photo"
    assert event.after["ground"] == "7"
    assert event.actor_id == client.officer.pk

    client.post(
        reverse("violations_office:violation_void", args=[second.pk]),
        {"ground": "6", "reason": "blurred"},
    )
    flagged_vehicle.refresh_from_db()
    assert (flagged_vehicle.flags, flagged_vehicle.status) == ("", "A")
    page = client.get(reverse("violations_office:violation_detail", args=[second.pk]))
    assert "violation.void" in page.text and "blurred" in page.text
    assert "Void this record" not in page.text


def test_a_handled_record_cannot_be_voided(officer_client, flagged_vehicle):
    violation = _violation(flagged_vehicle, 1, handling_status=HandlingStatus.HANDLED)
    response = officer_client("supervisor").post(
        reverse("violations_office:violation_void", args=[violation.pk]),
        {"ground": "7", "reason": "x"},
    )
    assert response.status_code == 422
    violation.refresh_from_db()
    assert violation.handling_status == HandlingStatus.HANDLED


# --- Intake batches ----------------------------------------------------------------------------


def _delivery():
    return intake_records(
        rows=csv_rows([record(1), record(2, code="9999", place=""), record(3)]),
        channel=IntakeChannel.COMMAND,
        source_name="cameras-0301.csv",
    )


def test_batches_list_and_a_batch_with_its_refused_rows(officer_client):
    batch = _delivery()
    client = officer_client("clerk")
    listing = client.get(reverse("violations_office:intake_batches"))
    assert "cameras-0301.csv" in listing.text
    assert reverse("violations_office:intake_batch", args=[batch.pk]) in listing.text
    page = client.get(reverse("violations_office:intake_batch", args=[batch.pk]))
    assert page.status_code == 200
    assert "Violation code 9999 is not in the office&#x27;s code table." in page.text
    assert "The place is missing." in page.text
    assert Violation.objects.filter(batch=batch).count() == 2


def test_batch_pages_have_bounded_queries(officer_client, django_assert_max_num_queries):
    for _n in range(3):
        _delivery()
    client = officer_client("clerk")
    batch = _delivery()
    with django_assert_max_num_queries(13):
        client.get(reverse("violations_office:intake_batches"))
    with django_assert_max_num_queries(13):
        client.get(reverse("violations_office:intake_batch", args=[batch.pk]))
    assert client.get(reverse("violations_office:intake_batch", args=[99999])).status_code == 404
