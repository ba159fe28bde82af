"""Counter handling: an officer decides a record in the workbench, the driver present in person.

The records the online rules refuse (a code handled only in person, such as drink driving; a
fine above the online limit, RP Art 52; points that would reach 12, R163 Art 14) end here. The
decision is the one online handling makes (handling._decide): the same numbered penalty
decision, the record's points in the cycle of the violation (R163 Art 13), its fine and its
15-day payment deadline (RTSL Art 108); what differs is that the online rules and the
anti-proxy list do not apply, and the officer, who checked the driver's identity, is the one
who decided. The permission (violations.counter) is checked by the view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core.services import event_record
from vmo.registry import selectors as registry
from vmo.registry import validators
from vmo.registry.selectors import points_in_cycle

from ..choices import DecisionChannel, HandlingStatus, NominationStatus
from ..models import PenaltyDecision, Violation
from ..selectors import handling_problems, owner_at_the_time, violation_day
from .handling import _decide

if TYPE_CHECKING:
    from vmo.accounts.models import User

NOTE_MAX = 500


@transaction.atomic
def violation_counter_decide(
    *, violation: Violation, actor: User, driver_id_number: str, note: str = ""
) -> PenaltyDecision:
    """Decide the record on the licence of the driver present (named by their ID number)."""
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("code", "vehicle")
        .get(pk=violation.pk)
    )
    errors: dict[str, list[str]] = {}
    if violation.handling_status != HandlingStatus.UNHANDLED:
        errors.setdefault("__all__", []).append(_("This record has already been handled."))
    licence = None
    try:
        validators.validate_id_number(driver_id_number)
    except ValidationError as exc:
        errors.setdefault("driver_id_number", []).extend(exc.messages)
    else:
        person = registry.person_by_id_number(driver_id_number)
        licence = registry.licence_of(person)
        if licence is None:
            errors.setdefault("driver_id_number", []).append(
                _("No driver's licence is on record for this ID number.")
            )
        elif violation_day(violation=violation) < licence.first_issue_date:
            errors.setdefault("driver_id_number", []).append(
                _("The violation happened before this licence was first issued.")
            )
    if len(note) > NOTE_MAX:
        errors.setdefault("note", []).append(
            _("Keep the note to %(max)d characters.") % {"max": NOTE_MAX}
        )
    if errors:
        raise ValidationError(errors)
    assert licence is not None
    # A nomination still waiting is overtaken: the driver is here and the officer decides.
    for nomination in violation.nominations.select_for_update().filter(
        status=NominationStatus.PENDING
    ):
        nomination.status = NominationStatus.EXPIRED
        nomination.save(update_fields=["status"])
        event_record(
            actor=actor,
            subject=violation,
            action="violation.nomination_expired",
            after={"nomination": nomination.pk},
            reason="decided at a counter",
        )
    decision = _decide(
        violation=violation,
        actor=actor,
        licence=licence,
        role="counter",
        channel=DecisionChannel.COUNTER,
    )
    event_record(
        actor=actor,
        subject=decision,
        action="decision.counter",
        after={"licence": licence.pk, "points": decision.points, "fine_fen": decision.fine_fen},
        reason=note.strip(),
    )
    return decision


def counter_problem_summary(*, violation: Violation) -> list[str]:
    """Why online handling would refuse this record on the owner's licence (shown to the
    officer; empty when it would not)."""
    licence = registry.licence_of(owner_at_the_time(violation))
    if violation.handling_status != HandlingStatus.UNHANDLED:
        return []
    now = points_in_cycle(licence, on=violation_day(violation=violation)) if licence else 0
    return [
        str(p.message)
        for p in handling_problems(violation=violation, licence=licence, points_now=now)
    ]
