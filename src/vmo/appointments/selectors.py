"""Reads of appointments: open sessions, a person's bookings, the officers' day lists and the
published results (names and ID numbers masked, vmo.core.masking)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import F, QuerySet

from vmo.core import clock
from vmo.core.masking import mask_id_number, mask_name
from vmo.registry import selectors as registry

from . import checks
from .choices import RESULTS_SHOWN, AppointmentKind, BookingStatus, LearnerStatus
from .models import Booking, Learner, Session, Site

if TYPE_CHECKING:
    from vmo.registry.models import Person, Vehicle


def sites(kind: str = "") -> QuerySet[Site]:
    rows = Site.objects.filter(active=True)
    return rows.filter(kind=kind) if kind else rows


def sessions_open(
    *, kind: str = "", site: Site | None = None, day: date | None = None, subject: str = ""
) -> QuerySet[Session]:
    """Sessions still taking bookings with places left, soonest first."""
    today = clock.today()
    rows = Session.objects.select_related("site").filter(
        site__active=True, day__gte=today, booked__lt=F("capacity")
    )
    if kind:
        rows = rows.filter(kind=kind)
    if site is not None:
        rows = rows.filter(site=site)
    if day is not None:
        rows = rows.filter(day=day)
    if subject:
        rows = rows.filter(subject=subject)
    # Exam sessions close the day before; today's inspections until they start.
    rows = rows.exclude(kind=AppointmentKind.EXAM, day=today)
    return rows.order_by("day", "start_time", "site__name")


def _with_vehicle(rows: QuerySet[Booking]) -> QuerySet[Booking]:
    return rows.select_related("session__site", "vehicle", "learner").prefetch_related(
        registry.active_plate_prefetch("vehicle__plates")
    )


def bookings_of(person: Person) -> QuerySet[Booking]:
    return _with_vehicle(Booking.objects.filter(person=person)).order_by(
        "-session__day", "-session__start_time", "-pk"
    )


def booking_of(person: Person, pk: int) -> Booking:
    """One of the person's bookings; anyone else's raises DoesNotExist (a 404)."""
    return _with_vehicle(Booking.objects.filter(person=person)).get(pk=pk)


def vehicles_to_inspect(person: Person) -> QuerySet[Vehicle]:
    return registry.vehicles_of(person).order_by("pk")


def active_learner(person: Person) -> Learner | None:
    return (
        Learner.objects.filter(person=person, status=LearnerStatus.ACTIVE)
        .order_by("-accepted_on", "-pk")
        .first()
    )


def booking_actions(booking: Booking) -> dict[str, Any]:
    deadline = checks.cancel_deadline(booking.session)
    changeable = booking.status == BookingStatus.BOOKED and clock.now() <= deadline
    return {"deadline": clock.local(deadline), "changeable": changeable}


# --- Officers -------------------------------------------------------------------------------


def sessions_for(*, site: Site | None = None, day: date | None = None) -> QuerySet[Session]:
    rows = Session.objects.select_related("site")
    if site is not None:
        rows = rows.filter(site=site)
    if day is not None:
        rows = rows.filter(day=day)
    return rows.order_by("day", "start_time", "site__name", "subject")


def session_get(*, pk: int) -> Session:
    """One session with its site; Session.DoesNotExist (a 404) when there is none."""
    return Session.objects.select_related("site").get(pk=pk)


def session_bookings(session: Session) -> QuerySet[Booking]:
    """Everyone booked into the session, and those already given a result."""
    return (
        _with_vehicle(Booking.objects.filter(session=session))
        .select_related("person")
        .filter(status__in=[BookingStatus.BOOKED, *RESULTS_SHOWN])
        .order_by("pk")
    )


# --- Publications (R162 Art 52: booking numbers and results are made public) --------------


def _person_masks(person: Person) -> dict[str, str]:
    return {"name_masked": mask_name(person.name), "id_masked": mask_id_number(person.id_number)}


def exam_results(day: date) -> list[dict[str, Any]]:
    """Exam results of a day: {name_masked, id_masked, subject, result, site}, by site and time."""
    rows = (
        Booking.objects.filter(
            kind=AppointmentKind.EXAM,
            session__day=day,
            # A pass found falsified afterwards is published as void (R163 Art 31 para 1).
            status__in=RESULTS_SHOWN,
        )
        .select_related("person", "session__site")
        .order_by("session__site__name", "session__start_time", "pk")
    )
    return [
        {
            **_person_masks(b.person),
            "subject": b.subject,
            "subject_label": str(b.get_subject_display()),
            "result": b.status,
            "result_label": str(b.get_status_display()),
            "site": b.session.site.name,
        }
        for b in rows
    ]


def appointment_results(day: date) -> list[dict[str, Any]]:
    """Booking results (约考结果) of sessions on a day: who holds a place, masked, per session:
    {name_masked, id_masked, kind, subject, site, day, time, status}."""
    rows = (
        Booking.objects.filter(session__day=day)
        .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.RESCHEDULED])
        .select_related("person", "session__site")
        .order_by("session__site__name", "session__start_time", "pk")
    )
    return [
        {
            **_person_masks(b.person),
            "kind": b.kind,
            "subject": b.subject,
            "site": b.session.site.name,
            "day": b.session.day.isoformat(),
            "time": f"{b.session.start_time:%H:%M}",
            "status": b.status,
        }
        for b in rows
    ]
