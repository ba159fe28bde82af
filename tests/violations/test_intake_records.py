"""The services behind intake: bulk G letters, voiding a record, and the code-table admin."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import OfficerFactory, PersonFactory, VehicleFactory
from tests.office.conftest import sign_in_verified
from tests.office.factories import ViolationFactory
from vmo.core.clock import OFFICE_TZ
from vmo.core.models import Event
from vmo.registry.models import Vehicle
from vmo.registry.services import vehicles as registry_vehicle_services
from vmo.registry.services import vehicles_add_flag_bulk
from vmo.violations.choices import HandlingStatus, NominationStatus
from vmo.violations.intake import intake_client_for_key
from vmo.violations.models import DriverNomination, IntakeClient, ViolationCode
from vmo.violations.records import violation_code_save, violation_void

pytestmark = pytest.mark.django_db


# --- vehicles_add_flag_bulk ----------------------------------------------------------------


def test_bulk_flag_derives_status_and_writes_one_summary_event_per_batch(monkeypatch):
    monkeypatch.setattr(registry_vehicle_services, "VEHICLE_FLAG_BATCH", 2)
    subject = PersonFactory()  # any record can stand for the cause
    overdue = VehicleFactory(inspection_valid_until=date(2020, 1, 1), flags="D")
    fine = VehicleFactory()
    done = VehicleFactory(flags="G", status="G")
    changed = vehicles_add_flag_bulk(
        vehicle_ids=[overdue.pk, fine.pk, done.pk, fine.pk],
        letter="G",
        reason="camera records",
        subject=subject,
    )
    assert changed == 2
    statuses = dict(Vehicle.objects.values_list("pk", "status"))
    assert statuses == {overdue.pk: "DGQ", fine.pk: "G", done.pk: "G"}
    assert Vehicle.objects.get(pk=overdue.pk).flags == "DG"
    events = list(Event.objects.filter(action="vehicles.flag_bulk").order_by("id"))
    # Two batches of two ids; the second holds only the vehicle that already had G.
    assert [e.after["vehicle_ids"] for e in events] == [sorted([overdue.pk, fine.pk])]
    assert events[0].reason == "camera records"
    assert events[0].subject_type == "registry.person"


def test_bulk_flag_refuses_derived_letters_and_a_missing_reason():
    subject = PersonFactory()
    with pytest.raises(ValidationError):
        vehicles_add_flag_bulk(vehicle_ids=[1], letter="Q", reason="x", subject=subject)
    with pytest.raises(ValidationError):
        vehicles_add_flag_bulk(vehicle_ids=[1], letter="G", reason="", subject=subject)


# --- violation_void --------------------------------------------------------------------------


@pytest.fixture
def officer():
    return OfficerFactory(role="supervisor")


def test_void_reports_every_problem_at_once(officer):
    violation = ViolationFactory(handling_status=HandlingStatus.HANDLED)
    with pytest.raises(ValidationError) as caught:
        violation_void(violation=violation, actor=officer, reason="", ground="99")
    assert set(caught.value.message_dict) == {"reason", "ground", "__all__"}
    assert not Event.objects.filter(action="violation.void").exists()


def test_void_expires_a_pending_nomination(officer):
    violation = ViolationFactory(vehicle=VehicleFactory(flags="G", status="G"))
    nomination = DriverNomination.objects.create(
        violation=violation,
        nominated_by=officer,
        driver=PersonFactory(),
        created_at=datetime(2026, 3, 2, tzinfo=OFFICE_TZ),
    )
    violation_void(violation=violation, actor=officer, reason="emergency vehicle", ground="1")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.EXPIRED
    violation.vehicle.refresh_from_db()
    assert violation.vehicle.status == "A"
    change = Event.objects.get(action="vehicle.status", subject_id=str(violation.vehicle.pk))
    assert "voided" in change.reason


def test_void_twice_is_refused(officer):
    violation = ViolationFactory()
    violation_void(violation=violation, actor=officer, reason="blurred photo", ground="6")
    with pytest.raises(ValidationError):
        violation_void(violation=violation, actor=officer, reason="again", ground="6")
    assert Event.objects.filter(action="violation.void").count() == 1


# --- The code table ----------------------------------------------------------------------------


def test_code_changes_are_checked_and_recorded(officer):
    code = ViolationCode.objects.get(code="1357")
    code.points, code.fine_min_fen = 4, 30000
    with pytest.raises(ValidationError) as caught:
        violation_code_save(code=code, actor=officer)
    assert set(caught.value.message_dict) == {"points", "fine_max_fen"}
    code.refresh_from_db()
    code.fine_max_fen = 15000
    violation_code_save(code=code, actor=officer, reason="local standard")
    event = Event.objects.get(action="violation_code.update")
    assert event.before == {"fine_max_fen": 20000}
    assert event.after == {"fine_max_fen": 15000}


def test_speeding_codes_are_marked_by_the_migration():
    speeding = set(ViolationCode.objects.filter(speed_required=True).values_list("code", flat=True))
    assert speeding == {"1303", "1636", "1603", "1721"}


@pytest.fixture
def admin_client(client):
    admin = OfficerFactory(role="admin", is_staff=True, is_superuser=True)
    return sign_in_verified(client, admin)


def test_admin_edits_a_code_with_validation(admin_client):
    code = ViolationCode.objects.get(code="1344")
    url = reverse("admin:violations_violationcode_change", args=[code.pk])
    assert admin_client.get(url).status_code == 200
    data = {
        "code": "1344",
        "description_zh": code.description_zh,
        "description_en": code.description_en,
        "points": "2",
        "fine_min_fen": "20000",
        "fine_max_fen": "2000",
        "legal_basis": code.legal_basis,
        "online_handleable": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"points", "fine_max_fen"}
    data.update(points="3", fine_max_fen="20000")
    assert admin_client.post(url, data).status_code == 302
    code.refresh_from_db()
    assert (code.points, code.fine_min_fen) == (3, 20000)
    assert Event.objects.filter(action="violation_code.update", subject_id=str(code.pk)).exists()
    assert (
        admin_client.get(
            reverse("admin:violations_violationcode_changelist"), {"q": "1344"}
        ).status_code
        == 200
    )


def test_admin_adds_an_intake_client_and_shows_the_key_once(admin_client):
    url = reverse("admin:violations_intakeclient_add")
    response = admin_client.post(url, {"name": "Radar vendor", "active": "on"}, follow=True)
    assert response.status_code == 200
    client = IntakeClient.objects.get()
    [message] = [str(m) for m in response.context["messages"] if "once" in str(m)]
    key = message.rsplit(" ", 1)[-1]
    assert key.startswith(client.prefix)
    assert intake_client_for_key(key) == client
    change = reverse("admin:violations_intakeclient_change", args=[client.pk])
    assert key not in admin_client.get(change).text
    admin_client.post(change, {"active": ""})
    client.refresh_from_db()
    assert not client.active
    assert intake_client_for_key(key) is None
