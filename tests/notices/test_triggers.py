"""Each kind fired from its real trigger: a scan over real records, or the service that acts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.factories import CitizenFactory, LicenceFactory, PersonFactory, VehicleFactory
from tests.violations.online_factories import at, camera_violation, owner_with_vehicle
from vmo.accounts import services as account_services
from vmo.core import clock
from vmo.notices.models import Message
from vmo.notices.scans import scans_run
from vmo.registry.services import licence_set_flags, points_record
from vmo.violations import services as violation_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=clock.OFFICE_TZ)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def _citizen_with_licence(**fields):
    user = CitizenFactory()
    licence = LicenceFactory(holder=user.person, **fields)
    return user, licence


def _inbox(user, kind):
    return Message.objects.filter(user=user, channel="inapp", kind=kind)


def _sms(kind):
    return Message.objects.filter(channel="sms", kind=kind)


LICENCE_CASES = [
    ("licence.validity_ending", {"valid_to": DAY + timedelta(days=90)}, "2026-05-31"),
    ("licence.validity_ended", {"valid_to": DAY - timedelta(days=1)}, "2026-03-01"),
    (
        "licence.cancel_overdue_renewal",
        {"valid_from": date(2019, 1, 1), "valid_to": DAY - timedelta(days=340)},
        (DAY - timedelta(days=340) + timedelta(days=365)).isoformat(),
    ),
    ("licence.cancel_no_physical", {"physical_due": DAY - timedelta(days=340)}, "2026-03-27"),
    ("licence.verification_due", {"verification_due": DAY + timedelta(days=30)}, "2026-04-01"),
    ("licence.verification_overdue", {"verification_due": DAY - timedelta(days=3)}, "2026-02-27"),
    ("licence.physical_due", {"physical_due": DAY + timedelta(days=10)}, "2026-03-12"),
    ("licence.physical_overdue", {"physical_due": DAY - timedelta(days=10)}, "2026-02-20"),
    ("licence.probation_ending", {"probation_until": DAY + timedelta(days=14)}, "2026-03-16"),
]


@pytest.mark.parametrize(
    ("kind", "fields", "shown"), LICENCE_CASES, ids=[c[0] for c in LICENCE_CASES]
)
def test_licence_scans_tell_the_holder_once(
    kind, fields, shown, django_capture_on_commit_callbacks
):
    user, licence = _citizen_with_licence(**fields)
    other_user, _other = _citizen_with_licence()  # a licence the kind does not apply to
    with django_capture_on_commit_callbacks(execute=True):
        first = scans_run(day=DAY, codes=[kind])
    message = _inbox(user, kind).get()
    assert shown in message.body and licence.file_number[-4:] in message.body
    sms = _sms(kind).get(user=user)
    assert sms.recipient == user.person.phone and shown in sms.body
    assert sms.body.startswith("【昌吉车管所】") and sms.status == "sent"
    assert not Message.objects.filter(user=other_user).exists()
    assert first[kind] == 2
    # A second run (or another worker) writes nothing.
    assert scans_run(day=DAY, codes=[kind]) == {kind: 0}
    assert Message.objects.filter(kind=kind).count() == 2


def test_a_holder_without_an_account_gets_the_sms_only():
    person = PersonFactory()
    LicenceFactory(holder=person, valid_to=DAY + timedelta(days=30))
    scans_run(day=DAY, codes=["licence.validity_ending"])
    [sms] = Message.objects.filter(kind="licence.validity_ending")
    assert (sms.channel, sms.recipient, sms.user) == ("sms", person.phone, None)


def test_a_deferred_or_cancelled_licence_gets_no_reminder():
    LicenceFactory(holder=PersonFactory(), valid_to=DAY + timedelta(days=30), flags="N")
    LicenceFactory(holder=PersonFactory(), valid_to=DAY + timedelta(days=30), status="G")
    assert scans_run(day=DAY, codes=["licence.validity_ending"]) == {"licence.validity_ending": 0}


@pytest.mark.parametrize(
    ("letter", "kind"),
    [("D", "licence.suspended"), ("F", "licence.revoked"), ("G", "licence.cancelled")],
)
def test_status_letters_decided_are_told_from_the_history(letter, kind):
    user, licence = _citizen_with_licence()
    licence_set_flags(licence=licence, actor=None, add=letter, reason="决定书 2026-01")
    assert scans_run(day=DAY, codes=["licence.status_letters"])["licence.status_letters"] == 2
    message = _inbox(user, kind).get()
    assert "决定书 2026-01" in message.body and "2026-03-02" in message.body
    assert scans_run(day=DAY, codes=["licence.status_letters"])["licence.status_letters"] == 0


VEHICLE_CASES = [
    ("vehicle.inspection_due", {"inspection_valid_until": DAY + timedelta(days=60)}),
    ("vehicle.inspection_overdue", {"inspection_valid_until": DAY - timedelta(days=5)}),
    ("vehicle.forced_cancellation_near", {"inspection_valid_until": DAY - timedelta(days=800)}),
    ("vehicle.scrap_age", {"scrap_date": DAY + timedelta(days=80)}),
    # 强制报废标准 Art 4: three missed cycles (the factory's car: see test_compulsory_scrap_*).
    ("vehicle.compulsory_scrap_reached", {"inspection_valid_until": DAY - timedelta(days=2300)}),
    ("vehicle.insurance_ending", {"insurance_valid_until": DAY + timedelta(days=20)}),
]


@pytest.mark.parametrize(("kind", "fields"), VEHICLE_CASES, ids=[c[0] for c in VEHICLE_CASES])
def test_vehicle_scans_tell_the_owner_once(kind, fields):
    user = CitizenFactory()
    vehicle = VehicleFactory(owner_person=user.person, **fields)
    VehicleFactory(owner_person=PersonFactory(), scrap_date=None)  # not concerned
    scans_run(day=DAY, codes=[kind])
    plate = vehicle.plates.get().display
    message = _inbox(user, kind).get()
    when = next(iter(fields.values())).isoformat()
    assert plate in message.subject + message.body and when in message.body
    assert _sms(kind).get().recipient == user.person.phone
    assert scans_run(day=DAY, codes=[kind]) == {kind: 0}


def test_points_recorded_from_the_penalty_decision():
    owner = owner_with_vehicle()
    decision = violation_services.violation_handle(
        violation=camera_violation(owner.vehicle, occurred_at=at(DAY - timedelta(days=3))),
        actor=owner.user,
    )
    points = _inbox(owner.user, "licence.points_recorded").get()
    # Notices are written in the recipient's language: Chinese unless they chose English.
    assert f"记{decision.points}分" in points.subject and decision.number in points.body
    assert "累积：6分（满分12分）" in points.body


def test_full_score_is_told_when_the_points_reach_12():
    user, licence = _citizen_with_licence()
    points_record(
        licence=licence,
        actor=None,
        points=12,
        kind="violation",
        occurred_on=DAY,
        source_type="test",
        source_id="1",
    )
    scans_run(day=DAY, codes=["licence.status_letters"])
    full = _inbox(user, "licence.full_score").get()
    assert "2026-03-02" in full.body and "B" in full.body
    assert _sms("licence.full_score").get().recipient == user.person.phone


def test_unhandled_for_15_days_digest_and_fines():
    owner = owner_with_vehicle()
    with time_machine.travel(NOW - timedelta(days=15), tick=False):
        old = camera_violation(owner.vehicle, occurred_at=at(DAY - timedelta(days=16)))
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        camera_violation(owner.vehicle, occurred_at=at(DAY - timedelta(days=1), 8))
    results = scans_run(day=DAY, codes=["violations.unhandled_15_days", "violations.new_digest"])
    assert results == {"violations.new_digest": 1, "violations.unhandled_15_days": 2}
    assert old.record_id in _inbox(owner.user, "violations.unhandled_15_days").get().body
    assert "有1条新的违法记录" in _sms("violations.new_digest").get().body

    with time_machine.travel(NOW - timedelta(days=14), tick=False):
        decision = violation_services.violation_handle(violation=old, actor=owner.user)
    due_day = decision.payment_due - timedelta(days=2)
    scans_run(day=due_day, codes=["violations.fine_due"])
    assert decision.number in _inbox(owner.user, "violations.fine_due").get().body
    late_day = decision.payment_due + timedelta(days=7)
    scans_run(day=late_day, codes=["violations.fine_overdue"])
    overdue = _inbox(owner.user, "violations.fine_overdue").get()
    assert "¥42.00" in overdue.body and "¥242.00" in overdue.body
    assert scans_run(day=late_day, codes=["violations.fine_overdue"]) == {
        "violations.fine_overdue": 0
    }


def _new_record(violation):
    from vmo.violations.notify import NewRecord
    from vmo.violations.selectors import company_at_the_time, owner_at_the_time

    return NewRecord(
        record_id=violation.record_id,
        owner=(owner_at_the_time(violation), company_at_the_time(violation)),
        plate_number=violation.plate_number,
        occurred_at=violation.occurred_at,
        place=violation.place,
        code=violation.code,
        fine_fen=violation.fine_fen,
    )


def test_new_camera_record_is_the_registered_kind_in_the_owners_language():
    owner = owner_with_vehicle()
    violation = camera_violation(owner.vehicle, occurred_at=at(DAY))
    from vmo.violations.notify import violations_notify_new

    violations_notify_new(records=[_new_record(violation)])
    message = _inbox(owner.user, "violation.new").get()
    assert violation.record_id in message.body


# --- Account ----------------------------------------------------------------------------------

CHROME = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; rv:121.0) Gecko/20100101 Firefox/121.0"


def _sign_in(client, user, agent):
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"identifier": user.person.phone, "password": "Correct-Horse-42"},
        HTTP_USER_AGENT=agent,
    )
    assert response.status_code == 302


def test_a_sign_in_from_a_new_browser_is_told_once(client):
    user = CitizenFactory()
    _sign_in(client, user, CHROME)  # the first device is only remembered
    _sign_in(client, user, CHROME)
    assert not _inbox(user, "accounts.new_signin").exists()
    _sign_in(client, user, FIREFOX)
    _sign_in(client, user, FIREFOX)
    message = _inbox(user, "accounts.new_signin").get()
    assert "Firefox / Windows" in message.body and "2026-03-02 10:00" in message.body
    assert _sms("accounts.new_signin").get().recipient == user.person.phone


def test_password_changed_is_told():
    user = CitizenFactory()
    otc = account_services.password_reset_start(identifier=user.person.phone)
    from tests.accounts.helpers import code_sent_to

    code = code_sent_to(user.person.phone)
    account_services.password_reset_complete(
        code_id=otc.pk, code=code, password="New-Horse-4242", password_confirm="New-Horse-4242"
    )
    assert "2026-03-02 10:00" in _inbox(user, "accounts.password_changed").get().body


def test_a_changed_phone_is_told_at_the_old_number():
    user = CitizenFactory()
    old = user.person.phone
    account_services.account_phone_change(actor=user, person=user.person, phone="13800001111")
    sms = _sms("accounts.phone_changed").get()
    assert sms.recipient == old and "138****1111" in sms.body
    assert "138****1111" in _inbox(user, "accounts.phone_changed").get().body


def test_intake_notices_follow_the_owners_language_like_any_other_notice():
    """Intake writes through the same notices_post as single events: the owner's language."""
    from vmo.notices import services as notice_services
    from vmo.violations.notify import violations_notify_new

    owner = owner_with_vehicle()
    notice_services.preference_update(user=owner.user, language="zh-hans", channels={})
    violation = camera_violation(owner.vehicle, occurred_at=at(DAY))
    record = _new_record(violation)
    assert violations_notify_new(records=[record]) == 1
    assert violations_notify_new(records=[record]) == 0  # told once
    message = _inbox(owner.user, "violation.new").get()
    assert message.language == "zh-hans"
    assert violation.code.description_zh in message.body  # rendered in Chinese, caller in English


