"""Appointments: sessions open for booking, and the citizen's own bookings (book, cancel,
move). Thin handlers over vmo.appointments selectors and services; someone else's booking is a
404. Every refusal lists every problem at once (422), with a stable code per problem: full,
closed, deadline, order, waiting, permit_wait, cap, not_owner, window, duplicate, study..."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from vmo.accounts.http import SignedInRequest
from vmo.appointments import selectors, services
from vmo.appointments.filters import SessionFilterSet
from vmo.registry import selectors as registry
from vmo.registry.selectors import plate_label

from .auth import AUTH, citizen_person, user_throttle
from .filters import filtered, filterset_schema
from .inputs import In
from .pagination import BoundedPagination
from .schemas import ErrorOut

if TYPE_CHECKING:
    from vmo.appointments.models import Booking, Session

router = Router(tags=["appointments"], auth=AUTH, throttle=user_throttle())

REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
SessionFilter = filterset_schema(SessionFilterSet, name="SessionFilter")
ACTION = {**REFUSALS, 404: ErrorOut, 422: ErrorOut}


class SessionOut(Schema):
    id: int
    site_id: int
    site: str
    kind: str
    subject: str
    day: date
    start_time: str
    end_time: str
    capacity: int
    remaining: int


class BookingOut(Schema):
    id: int
    session: SessionOut
    kind: str
    subject: str
    status: str
    status_label: str
    plate: str = Field("", description="The vehicle's plate (inspections).")
    score: int | None
    changeable: bool = Field(..., description="Whether it may still be cancelled or moved.")
    change_deadline: datetime


class BookIn(In):
    session_id: int
    vehicle_id: int | None = Field(None, description="Required for an inspection session.")


class RescheduleIn(In):
    session_id: int


def session_item(s: "Session") -> dict[str, Any]:
    return {
        "id": s.pk,
        "site_id": s.site_id,
        "site": s.site.name,
        "kind": s.kind,
        "subject": s.subject,
        "day": s.day,
        "start_time": f"{s.start_time:%H:%M}",
        "end_time": f"{s.end_time:%H:%M}",
        "capacity": s.capacity,
        "remaining": s.remaining,
    }


def booking_item(b: "Booking") -> dict[str, Any]:
    actions = selectors.booking_actions(b)
    return {
        "id": b.pk,
        "session": session_item(b.session),
        "kind": b.kind,
        "subject": b.subject,
        "status": b.status,
        "status_label": str(b.get_status_display()),
        "plate": plate_label(b.vehicle),
        "score": b.score,
        "changeable": actions["changeable"],
        "change_deadline": actions["deadline"],
    }


@router.get(
    "/sessions",
    response={200: list[SessionOut], **REFUSALS, 422: ErrorOut},
    summary="Sessions open for booking, with places left",
    url_name="appointment_sessions",
)
@paginate(BoundedPagination)
def sessions(
    request: HttpRequest,
    filters: Query[SessionFilter],  # type: ignore[valid-type]
) -> list[dict[str, Any]]:
    """Soonest first; only sessions still taking bookings and not full. `kind`: inspection or
    exam; `site`: a site id; `day`: YYYY-MM-DD; `subject`: 1, 2, 3, 4 or full. The sessions
    page's FilterSet checks them (one definition)."""
    rows = filtered(SessionFilterSet, request, selectors.sessions_open())
    return [session_item(s) for s in rows]


@router.get(
    "/bookings",
    response={200: list[BookingOut], **REFUSALS},
    summary="My bookings",
    url_name="appointment_bookings",
)
@paginate(BoundedPagination)
def bookings(request: HttpRequest) -> list[dict[str, Any]]:
    return [booking_item(b) for b in selectors.bookings_of(citizen_person(request))]


@router.post(
    "/bookings",
    response={201: BookingOut, **ACTION},
    summary="Book a place in a session",
    url_name="appointment_book",
)
def book(request: SignedInRequest, payload: BookIn) -> tuple[int, dict[str, Any]]:
    """An inspection needs `vehicle_id` (a vehicle in your name); an exam books for your open
    driving-test application, a full-score exam for your licence. Sending the same booking
    twice returns the booking made the first time."""
    person = citizen_person(request)
    session = selectors.session_get(pk=payload.session_id)
    vehicle = None
    if payload.vehicle_id is not None:
        vehicle = registry.vehicles().filter(pk=payload.vehicle_id).first()
        if vehicle is None:
            raise ValidationError(
                {"vehicle_id": [_("This vehicle is not registered in your name.")]}
            )
    booking = services.booking_create(
        actor=request.user, person=person, session=session, vehicle=vehicle
    )
    return 201, booking_item(selectors.booking_of(person, booking.pk))


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, **ACTION},
    summary="Cancel a booking (before the deadline)",
    url_name="appointment_cancel",
)
def cancel(request: SignedInRequest, booking_id: int) -> dict[str, Any]:
    """Exams: at the latest one working day before (R162 Art 46)."""
    person = citizen_person(request)
    booking = selectors.booking_of(person, booking_id)
    services.booking_cancel(actor=request.user, person=person, booking=booking)
    return booking_item(selectors.booking_of(person, booking_id))


@router.post(
    "/bookings/{booking_id}/reschedule",
    response={200: BookingOut, **ACTION},
    summary="Move a booking to another session",
    url_name="appointment_reschedule",
)
def reschedule(request: SignedInRequest, booking_id: int, payload: RescheduleIn) -> dict[str, Any]:
    """Same kind and subject, before the deadline; returns the new booking."""
    person = citizen_person(request)
    booking = selectors.booking_of(person, booking_id)
    session = selectors.session_get(pk=payload.session_id)
    moved = services.booking_reschedule(
        actor=request.user, person=person, booking=booking, session=session
    )
    return booking_item(selectors.booking_of(person, moved.pk))
