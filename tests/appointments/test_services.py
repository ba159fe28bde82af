"""Booking, cancelling, moving and results: every refusal is clear and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import OfficerFactory
from vmo.appointments import services
from vmo.appointments.choices import BookingStatus, LearnerStatus
from vmo.appointments.models import Booking, Session
from vmo.appointments.results import result_record
from vmo.core.models import Event
from vmo.notices.models import Message

from .helpers import (
    TODAY,
    LearnerFactory,
    exam_session,
    inspection_session,
    learner_with_permit,
    owner_with_vehicle,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {e.code for errors in exc.value.error_dict.values() for e in errors}


def _unchanged(session: Session, booked: int = 0) -> None:
    session.refresh_from_db()
    assert session.booked == booked
    assert Booking.objects.filter(session=session, status="booked").count() == booked


def test_inspection_booking_counts_records_and_notifies():
    user, car = owner_with_vehicle()
    session = inspection_session()
    booking = services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
    _unchanged(session, booked=1)
    assert booking.vehicle == car and booking.status == BookingStatus.BOOKED
    assert Event.objects.filter(action="appointments.book", subject_id=str(booking.pk)).exists()
    notice = Message.objects.get(kind="appointments.booked", user=user, channel="inapp")
    assert session.site.name in notice.body


def test_a_double_submit_makes_one_booking():
    user, car = owner_with_vehicle()
    session = inspection_session()
    first = services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
    second = services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
    assert first.pk == second.pk
    _unchanged(session, booked=1)
    # Another session for the same vehicle while one is active: refused.
    other = inspection_session(day=TODAY + timedelta(days=8))
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=user, person=user.person, session=other, vehicle=car)
    assert codes(exc) == {"duplicate"}
    _unchanged(other)


def test_the_database_refuses_a_second_active_booking_and_overbooking():
    user, car = owner_with_vehicle()
    session = inspection_session(capacity=1)
    services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(session=session, kind="inspection", person=user.person, vehicle=car)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(booked=2)


def test_a_full_session_refuses_with_a_clear_message():
    session = inspection_session(capacity=1)
    user, car = owner_with_vehicle()
    services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
    other, other_car = owner_with_vehicle()
    with pytest.raises(ValidationError) as exc:
        services.booking_create(
            actor=other, person=other.person, session=session, vehicle=other_car
        )
    assert codes(exc) == {"full"}
    assert "full" in " ".join(exc.value.messages).lower() or "满" in " ".join(exc.value.messages)
    _unchanged(session, booked=1)


def test_someone_elses_vehicle_is_refused():
    _owner, car = owner_with_vehicle()
    stranger, _ = owner_with_vehicle()
    session = inspection_session()
    with pytest.raises(ValidationError) as exc:
        services.booking_create(
            actor=stranger, person=stranger.person, session=session, vehicle=car
        )
    assert codes(exc) == {"not_owner"}
    _unchanged(session)


def test_inspection_window_not_yet_open():
    user, car = owner_with_vehicle(inspection_valid_until=TODAY + timedelta(days=400))
    session = inspection_session()
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
    assert codes(exc) == {"window"}
    _unchanged(session)


def test_exam_cancel_deadline_is_one_working_day_before(frozen):
    learner = LearnerFactory()
    user = learner.person.account
    # Monday 2026-03-23: the last day to cancel is Friday 2026-03-20.
    session = exam_session("1", day=TODAY + timedelta(days=13))
    booking = services.booking_create(actor=user, person=learner.person, session=session)
    frozen.move_to("2026-03-21 09:00+08:00")
    with pytest.raises(ValidationError) as exc:
        services.booking_cancel(actor=user, person=learner.person, booking=booking)
    assert codes(exc) == {"deadline"}
    _unchanged(session, booked=1)
    frozen.move_to("2026-03-20 18:00+08:00")
    services.booking_cancel(actor=user, person=learner.person, booking=booking)
    _unchanged(session)
    assert Message.objects.filter(kind="appointments.cancelled", user=user).exists()


def test_reschedule_moves_the_place_in_one_step():
    user, car = owner_with_vehicle()
    first, second = inspection_session(), inspection_session(day=TODAY + timedelta(days=9))
    booking = services.booking_create(actor=user, person=user.person, session=first, vehicle=car)
    moved = services.booking_reschedule(
        actor=user, person=user.person, booking=booking, session=second
    )
    _unchanged(first)
    _unchanged(second, booked=1)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED and booking.moved_to == moved
    assert Message.objects.filter(kind="appointments.rescheduled", user=user).exists()


def test_exam_subjects_in_order():
    learner = LearnerFactory()  # subject 1 not passed yet
    for subject in ("2", "3", "4"):
        session = exam_session(subject)
        with pytest.raises(ValidationError) as exc:
            services.booking_create(actor=None, person=learner.person, session=session)
        assert "order" in codes(exc)
        _unchanged(session)


def test_road_test_waits_after_the_permit():
    learner = learner_with_permit(issued_days_ago=5)  # C1: subject 2 from day 10
    session = exam_session("2")
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=None, person=learner.person, session=session)
    assert codes(exc) == {"permit_wait"}


def test_fail_waits_ten_days_then_allows_rebooking(frozen):
    learner = learner_with_permit()
    officer = OfficerFactory()
    session = exam_session("2", day=TODAY + timedelta(days=12))
    booking = services.booking_create(actor=None, person=learner.person, session=session)
    frozen.move_to("2026-03-22 17:00+08:00")
    result_record(actor=officer, booking=booking, result="failed", score=70)
    booking.refresh_from_db()
    assert booking.status == "failed"  # the failure is the booking's (no counter on the learner)
    later = exam_session("2", day=TODAY + timedelta(days=40))
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=None, person=learner.person, session=later)
    assert codes(exc) == {"waiting"}
    frozen.move_to("2026-04-01 09:00+08:00")  # exam day + 10
    services.booking_create(actor=None, person=learner.person, session=later)


def test_the_fifth_booking_is_the_last_and_its_failure_voids_the_others():
    learner = learner_with_permit(subject2_bookings=4, subject3_passed_on=TODAY)
    session = exam_session("2", day=TODAY)
    booking = Booking.objects.create(
        session=session, kind="exam", subject="2", person=learner.person, learner=learner
    )
    learner.subject2_bookings = 5
    learner.save()
    result_record(actor=OfficerFactory(), booking=booking, result="absent")
    learner.refresh_from_db()
    assert learner.status == LearnerStatus.VOIDED
    assert learner.subject1_passed_on is None and learner.subject3_passed_on is None


def test_a_sixth_booking_is_refused():
    learner = learner_with_permit(subject2_bookings=5)
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=None, person=learner.person, session=exam_session("2"))
    assert "cap" in codes(exc)


def test_passing_subject_1_issues_the_permit():
    learner = LearnerFactory()
    session = exam_session("1", day=TODAY)
    booking = Booking.objects.create(
        session=session, kind="exam", subject="1", person=learner.person, learner=learner
    )
    with pytest.raises(ValidationError) as exc:
        result_record(actor=OfficerFactory(), booking=booking, result="passed", score=85)
    assert codes(exc) == {"score"}
    result_record(actor=OfficerFactory(), booking=booking, result="passed", score=95)
    learner.refresh_from_db()
    assert learner.permit_issued_on == TODAY
    assert learner.permit_valid_until == TODAY.replace(year=TODAY.year + 3)
    assert Message.objects.filter(kind="appointments.exam_result").exists()
    assert Event.objects.filter(action="appointments.result").exists()


def test_passed_inspection_extends_validity_and_clears_overdue():
    user, car = owner_with_vehicle(inspection_valid_until=TODAY - timedelta(days=3))
    from vmo.registry.services import vehicle_recompute_status

    vehicle_recompute_status(vehicle=car)
    car.refresh_from_db()
    assert "Q" in car.status
    session = inspection_session(day=TODAY)
    booking = Booking.objects.create(
        session=session, kind="inspection", person=user.person, vehicle=car
    )
    result_record(actor=OfficerFactory(), booking=booking, result="passed")
    car.refresh_from_db()
    assert car.inspection_valid_until > TODAY and "Q" not in car.status
    assert Event.objects.filter(action="vehicle.dates", subject_id=str(car.pk)).exists()
    assert Message.objects.filter(kind="appointments.inspection_result", user=user).exists()


def test_results_before_the_day_are_refused():
    user, car = owner_with_vehicle()
    booking = services.booking_create(
        actor=user, person=user.person, session=inspection_session(), vehicle=car
    )
    with pytest.raises(ValidationError) as exc:
        result_record(actor=OfficerFactory(), booking=booking, result="passed")
    assert codes(exc) == {"early"}


def test_exam_sessions_are_published_ten_days_ahead():
    from .helpers import SiteFactory

    site = SiteFactory(kind="exam")
    from datetime import time

    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=None,
            site=site,
            subject="1",
            day=TODAY + timedelta(days=5),
            start_time=time(9),
            end_time=time(8),
            capacity=0,
        )
    assert codes(exc) == {"plan", "times", "capacity"}
    session = services.session_create(
        actor=None,
        site=site,
        subject="1",
        day=TODAY + timedelta(days=10),
        start_time=time(9),
        end_time=time(11),
        capacity=30,
    )
    assert session.kind == "exam"


@pytest.mark.parametrize(
    ("days_after_opening", "open_"),
    [(-1, False), (0, True), (1, True)],  # the session the day before, on, after the window opens
)
def test_inspection_booking_window_is_the_registry_rule_r164_art_54(days_after_opening, open_):
    """The booking and the sticker share one window: three months before the validity ends."""
    from vmo.registry import inspection
    from vmo.registry.rules import add_months

    session_day = TODAY + timedelta(days=7)
    until = add_months(session_day - timedelta(days=days_after_opening), 3)
    assert inspection.window_opens(until) == session_day - timedelta(days=days_after_opening)
    user, car = owner_with_vehicle(inspection_valid_until=until)
    session = inspection_session(day=session_day)
    if open_:
        services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
        _unchanged(session, booked=1)
    else:
        with pytest.raises(ValidationError) as exc:
            services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
        assert codes(exc) == {"window"}
        _unchanged(session)
