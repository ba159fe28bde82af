"""Handling a record online: the penalty decision on one's own licence, or naming the driver
who then confirms (handled on their licence) or declines."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vmo.accounts import selectors as account_selectors
from vmo.core import clock
from vmo.core.masking import mask_file_number
from vmo.core.money import format_fen
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.notices.services import notify
from vmo.registry import selectors as registry
from vmo.registry import validators
from vmo.registry.choices import PointsKind, VehicleStatus
from vmo.registry.selectors import points_in_cycle
from vmo.registry.services import (
    points_record,
    vehicle_set_flags,
)

from ..choices import (
    POINTS_SOURCE,
    DecisionChannel,
    HandlingStatus,
    NominationStatus,
    PaymentStatus,
)
from ..models import (
    DecisionCounter,
    DriverNomination,
    PenaltyDecision,
    Violation,
)
from ..proxy_selectors import proxy_problems
from ..selectors import (
    answers_for_owner,
    company_at_the_time,
    handler_role,
    handling_problems,
    violation_day,
)
from . import naming
from .common import _fail, _person_of, decision_payment_due
from .proxy import nomination_expired, nomination_outcome_notify, proxy_check_after

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence, Person, Vehicle

logger = logging.getLogger(__name__)


def _points_before(licence: DriverLicence, violation: Violation) -> int:
    """Points already in the cycle these would go into (the cycle of the violation's date)."""
    return points_in_cycle(licence, on=violation_day(violation=violation))


def _next_decision_number(year: int) -> str:
    try:
        with transaction.atomic():
            DecisionCounter.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # made by a concurrent decision a moment ago
    counter = DecisionCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = (office_config().region_code_list or ["6523"])[0][:4]
    return f"{prefix}{year}{counter.last:08d}"


def _clear_vehicle_flag_if_done(vehicle: Vehicle | None, *, actor: User) -> None:
    if vehicle is None:
        return
    # Locked before looking: a delivery adding a record (and G) waits for us or we for it, so
    # G is never taken off a vehicle that has just received a new record.
    vehicle = registry.vehicle_for_update(pk=vehicle.pk)
    if Violation.objects.filter(vehicle=vehicle, handling_status=HandlingStatus.UNHANDLED).exists():
        return
    if VehicleStatus.VIOLATIONS_UNHANDLED in vehicle.flags:
        vehicle_set_flags(
            vehicle=vehicle,
            actor=actor,
            remove=VehicleStatus.VIOLATIONS_UNHANDLED,
            reason="all violations handled",
        )


def _decide(
    *,
    violation: Violation,
    actor: User,
    licence: DriverLicence,
    role: str,
    channel: str = DecisionChannel.ONLINE,
) -> PenaltyDecision:
    """The record is locked and the handler entitled: check the rules, decide, record points.
    Online (the handler) or at a counter (an officer, services/counter.py): the same decision,
    points and fine; only the online rules and the anti-proxy list differ."""
    licence = registry.licence_for_update(pk=licence.pk)
    online = channel == DecisionChannel.ONLINE
    problems = (
        handling_problems(
            violation=violation, licence=licence, points_now=_points_before(licence, violation)
        )
        + proxy_problems(person=licence.holder, vehicle=violation.vehicle)
        if online
        else []
    )
    if problems:
        # Each reason keeps its code, so API clients can tell them apart.
        raise ValidationError(
            {NON_FIELD_ERRORS: [ValidationError(str(p), code=p.code) for p in problems]}
        )
    now = clock.now()
    today = now.date()
    decision = PenaltyDecision.objects.create(
        number=_next_decision_number(today.year),
        violation=violation,
        licence=licence,
        decided_by=actor,
        decided_at=now,
        points=violation.points,
        fine_fen=violation.fine_fen,
        payment_due=decision_payment_due(decided_on=today),
        channel=channel,
    )
    if violation.points:
        # R163 Art 13: the points are given with the decision, in the cycle of the violation.
        points_record(
            licence=licence,
            actor=actor,
            points=violation.points,
            kind=PointsKind.VIOLATION,
            occurred_on=violation_day(violation=violation),
            source_type=POINTS_SOURCE,
            source_id=str(violation.pk),
            note=violation.code.code,
        )
        _points_notices(licence=licence, violation=violation, decision=decision)
    before = {"handling_status": violation.handling_status}
    violation.handling_status = HandlingStatus.HANDLED
    fields = ["handling_status"]
    if violation.fine_fen == 0:
        violation.payment_status = PaymentStatus.NOT_DUE
        fields.append("payment_status")
    violation.save(update_fields=fields)
    event_record(
        actor=actor,
        subject=violation,
        action="violation.handle",
        before=before,
        after={
            "handling_status": violation.handling_status,
            "decision": decision.number,
            "licence": licence.pk,
            "role": role,
            "channel": channel,
        },
    )
    event_record(
        actor=actor,
        subject=decision,
        action="decision.create",
        after={
            "number": decision.number,
            "points": decision.points,
            "fine_fen": decision.fine_fen,
            "payment_due": decision.payment_due.isoformat(),
        },
    )
    _clear_vehicle_flag_if_done(violation.vehicle, actor=actor)
    if online:
        proxy_check_after(decision=decision, violation=violation)
    notify(
        kind="violation.decision",
        context={
            "plate": violation.plate_number,
            "number": decision.number,
            "points": decision.points,
            "fine": format_fen(decision.fine_fen),
            "due": decision.payment_due.isoformat(),
        },
        dedup_key=f"violation.decision:{decision.pk}",
        # Online the handler is the holder; at a counter the officer is not: the holder is told.
        user=actor if online else _holder_account(licence),
    )
    return decision


def _holder_account(licence: DriverLicence) -> User | None:
    return account_selectors.users().filter(person_id=licence.holder_id).first()


def _points_notices(
    *, licence: DriverLicence, violation: Violation, decision: PenaltyDecision
) -> None:
    """Tell the holder the points recorded (the full score is told from the status history:
    vmo.notices.scans, letter B)."""
    holder = (
        account_selectors.users()
        .filter(person_id=licence.holder_id)
        .select_related("person")
        .first()
    )
    day = violation_day(violation=violation)
    total = points_in_cycle(licence, on=day)
    code = violation.code
    file = mask_file_number(licence.file_number)
    phone = None if holder is not None else licence.holder.phone
    notify(
        kind="licence.points_recorded",
        context=lambda language: {
            "file": file,
            "points": decision.points,
            "total": total,
            "decision": decision.number,
            "offence": code.description_en if language == "en" else code.description_zh,
        },
        dedup_key=f"licence.points_recorded:{decision.pk}",
        user=holder,
        phone=phone,
    )


@transaction.atomic
def violation_handle(
    *, violation: Violation, actor: User, licence: DriverLicence | None = None
) -> PenaltyDecision:
    """The owner, or a driver who bound the vehicle before the violation, handles it on their
    own licence. Every problem is reported at once; nothing is written unless all pass."""
    person = _person_of(actor)
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("code", "vehicle")
        .get(pk=violation.pk)
    )
    errors: list[str] = []
    if violation.handling_status != HandlingStatus.UNHANDLED:
        errors.append(_("This record has already been handled."))
    role = handler_role(violation=violation, person=person)
    if role is None:
        errors.append(
            _(
                "You can handle only records of your own vehicles, of vehicles bound to you"
                " (from the binding date on), or records you were named as the driver of."
            )
        )
    if violation.nominations.filter(status=NominationStatus.PENDING).exists():
        errors.append(_("A named driver has not answered yet; wait for their answer."))
    own = registry.licence_of(person)
    if licence is not None and (own is None or licence.pk != own.pk):
        errors.append(_("A record can be handled only on your own driver's licence."))
    if errors:
        raise _fail(*errors)
    if own is None:
        raise _fail(
            *[str(p) for p in handling_problems(violation=violation, licence=None, points_now=0)]
        )
    return _decide(violation=violation, actor=actor, licence=own, role=role or "")


