"""Passed full-score exams found falsified afterwards (R163 Art 31 para 1): the bookings read
void, on the citizen's and the officers' pages and in the API, and the letters their pass lifted
(R163 Art 23, ``registry.rules.full_score_lifted``) are set again. Run by education's finding,
in its transaction (``education.hooks``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from vmo.core.services import event_record
from vmo.registry import rules as registry_rules
from vmo.registry.services import licence_set_flags

from .choices import AppointmentKind, BookingStatus
from .models import Booking

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence

VOID_REASON = "R163 Art 31 para 1: the full-score exam was falsified, its result is void"


def full_score_exams_void(
    *, licence: DriverLicence, since: date | None, until: date, actor: User
) -> int:
    """The licence's full-score exams passed from ``since`` to ``until`` read void; the letters
    their pass lifted are set again, once. Returns how many bookings were voided."""
    bookings = Booking.objects.select_for_update(of=("self",)).filter(
        licence=licence,
        learner__isnull=True,
        kind=AppointmentKind.EXAM,
        status=BookingStatus.PASSED,
        session__day__lte=until,
    )
    if since is not None:
        bookings = bookings.filter(session__day__gte=since)
    lifted = ""
    count = 0
    for booking in bookings.order_by("pk"):
        booking.status = BookingStatus.VOIDED
        booking.save(update_fields=["status"])
        event_record(
            actor=actor,
            subject=booking,
            action="appointments.result_void",
            before={"status": BookingStatus.PASSED},
            after={"status": BookingStatus.VOIDED},
            reason=VOID_REASON,
        )
        lifted += booking.flags_lifted
        count += 1
    again = registry_rules.full_score_lifted(lifted)
    if again:
        licence_set_flags(licence=licence, actor=actor, add=again, reason=VOID_REASON)
    return count
