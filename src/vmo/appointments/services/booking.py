"""Bookings: book, cancel, move, each under the session's row lock.

The capacity guarantee: a booking locks its session row (SELECT ... FOR UPDATE), checks the
count, and raises it with `booked = booked + 1`; the CHECK constraint `booked <= capacity`
refuses an overbooking even if a code path forgot the lock, and the partial unique indexes allow
one active booking per vehicle (inspection) or per person and subject (exam). Locks are always
taken in the same order, sessions (by id) first, then bookings, vehicles, learners, licences,
so two requests never wait on each other in a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from vmo.accounts import selectors as account_selectors
from vmo.core import clock
from vmo.core.services import event_record
from vmo.education import selectors as education_selectors
from vmo.notices.services import notify
from vmo.registry import selectors as registry

from .. import checks, rules
from ..checks import Problem, problems_error
from ..choices import AppointmentKind, BookingStatus, LearnerStatus, Subject
from ..models import Booking, Learner, Session

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence, Person, Vehicle


def study_complete(*, licence: DriverLicence) -> bool:
    """Full-score study done (R163 Arts 18-19), as the education app records it."""
    return bool(education_selectors.full_score_study_complete(licence))


# --- Notices --------------------------------------------------------------------------------


def _what(booking: Booking) -> Any:
    """The plate, or the exam's subject as its lazy label: the notice says it in its reader's
    language."""
    if booking.kind == AppointmentKind.INSPECTION and booking.vehicle is not None:
        return registry.plate_label(booking.vehicle)
    return Subject(booking.subject).label


def booking_notify(*, kind: str, booking: Booking, key: str, **extra: Any) -> None:
    session = booking.session
    user = account_selectors.account_of_person(person_id=booking.person_id)
    context = {
        "what": _what(booking),
        "site": session.site.name,
        "day": session.day.isoformat(),
        "time": f"{session.start_time:%H:%M}",
        **extra,
    }
    notify(
        kind=kind,
        context=context,
        dedup_key=f"{kind}:{key}",
        user=user,
        phone=None if user else (booking.person.phone or None),
        link=reverse("appointments:mine"),
    )


# --- Booking --------------------------------------------------------------------------------


def _lock_sessions(*ids: int) -> dict[int, Session]:
    # Only the session rows are locked (of self), in id order; the site is read alongside.
    rows = (
        Session.objects.select_for_update(of=("self",))
        .select_related("site")
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    )
    return {s.pk: s for s in rows}


def _holds_car_licence(person: Person) -> bool:
    licence = registry.licence_of(person)
    return bool(licence and set(licence.class_list) & {"A1", "A2", "A3", "B1", "B2", "C1", "C2"})


def _party(
    *, person: Person, session: Session, vehicle: Vehicle | None, moving: Booking | None
) -> tuple[dict[str, Any], list[Problem]]:
    """Who or what the booking is for, and every problem with booking it into `session`."""
    if session.kind == AppointmentKind.INSPECTION:
        if vehicle is not None:
            vehicle = registry.vehicle_for_update(pk=vehicle.pk)
        problems = checks.inspection_problems(person=person, vehicle=vehicle, session=session)
        taken = Booking.objects.filter(
            vehicle=vehicle, kind=AppointmentKind.INSPECTION, status=BookingStatus.BOOKED
        )
        party: dict[str, Any] = {"vehicle": vehicle}
    elif session.subject == Subject.FULL_SCORE or checks.full_score_applies(
        registry.licence_of(person), session.subject
    ):
        # The law exam, and the road tests a repeat full score adds (R163 Arts 21-22).
        licence = registry.licence_of(person, for_update=True)
        problems = checks.full_score_problems(
            licence=licence, study_complete=study_complete, subject=session.subject
        )
        taken = Booking.objects.filter(
            person=person, subject=session.subject, status=BookingStatus.BOOKED
        )
        party = {"licence": licence}
    else:
        learners = Learner.objects.select_for_update().filter(person=person)
        # The active record; else the last closed one, so a lapsed permit (R162 Art 41) or
        # voided results are named as the reason.
        learner = (
            learners.filter(status=LearnerStatus.ACTIVE).order_by("-accepted_on", "-pk").first()
            or learners.order_by("-accepted_on", "-pk").first()
        )
        problems = checks.exam_problems(
            learner=learner, session=session, holds_car_licence=_holds_car_licence(person)
        )
        taken = Booking.objects.filter(
            person=person, subject=session.subject, status=BookingStatus.BOOKED
        )
        party = {"learner": learner}
    if moving is not None:
        taken = taken.exclude(pk=moving.pk)
        # Moving a booking does not use another of the five (R162 Art 47) [U].
        problems = [p for p in problems if p[0] != "cap"]
    if taken.exists():
        problems.append(
            (
                "duplicate",
                _("You already have an active booking for this. Cancel or move it instead."),
            )
        )
    return party, problems


def _insert(**fields: Any) -> Booking:
    try:
        with transaction.atomic():
            return Booking.objects.create(**fields)
    except IntegrityError:
        # The partial unique index: a concurrent double submit that passed the check above.
        raise problems_error(
            [
                (
                    "duplicate",
                    _("You already have an active booking for this. Cancel or move it instead."),
                )
            ]
        ) from None


@transaction.atomic
def booking_create(
    *, actor: User, person: Person, session: Session, vehicle: Vehicle | None = None
) -> Booking:
    """Book a place. A second submit of the same request returns the booking already made."""
    locked = _lock_sessions(session.pk)[session.pk]
    same = Booking.objects.filter(session=locked, person=person, status=BookingStatus.BOOKED)
    if vehicle is not None:
        same = same.filter(vehicle=vehicle)
    existing = same.first()
    if existing is not None:
        return existing
    party, problems = _party(person=person, session=locked, vehicle=vehicle, moving=None)
    problems = checks.session_problems(locked) + problems
    if problems:
        raise problems_error(problems)
    Session.objects.filter(pk=locked.pk).update(booked=F("booked") + 1)
    booking = _insert(
        session=locked, kind=locked.kind, subject=locked.subject, person=person, **party
    )
    learner = party.get("learner")
    if learner is not None and locked.subject in rules.ROAD_SUBJECTS:
        field = f"subject{locked.subject}_bookings"
        Learner.objects.filter(pk=learner.pk).update(**{field: F(field) + 1})
    event_record(
        actor=actor,
        subject=booking,
        action="appointments.book",
        after={"session": locked.pk, "kind": locked.kind, "subject": locked.subject},
    )
    deadline = checks.cancel_deadline(locked)
    booking_notify(
        kind="appointments.booked",
        booking=booking,
        key=str(booking.pk),
        cancel_by=f"{clock.local(deadline):%Y-%m-%d %H:%M}",
    )
    return booking


def _lock_own_booking(
    booking: Booking, person: Person, *, extra_session: int | None = None
) -> tuple[Booking, dict[int, Session]]:
    ids = [booking.session_id] + ([extra_session] if extra_session else [])
    sessions = _lock_sessions(*ids)
    locked = (
        Booking.objects.select_for_update()
        .select_related("person")
        .get(pk=booking.pk, person=person)
    )
    return locked, sessions


def _change_problems(booking: Booking, session: Session) -> list[Problem]:
    if booking.status != BookingStatus.BOOKED:
        return [("not_active", _("This booking is no longer active."))]
    deadline = checks.cancel_deadline(session)
    if clock.now() > deadline:
        return [
            (
                "deadline",
                _(
                    "Bookings for this session could be cancelled or moved until %(deadline)s."
                    " A booked exam not attended counts as failed (R162 Art 46)."
                )
                % {"deadline": f"{clock.local(deadline):%Y-%m-%d %H:%M}"},
            )
        ]
    return []


@transaction.atomic
def booking_cancel(*, actor: User, person: Person, booking: Booking) -> Booking:
    locked, sessions = _lock_own_booking(booking, person)
    session = sessions[locked.session_id]
    problems = _change_problems(locked, session)
    if problems:
        raise problems_error(problems)
    Session.objects.filter(pk=session.pk).update(booked=F("booked") - 1)
    locked.status = BookingStatus.CANCELLED
    locked.cancelled_at = clock.now()
    locked.save(update_fields=["status", "cancelled_at"])
    if locked.learner_id and locked.subject in rules.ROAD_SUBJECTS:
        # A booking cancelled in time is not one of the five (R162 Arts 46-47) [U].
        field = f"subject{locked.subject}_bookings"
        Learner.objects.filter(pk=locked.learner_id, **{f"{field}__gt": 0}).update(
            **{field: F(field) - 1}
        )
    locked.session = session
    event_record(
        actor=actor,
        subject=locked,
        action="appointments.cancel",
        before={"status": BookingStatus.BOOKED},
        after={"status": BookingStatus.CANCELLED},
    )
    booking_notify(kind="appointments.cancelled", booking=locked, key=str(locked.pk))
    return locked


@transaction.atomic
def booking_reschedule(
    *, actor: User, person: Person, booking: Booking, session: Session
) -> Booking:
    """Move a booking to another session of the same kind and subject, in one transaction."""
    if session.pk == booking.session_id:
        raise problems_error([("same", _("Choose a different session."))])
    locked, sessions = _lock_own_booking(booking, person, extra_session=session.pk)
    old, new = sessions[locked.session_id], sessions[session.pk]
    problems = _change_problems(locked, old)
    if (new.kind, new.subject) != (old.kind, old.subject):
        problems.append(("kind", _("Choose a session of the same kind and subject.")))
    if not problems:
        _party_fields, party_problems = _party(
            person=person, session=new, vehicle=locked.vehicle, moving=locked
        )
        problems += checks.session_problems(new) + party_problems
    if problems:
        raise problems_error(problems)
    Session.objects.filter(pk=old.pk).update(booked=F("booked") - 1)
    Session.objects.filter(pk=new.pk).update(booked=F("booked") + 1)
    locked.status = BookingStatus.RESCHEDULED
    locked.cancelled_at = clock.now()
    locked.save(update_fields=["status", "cancelled_at"])
    moved = _insert(
        session=new,
        kind=new.kind,
        subject=new.subject,
        person=locked.person,
        vehicle=locked.vehicle,
        learner_id=locked.learner_id,
        licence_id=locked.licence_id,
    )
    Booking.objects.filter(pk=locked.pk).update(moved_to=moved)
    event_record(
        actor=actor,
        subject=moved,
        action="appointments.reschedule",
        before={"booking": locked.pk, "session": old.pk},
        after={"booking": moved.pk, "session": new.pk},
    )
    booking_notify(
        kind="appointments.rescheduled",
        booking=moved,
        key=str(moved.pk),
        old_day=old.day.isoformat(),
        old_time=f"{old.start_time:%H:%M}",
    )
    return moved