# --- Naming the driver ----------------------------------------------------------------------


@transaction.atomic
def nomination_create(
    *, violation: Violation, actor: User, driver_id_number: str, driver_name: str
) -> DriverNomination:
    """The owner (for a company's vehicle, whoever acts for the company today) names who
    drove; the driver confirms from their own account (then it is handled on their licence)
    or declines. A company's agent who drove names themselves: a company has no licence."""
    person = _person_of(actor)
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("vehicle")
        .get(pk=violation.pk)
    )
    errors: dict[str, list[str]] = {}
    allowed = answers_for_owner(person, violation)
    if not allowed:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _(
                "Only the owner of the vehicle, or someone acting for the company that owns it,"
                " can name the driver."
            )
        )
    for_company = company_at_the_time(violation) is not None
    if violation.handling_status != HandlingStatus.UNHANDLED:
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("This record has already been handled."))
    if violation.nominations.filter(status=NominationStatus.PENDING).exists():
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("A driver has already been named for this record and has not answered yet.")
        )
    driver = None
    try:
        validators.validate_id_number(driver_id_number)
    except ValidationError as exc:
        errors.setdefault("driver_id_number", []).extend(exc.messages)
    if not driver_name.strip():
        errors.setdefault("driver_name", []).append(_("Enter the driver's name."))
    if not errors:  # nothing is looked up for a refused or malformed attempt
        driver = naming.driver_to_name(
            actor=actor,
            person=person,
            errors=errors,
            id_number=driver_id_number,
            name=driver_name,
            may_be_self=for_company,
        )
    if errors:
        raise ValidationError(errors)
    assert driver is not None
    nomination = DriverNomination.objects.create(
        violation=violation, nominated_by=actor, driver=driver, created_at=clock.now()
    )
    event_record(
        actor=actor,
        subject=violation,
        action="violation.nominate",
        after={"nomination": nomination.pk, "driver": driver.pk},
    )
    notify(
        kind="violation.nominated",
        context={
            "plate": violation.plate_number,
            "place": violation.place,
            "time": clock.local(violation.occurred_at).strftime("%Y-%m-%d %H:%M"),
        },
        dedup_key=f"violation.nominated:{nomination.pk}",
        user=getattr(driver, "account", None),
        phone=driver.phone,
    )
    return nomination