def test_every_notice_of_online_handling_is_a_registered_kind_in_the_readers_language():
    from vmo.notices import kinds
    from vmo.notices import services as notice_services

    owner = owner_with_vehicle()
    driver, _licence = _citizen_with_licence()
    notice_services.preference_update(user=driver, language="zh-hans", channels={})
    violation = camera_violation(owner.vehicle, occurred_at=at(DAY))
    nomination = violation_services.nomination_create(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    violation_services.nomination_confirm(nomination=nomination, actor=driver)
    written = list(Message.objects.filter(kind__startswith="violation."))
    assert {m.kind for m in written} >= {
        "violation.nominated",
        "violation.nomination_confirmed",
        "violation.decision",
    }
    for message in written:
        kinds.get(message.kind)  # registered, so the catalogue page lists it
    to_driver = [m for m in written if m.user_id == driver.pk and m.channel == "inapp"]
    assert to_driver and all(m.language == "zh-hans" for m in to_driver)
    assert "您被指定为驾驶人" in {m.subject for m in to_driver}
    # The named driver is told by SMS too (a mandatory kind: no preference switches it off).
    assert Message.objects.filter(kind="violation.nominated", channel="sms").count() == 1


def test_compulsory_scrap_told_from_the_day_after_the_third_missed_cycle_not_before():
    """强制报废标准 Art 4(4): a yearly truck whose validity ended on 2022-03-31 reaches it on
    2025-04-01; on 2025-03-31 the owner is not told yet, on 2025-04-01 once."""
    user = CitizenFactory()
    VehicleFactory(
        owner_person=user.person,
        vehicle_type="H21",
        use_nature="F",
        registration_date=date(2018, 3, 15),
        inspection_valid_until=date(2022, 3, 31),
    )
    kind = "vehicle.compulsory_scrap_reached"
    assert scans_run(day=date(2025, 3, 31), codes=[kind]) == {kind: 0}
    assert scans_run(day=date(2025, 4, 1), codes=[kind]) == {kind: 2}  # in-app and SMS
    assert _inbox(user, kind).count() == 1
    assert scans_run(day=date(2025, 4, 2), codes=[kind]) == {kind: 0}
