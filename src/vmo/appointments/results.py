"""Results recorded by officers, and what they change: the vehicle's inspection validity, the
learner's subjects and permit, or the points of a licence at full score (R163 Art 23)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext

from vmo.core import clock

# The next steps are Phrases: the booker's notice says them again in the booker's language.
from vmo.core.phrases import Phrase
from vmo.core.phrases import phrase as _
from vmo.core.services import event_record
from vmo.core.text import join_items
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry_selectors
from vmo.registry import services as registry_services
from vmo.registry.choices import PointsKind  # noqa: E402
from vmo.registry.inspection import next_valid_until
from vmo.registry.selectors import points_in_cycle
from vmo.registry.services import (
    licence_set_flags,
    points_record,
)

from . import checks, rules
from .checks import Problem, problems_error
from .choices import RESULTS, AppointmentKind, BookingStatus, LearnerStatus, Subject
from .models import Booking, Learner
from .services.booking import booking_notify

if TYPE_CHECKING:
    from vmo.accounts.models import User

POINTS_SOURCE = "appointments.booking"
FULL_SCORE_LIFTS = registry_rules.FULL_SCORE_LIFTS


def _score_problems(booking: Booking, result: str, score: int | None) -> list[Problem]:
    if score is None or booking.kind != AppointmentKind.EXAM:
        return []
    if not 0 <= score <= 100:
        return [("score", gettext("The score must be between 0 and 100."))]
    mark = rules.pass_mark(
        booking.subject, booking.learner.licence_class if booking.learner else ""
    )
    if result == BookingStatus.PASSED and score < mark:
        return [("score", gettext("A pass needs at least %(mark)s points.") % {"mark": mark})]
    if result == BookingStatus.FAILED and score >= mark:
        return [
            (
                "score",
                gettext("%(score)s points is a pass (%(mark)s needed).")
                % {"score": score, "mark": mark},
            )
        ]
    return []


def _inspection_effect(booking: Booking, result: str, actor: User) -> Phrase:
    vehicle = booking.vehicle
    assert vehicle is not None
    if result != BookingStatus.PASSED:
        return _("The vehicle may be booked for inspection again.")
    until = next_valid_until(
        valid_until=vehicle.inspection_valid_until,
        inspected_on=booking.session.day,
        vehicle_type=vehicle.vehicle_type,
        use_nature=vehicle.use_nature,
        seats=vehicle.seats,
        registered=vehicle.registration_date,
    )
    registry_services.vehicle_update_dates(
        vehicle=vehicle,
        actor=actor,
        reason=f"inspection booking {booking.reference}",
        inspection_valid_until=until,
    )
    return _("Inspection valid until %(date)s.") % {"date": until.isoformat()}


def _learner_effect(booking: Booking, result: str, actor: User) -> Phrase:
    assert booking.learner_id is not None
    learner = Learner.objects.select_for_update().get(pk=booking.learner_id)
    subject, day = booking.subject, booking.session.day
    before = {"status": learner.status}
    if result == BookingStatus.PASSED:
        setattr(learner, f"subject{subject}_passed_on", day)
        if subject == Subject.S1:
            # Issued within a day of passing (R162 Art 40), valid three years (Art 41).
            learner.permit_issued_on = day
            learner.permit_valid_until = rules.permit_valid_until(day)
        if all(learner.passed_on(s) for s in ("1", "2", "3", "4")):
            learner.status = LearnerStatus.LICENSED
        next_step = _("Passed.")
    else:
        # The failure is the booking's own result; the learner keeps no count of it.
        next_step = _("You may book again.")
        if subject in rules.ROAD_SUBJECTS:
            used = getattr(learner, f"subject{subject}_bookings")
            if used >= rules.MAX_BOOKINGS_PER_PERMIT:
                # The fifth booking failed: the other subjects' passes are void (Art 47).
                for other in ("1", "2", "3", "4"):
                    if other != subject:
                        setattr(learner, f"subject{other}_passed_on", None)
                learner.status = LearnerStatus.VOIDED
                next_step = _(
                    "This was the fifth booking: the other subjects' results are void (R162 Art 47)."
                )
            else:
                next_step = _("You may book again from %(date)s (R162 Art 47).") % {
                    "date": rules.rebook_from(day).isoformat()
                }
    learner.save()
    event_record(
        actor=actor,
        subject=learner,
        action="appointments.learner_result",
        before=before,
        after={"subject": subject, "result": result, "status": learner.status},
    )
    return next_step


def _full_score_effect(booking: Booking, result: str, actor: User) -> Phrase:
    assert booking.licence_id is not None
    licence = registry_selectors.licence_for_update(pk=booking.licence_id)
    day = booking.session.day
    if result != BookingStatus.PASSED:
        return _("You may book again from %(date)s (R163 Art 21).") % {
            "date": checks.full_score_rebook_from(day).isoformat()
        }
    # Points clear only when every exam the full score requires is passed (R163 Arts 22-23).
    reached_on, required = checks.full_score_required(licence)
    passed = checks.full_score_passed(licence, reached_on)
    missing = [s for s in required if s not in passed]
    if missing:
        labels = [Subject(s).label for s in missing]
        return _(
            "Passed. Before the points are cleared, still to pass: %(subjects)s (R163 Art 22)."
        ) % {"subjects": lazy(lambda: join_items(labels), str)()}
    points = points_in_cycle(licence, on=day)
    if points > 0:
        points_record(
            licence=licence,
            actor=actor,
            points=-points,
            kind=PointsKind.CLEARED,
            occurred_on=day,
            source_type=POINTS_SOURCE,
            source_id=str(booking.pk),
            note="R163 Art 23",
        )
    lifted = registry_rules.full_score_lifted(licence.flags)
    if lifted:
        booking.flags_lifted = lifted
        booking.save(update_fields=["flags_lifted"])
        licence_set_flags(
            licence=licence,
            actor=actor,
            remove=lifted,
            reason="R163 Art 23: full-score study and exam passed",
        )
    return _("Your points are cleared and the licence is returned (R163 Art 23).")


@transaction.atomic
def result_record(
    *, actor: User, booking: Booking, result: str, score: int | None = None, note: str = ""
) -> Booking:
    """An officer records the outcome of a booking: one exam and its retake (R162 Art 47), or
    an inspection. Not attending is recorded as absent and counts as failed (R162 Art 46)."""
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__site", "learner", "vehicle", "person")
        .get(pk=booking.pk)
    )
    problems: list[Problem] = []
    if result not in RESULTS:
        problems.append(("result", gettext("Choose passed, failed or did not attend.")))
    if locked.status != BookingStatus.BOOKED:
        problems.append(
            ("not_active", gettext("A result is already recorded, or the booking was cancelled."))
        )
    if locked.session.day > clock.today():
        problems.append(
            ("early", gettext("The result can be recorded on or after the session day."))
        )
    problems += _score_problems(locked, result, score)
    if problems:
        raise problems_error(problems)
    locked.status = result
    locked.score = score
    locked.note = note[:200]
    locked.recorded_at = clock.now()
    locked.recorded_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["status", "score", "note", "recorded_at", "recorded_by"])
    event_record(
        actor=actor,
        subject=locked,
        action="appointments.result",
        before={"status": BookingStatus.BOOKED},
        after={"status": result, "score": score},
    )
    # The result is a code's label and the next step a Phrase, never text in the officer's
    # language: the notice says both in its reader's language.
    next_step, kind = _effect(locked, result, actor)
    booking_notify(
        kind=kind,
        booking=locked,
        key=str(locked.pk),
        result=BookingStatus(result).label,
        next=next_step,
    )
    return locked


def _effect(locked: Booking, result: str, actor: User) -> tuple[Phrase, str]:
    if locked.kind == AppointmentKind.INSPECTION:
        next_step = _inspection_effect(locked, result, actor)
        kind = "appointments.inspection_result"
    elif locked.subject == Subject.FULL_SCORE or locked.learner_id is None:
        # The law exam or a road test of a full score (R163 Arts 21-22).
        next_step = _full_score_effect(locked, result, actor)
        kind = "appointments.exam_result"
    else:
        next_step = _learner_effect(locked, result, actor)
        kind = "appointments.exam_result"
    return next_step, kind