def _lock_pending_nomination(nomination: DriverNomination, person: Person) -> DriverNomination:
    locked = DriverNomination.objects.select_for_update().get(pk=nomination.pk)
    errors = []
    if locked.driver_id != person.pk:
        errors.append(_("Only the named driver can answer."))
    if locked.status != NominationStatus.PENDING:
        errors.append(_("This nomination has already been answered."))
    elif nomination_expired(nomination=locked):
        errors.append(
            _("The time to answer this nomination has passed; the record is the owner's again.")
        )
    if errors:
        raise _fail(*errors)
    return locked


def _nomination_answered(nomination: DriverNomination, *, actor: User, status: str) -> None:
    nomination.status = status
    nomination.decided_at = clock.now()
    nomination.save(update_fields=["status", "decided_at"])
    event_record(
        actor=actor,
        subject=nomination.violation,
        action=f"violation.nomination_{status}",
        after={"nomination": nomination.pk},
    )
    nomination_outcome_notify(nomination=nomination, kind=f"violation.nomination_{status}")


@transaction.atomic
def nomination_confirm(*, nomination: DriverNomination, actor: User) -> PenaltyDecision:
    """The named driver confirms: the record is handled on their licence, all rules applying."""
    person = _person_of(actor)
    nomination = _lock_pending_nomination(nomination, person)
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("code", "vehicle")
        .get(pk=nomination.violation_id)
    )
    if violation.handling_status != HandlingStatus.UNHANDLED:
        raise _fail(_("This record has already been handled."))
    licence = registry.licence_of(person)
    if licence is None:
        raise _fail(
            *[str(p) for p in handling_problems(violation=violation, licence=None, points_now=0)]
        )
    nomination.violation = violation
    _nomination_answered(nomination, actor=actor, status=NominationStatus.CONFIRMED)
    return _decide(violation=violation, actor=actor, licence=licence, role="nominated")


@transaction.atomic
def nomination_decline(*, nomination: DriverNomination, actor: User) -> DriverNomination:
    person = _person_of(actor)
    nomination = _lock_pending_nomination(nomination, person)
    _nomination_answered(nomination, actor=actor, status=NominationStatus.DECLINED)
    return nomination
