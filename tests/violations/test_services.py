"""Online handling, nominated drivers, bound vehicles, fines and the points cycle, on the real
database. Every refusal names all its reasons and writes nothing."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from tests.factories import CitizenFactory, PersonFactory, VehicleFactory
from tests.violations.online_factories import (
    NO_PLATES,
    PARKING,
    SEAT_BELT,
    at,
    camera_violation,
    driver_account,
    owner_with_vehicle,
)
from vmo.core import clock
from vmo.core.models import Event
from vmo.core.selectors import events_for, office_config
from vmo.core.services import calendar_day_set, office_config_update
from vmo.notices.models import Message
from vmo.notices.selectors import inbox_for, latest_sms_to
from vmo.payments.gateways import sandbox
from vmo.payments.models import PaymentOrder
from vmo.registry.models import PointsEntry
from vmo.registry.selectors import points_in_cycle
from vmo.violations import selectors, services
from vmo.violations.models import (
    DriverNomination,
    PenaltyDecision,
    VehicleBinding,
    Violation,
    ViolationCode,
)

NOW = datetime(2025, 8, 10, 10, 0, tzinfo=clock.OFFICE_TZ)


@pytest.fixture(autouse=True)
def _frozen_english(settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 2
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def owner(db):
    return owner_with_vehicle()


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(exc.value.messages)


# --- Handling ------------------------------------------------------------------------------


def test_owner_handles_a_record_decision_points_status_history_notice(owner):
    violation = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 1)))
    owner.vehicle.refresh_from_db()
    assert "G" in owner.vehicle.status

    decision = services.violation_handle(violation=violation, actor=owner.user)

    assert re.fullmatch(r"6523202500000001", decision.number)
    assert (decision.points, decision.fine_fen) == (6, 20000)
    assert decision.payment_due == date(2025, 8, 25)
    assert decision.licence == owner.licence and decision.decided_by == owner.user
    violation.refresh_from_db()
    assert violation.handling_status == 1 and violation.payment_status == 0
    entry = PointsEntry.objects.get(source_type="violation", source_id=str(violation.pk))
    assert (entry.points, entry.kind, entry.cycle_start) == (6, "violation", date(2025, 6, 1))
    assert points_in_cycle(owner.licence) == 6
    owner.vehicle.refresh_from_db()
    assert "G" not in owner.vehicle.status
    assert {"violation.handle"} <= set(events_for(violation).values_list("action", flat=True))
    assert events_for(decision).filter(action="decision.create").exists()
    notice = inbox_for(owner.user).get(kind="violation.decision")
    assert decision.number in notice.body


def test_numbers_follow_on_within_the_year(owner):
    first = services.violation_handle(
        violation=camera_violation(owner.vehicle, code=SEAT_BELT), actor=owner.user
    )
    second = services.violation_handle(
        violation=camera_violation(owner.vehicle, code=SEAT_BELT), actor=owner.user
    )
    assert int(second.number[-8:]) == int(first.number[-8:]) + 1


def test_the_vehicle_keeps_g_while_another_record_is_unhandled(owner):
    first = camera_violation(owner.vehicle, code=SEAT_BELT)
    camera_violation(owner.vehicle, code=SEAT_BELT)
    services.violation_handle(violation=first, actor=owner.user)
    owner.vehicle.refresh_from_db()
    assert "G" in owner.vehicle.status


def test_handling_twice_is_refused_and_changes_nothing(owner):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="already been handled"):
        services.violation_handle(violation=violation, actor=owner.user)
    assert PenaltyDecision.objects.count() == 1
    assert PointsEntry.objects.count() == 1
    assert Event.objects.count() == events


def test_someone_elses_record_is_refused(owner):
    stranger, _ = driver_account()
    violation = camera_violation(owner.vehicle)
    with pytest.raises(ValidationError, match="only records of your own vehicles"):
        services.violation_handle(violation=violation, actor=stranger)
    assert not PenaltyDecision.objects.exists()


def test_every_problem_is_named_at_once_and_nothing_is_written(owner):
    violation = camera_violation(owner.vehicle, code=NO_PLATES, fine_fen=50000)
    ViolationCode.objects.filter(code=NO_PLATES).update(online_handleable=False)
    owner.licence.valid_to = date(2025, 8, 1)
    owner.licence.status = "AD"
    owner.licence.save()
    with pytest.raises(ValidationError) as exc:
        services.violation_handle(violation=violation, actor=owner.user)
    text = _messages(exc)
    for fragment in ("in person", "¥200.00", "expired", "status D"):
        assert fragment in text
    assert len(exc.value.messages) == 4
    violation.refresh_from_db()
    assert violation.handling_status == 0
    assert not PointsEntry.objects.exists() and not PenaltyDecision.objects.exists()


def test_points_would_reach_twelve(owner):
    for _ in range(2):
        services.violation_handle(
            violation=camera_violation(owner.vehicle, code=SEAT_BELT), actor=owner.user
        )
    services.violation_handle(violation=camera_violation(owner.vehicle), actor=owner.user)  # 8
    with pytest.raises(ValidationError, match="reach 14"):
        services.violation_handle(violation=camera_violation(owner.vehicle), actor=owner.user)


def test_points_go_in_the_cycle_of_the_violation_date(owner):
    # 2025-05-20 is in the cycle 2024-06-01 .. 2025-05-31.
    violation = camera_violation(owner.vehicle, occurred_at=at(date(2025, 5, 20)))
    services.violation_handle(violation=violation, actor=owner.user)
    assert PointsEntry.objects.get().cycle_start == date(2024, 6, 1)
    assert points_in_cycle(owner.licence) == 0


def test_a_record_without_points_or_licence_problems_and_zero_points(owner):
    decision = services.violation_handle(
        violation=camera_violation(owner.vehicle, code=PARKING), actor=owner.user
    )
    assert decision.points == 0 and not PointsEntry.objects.exists()


def test_a_payment_deadline_on_a_holiday_moves_to_the_next_working_day(owner):
    calendar_day_set(actor=None, day=date(2025, 8, 25), is_working_day=False, name="test holiday")
    decision = services.violation_handle(
        violation=camera_violation(owner.vehicle), actor=owner.user
    )
    assert decision.payment_due == date(2025, 8, 26)


# --- Bound vehicles (W03) ------------------------------------------------------------------


def _bind(driver, vehicle, *, at_time=None):
    return VehicleBinding.objects.create(
        person=driver.person, vehicle=vehicle, bound_at=at_time or clock.now() - timedelta(days=30)
    )


def test_a_bound_driver_handles_records_after_the_binding_only(owner):
    driver, licence = driver_account()
    _bind(driver, owner.vehicle, at_time=at(date(2025, 8, 1), 12))
    before = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 1), 9))
    after = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 2)))
    with pytest.raises(ValidationError, match="from the binding date on"):
        services.violation_handle(violation=before, actor=driver)
    decision = services.violation_handle(violation=after, actor=driver)
    assert decision.licence == licence


def test_an_ended_binding_gives_no_right(owner):
    driver, _ = driver_account()
    binding = _bind(driver, owner.vehicle)
    violation = camera_violation(owner.vehicle)
    services.binding_end(binding=binding, actor=owner.user)
    with pytest.raises(ValidationError):
        services.violation_handle(violation=violation, actor=driver)


def test_binding_with_the_owners_code(owner):
    driver, _ = driver_account()
    row = services.binding_code_send(person=driver.person, vehicle=owner.vehicle)
    sms = latest_sms_to(owner.person.phone)
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms.body).group(1)
    assert row.code_hash != code  # only the hash is stored

    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationError) as exc:
        services.binding_create(person=driver.person, vehicle=owner.vehicle, owner_code=wrong)
    assert "code" in exc.value.message_dict
    row.refresh_from_db()
    assert row.attempts == 1  # the wrong guess is counted although nothing else is written
    assert not VehicleBinding.objects.exists()

    binding = services.binding_create(person=driver.person, vehicle=owner.vehicle, owner_code=code)
    assert binding.ended_at is None and binding.bound_at == clock.now()
    with pytest.raises(ValidationError, match="already bound"):
        services.binding_create(person=driver.person, vehicle=owner.vehicle, owner_code=code)


def test_binding_limits_are_the_offices(owner):
    office_config_update(actor=None, non_own_vehicle_limit=1, non_owner_users_per_vehicle=1)
    driver, _ = driver_account()
    other_driver, _ = driver_account()
    _bind(driver, VehicleFactory())
    with pytest.raises(ValidationError) as exc:
        services.binding_code_send(person=driver.person, vehicle=owner.vehicle)
    assert "1 vehicle bound" in _messages(exc)
    _bind(other_driver, owner.vehicle)
    third, _ = driver_account()
    with pytest.raises(ValidationError, match="1 drivers bound"):
        services.binding_code_send(person=third.person, vehicle=owner.vehicle)
    assert office_config().non_own_vehicle_limit == 1


def test_binding_ones_own_vehicle_or_without_a_licence_is_refused(owner):
    with pytest.raises(ValidationError, match="your own"):
        services.binding_code_send(person=owner.person, vehicle=owner.vehicle)
    no_licence = CitizenFactory()
    with pytest.raises(ValidationError, match="no driver's licence"):
        services.binding_code_send(person=no_licence.person, vehicle=owner.vehicle)


def test_codes_are_rate_limited(owner):
    driver, _ = driver_account()
    services.binding_code_send(person=driver.person, vehicle=owner.vehicle)
    with pytest.raises(ValidationError, match="less than a minute"):
        services.binding_code_send(person=driver.person, vehicle=owner.vehicle)


# --- Naming the driver ---------------------------------------------------------------------


def test_the_named_driver_confirms_and_it_is_handled_on_their_licence(owner):
    driver, licence = driver_account()
    violation = camera_violation(owner.vehicle)
    nomination = services.nomination_create(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    assert inbox_for(driver).filter(kind="violation.nominated").exists()
    with pytest.raises(ValidationError, match="named driver has not answered"):
        services.violation_handle(violation=violation, actor=owner.user)
    with pytest.raises(ValidationError, match="Only the named driver"):
        services.nomination_confirm(nomination=nomination, actor=owner.user)

    decision = services.nomination_confirm(nomination=nomination, actor=driver)

    assert decision.licence == licence and decision.decided_by == driver
    assert points_in_cycle(licence) == 6 and points_in_cycle(owner.licence) == 0
    nomination.refresh_from_db()
    assert nomination.status == "confirmed"
    assert inbox_for(owner.user).filter(kind="violation.nomination_confirmed").exists()


def test_the_named_driver_declines(owner):
    driver, _ = driver_account()
    violation = camera_violation(owner.vehicle)
    nomination = services.nomination_create(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    services.nomination_decline(nomination=nomination, actor=driver)
    nomination.refresh_from_db()
    assert nomination.status == "declined"
    with pytest.raises(ValidationError, match="already been answered"):
        services.nomination_confirm(nomination=nomination, actor=driver)
    # The owner can handle it now.
    services.violation_handle(violation=violation, actor=owner.user)


def test_a_confirmation_that_breaks_a_rule_leaves_the_nomination_pending(owner):
    driver, licence = driver_account(status="AD")
    violation = camera_violation(owner.vehicle)
    nomination = services.nomination_create(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    with pytest.raises(ValidationError, match="status D"):
        services.nomination_confirm(nomination=nomination, actor=driver)
    nomination.refresh_from_db()
    assert nomination.status == "pending"
    assert not PenaltyDecision.objects.exists()


@pytest.mark.parametrize(
    ("id_number", "message", "field"),
    [
        ("123", "ID", "driver_id_number"),
        ("own", "your own ID number", "driver_id_number"),
        ("nobody", "No driver's licence", NON_FIELD_ERRORS),
    ],
)
def test_naming_problems(owner, id_number, message, field):
    violation = camera_violation(owner.vehicle)
    name = "张三"
    if id_number == "own":
        id_number = owner.person.id_number
    elif id_number == "nobody":
        nobody = PersonFactory()
        id_number, name = nobody.id_number, nobody.name
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(
            violation=violation, actor=owner.user, driver_id_number=id_number, driver_name=name
        )
    assert field in exc.value.message_dict
    assert message in _messages(exc)
    assert not DriverNomination.objects.exists()


def test_only_the_owner_names_the_driver(owner):
    driver, _ = driver_account()
    _bind(driver, owner.vehicle)
    third, _ = driver_account()
    with pytest.raises(ValidationError, match="Only the owner"):
        services.nomination_create(
            violation=camera_violation(owner.vehicle),
            actor=driver,
            driver_id_number=third.person.id_number,
            driver_name=third.person.name,
        )


# --- Fines -----------------------------------------------------------------------------------


def _pay_in_sandbox(url: str, django_capture_on_commit_callbacks) -> None:
    token = url.rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        sandbox.checkout_pay(token=token)


def test_paying_the_fine_through_the_sandbox(owner, django_capture_on_commit_callbacks):
    decision = services.violation_handle(
        violation=camera_violation(owner.vehicle), actor=owner.user
    )
    url = services.fine_pay_start(
        decision=decision, actor=owner.user, return_url="http://testserver/x"
    )
    order = PaymentOrder.objects.get(subject_id=str(decision.pk))
    assert (order.amount_fen, order.purpose, order.subject_type) == (
        20000,
        "fine",
        "violations.penaltydecision",
    )
    _pay_in_sandbox(url, django_capture_on_commit_callbacks)  # two callbacks: credited once
    decision.refresh_from_db()
    assert decision.paid_at is not None and decision.paid_fen == 20000
    assert Violation.objects.get(pk=decision.violation_id).payment_status == 1
    assert events_for(decision).filter(action="decision.paid").count() == 1
    with pytest.raises(ValidationError, match="already been paid"):
        services.fine_pay_start(
            decision=decision, actor=owner.user, return_url="http://testserver/x"
        )


def test_the_amount_includes_the_late_fee_of_today(owner):
    violation = camera_violation(owner.vehicle)
    decision = services.violation_handle(violation=violation, actor=owner.user)
    with time_machine.travel(datetime(2025, 8, 30, 9, 0, tzinfo=clock.OFFICE_TZ), tick=False):
        services.fine_pay_start(decision=decision, actor=owner.user, return_url="http://t/x")
        order = PaymentOrder.objects.get(subject_id=str(decision.pk), status="pending")
        assert order.amount_fen == 20000 + 5 * 600
        # The amount changes at midnight: the order does not outlive it.
        assert clock.local(order.expires_at) <= datetime(2025, 8, 31, tzinfo=clock.OFFICE_TZ)


def test_return_from_the_gateway_shows_paid_before_any_callback(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # the callback is lost
    decision = services.violation_handle(
        violation=camera_violation(owner.vehicle), actor=owner.user
    )
    url = services.fine_pay_start(decision=decision, actor=owner.user, return_url="http://t/x")
    _pay_in_sandbox(url, django_capture_on_commit_callbacks)
    decision.refresh_from_db()
    assert decision.paid_at is None
    decision = services.fine_payment_refresh(decision=decision)
    assert decision.paid_at is not None


def test_only_the_handler_or_owner_pays(owner):
    decision = services.violation_handle(
        violation=camera_violation(owner.vehicle), actor=owner.user
    )
    stranger, _ = driver_account()
    with pytest.raises(ValidationError, match="Only the person who handled"):
        services.fine_pay_start(decision=decision, actor=stranger, return_url="http://t/x")
    assert not PaymentOrder.objects.exists()


def test_reminders_before_the_deadline_and_as_the_fee_grows_once_a_day(owner):
    """The daily scans tell the handler 3 days before the deadline, then as the late fee grows
    (days 1, 7, 14, 21, 28 after it, and the day it reaches the cap); never twice a day."""
    from vmo.notices.scans import scans_run

    codes = ["violations.fine_due", "violations.fine_overdue"]
    decision = services.violation_handle(
        violation=camera_violation(owner.vehicle), actor=owner.user
    )
    sent = {}
    for offset in range(-5, 40):
        day = decision.payment_due + timedelta(days=offset)
        sent[offset] = sum(scans_run(day=day, codes=codes, publish=False).values())
    assert {k for k, v in sent.items() if v} == {-3, 1, 7, 14, 21, 28, 34}
    again = scans_run(day=decision.payment_due + timedelta(days=7), codes=codes, publish=False)
    assert sum(again.values()) == 0
    reminders = Message.objects.filter(kind__in=codes, user=owner.user, channel="inapp").order_by(
        "created_at", "id"
    )
    assert reminders.count() == 7


# --- The points cycle ------------------------------------------------------------------------


def _handle_on(owner, day, **kwargs):
    with time_machine.travel(at(day, 11), tick=False):
        return services.violation_handle(
            violation=camera_violation(owner.vehicle, occurred_at=at(day, 9), **kwargs),
            actor=owner.user,
        )


def _cycle_total(licence, start):
    return sum(
        PointsEntry.objects.filter(licence=licence, cycle_start=start).values_list(
            "points", flat=True
        )
    )


def test_unpaid_overdue_points_carry_over_once(owner):
    unpaid = _handle_on(owner, date(2025, 3, 1))  # due 2025-03-16, never paid
    paid = _handle_on(owner, date(2025, 4, 1), code=SEAT_BELT)
    PenaltyDecision.objects.filter(pk=paid.pk).update(paid_at=at(date(2025, 4, 2)), paid_fen=20000)
    assert _cycle_total(owner.licence, date(2024, 6, 1)) == 7

    written = services.points_cycle_rollover(licence=owner.licence, on=date(2025, 6, 1))
    assert [(e.points, e.kind, e.source_id) for e in written] == [
        (6, "carry", f"{unpaid.violation_id}@2025-06-01")
    ]
    assert services.points_cycle_rollover(licence=owner.licence, on=date(2025, 6, 1)) == []
    assert _cycle_total(owner.licence, date(2025, 6, 1)) == 6
    assert events_for(owner.licence).filter(action="points.carry_over").count() == 1


def test_a_fine_paid_after_the_cycle_ended_still_carries(owner):
    decision = _handle_on(owner, date(2025, 3, 1))
    PenaltyDecision.objects.filter(pk=decision.pk).update(
        paid_at=at(date(2025, 6, 1), 0), paid_fen=1
    )
    services.points_cycle_rollover(licence=owner.licence, on=date(2025, 6, 2))
    assert _cycle_total(owner.licence, date(2025, 6, 1)) == 6


def test_nothing_overdue_means_everything_clears(owner):
    _handle_on(owner, date(2025, 5, 25))  # due 2025-06-09: not overdue when the cycle ends
    assert services.points_cycle_rollover(licence=owner.licence, on=date(2025, 6, 1)) == []
    assert _cycle_total(owner.licence, date(2025, 6, 1)) == 0


def test_the_daily_task_finds_licences_by_anniversary(owner):
    _handle_on(owner, date(2025, 3, 1))
    other = owner_with_vehicle(first_issue=date(2016, 6, 2))
    _handle_on(other, date(2025, 3, 1))
    assert list(selectors.licences_starting_cycle(day=date(2025, 6, 1))) == [owner.licence]
    from vmo.violations import tasks

    with time_machine.travel(at(date(2025, 6, 2), 1), tick=False):
        assert tasks.points_rollover.delay().get() >= 2
    assert _cycle_total(owner.licence, date(2025, 6, 1)) == 6
    assert _cycle_total(other.licence, date(2025, 6, 2)) == 6


def test_a_leap_day_licence_rolls_over_on_the_28th(db):
    leap = owner_with_vehicle(first_issue=date(2020, 2, 29))
    assert list(selectors.licences_starting_cycle(day=date(2025, 2, 28))) == []  # no points yet
    PointsEntry.objects.create(
        licence=leap.licence,
        cycle_start=date(2024, 2, 29),
        occurred_on=date(2024, 5, 1),
        points=1,
        kind="violation",
    )
    assert list(selectors.licences_starting_cycle(day=date(2025, 2, 28))) == [leap.licence]
    assert list(selectors.licences_starting_cycle(day=date(2024, 2, 28))) == []


# --- Concurrency (PostgreSQL: real row locks between connections) --------------------------


# serialized_rollback: the flush after a transactional test would otherwise wipe the data that
# migrations load (calendar, violation codes) for every later test on this worker.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_handlings_make_one_decision():
    owner = owner_with_vehicle()
    violation = camera_violation(owner.vehicle)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def attempt():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.violation_handle(violation=violation, actor=owner.user)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert PenaltyDecision.objects.count() == 1
    assert PointsEntry.objects.filter(kind="violation").count() == 1


def test_expired_binding_codes_are_purged(owner):
    driver, _ = driver_account()
    services.binding_code_send(person=driver.person, vehicle=owner.vehicle)
    assert services.binding_codes_purge() == 0
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert services.binding_codes_purge() == 1
