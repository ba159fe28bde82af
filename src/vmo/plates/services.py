"""Writes of plate selection: draws, reservations, their end, and the day seeds.

Every refusal is a ValidationError naming each problem, raised before anything is written.
The guarantee that a number goes to one applicant is the database's (models.Reservation's
partial unique indexes); the row lock on the pool number makes the loser's refusal clean.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.core.workdays import add_working_days
from vmo.notices.services import notify
from vmo.registry import selectors as registry
from vmo.registry import validators

from . import fairness, rules
from .choices import NumberStatus, PoolPlateType, ReservationSource, ReservationStatus
from .conf import conf
from .models import DaySeed, Draw, PoolNumber, Reservation, WithheldSeries
from .pool import demo_pool_load, pool_batch_load, withheld_patterns
from .throttle import Availability, check_allowance

if TYPE_CHECKING:
    from vmo.registry.models import Company

__all__ = [
    "Availability",
    "demo_pool_load",
    "draw_create",
    "number_check",
    "pool_batch_load",
    "reservation_bind",
    "reservation_create",
    "reservation_release",
    "reservation_reminders_send",
    "reservations_expire",
    "seed_commit",
    "seed_reveal",
    "seeds_reveal",
    "withheld_add",
    "withheld_deactivate",
]

# --- Day seeds ------------------------------------------------------------------------------


def seed_commit(*, day: date, actor: Any = None) -> DaySeed:
    """Create the day's seed and publish its hash; run the day before. A second run keeps the
    first seed: a commitment, once published, never changes."""
    seed = secrets.token_bytes(32)
    with transaction.atomic():
        row, created = DaySeed.objects.get_or_create(
            day=day,
            defaults={
                "seed_hex": seed.hex(),
                "commitment": fairness.seed_commitment(seed),
                "committed_at": clock.now(),
            },
        )
        if created:
            event_record(
                actor=actor,
                subject=row,
                action="plates.seed_committed",
                after={"day": day.isoformat(), "commitment": row.commitment},
            )
    return row


def _reveal(row: DaySeed, actor: Any) -> None:
    row.revealed_at = clock.now()
    row.save(update_fields=["revealed_at"])
    event_record(
        actor=actor,
        subject=row,
        action="plates.seed_revealed",
        after={"day": row.day.isoformat(), "seed": row.seed_hex},
    )


def seed_reveal(*, seed: DaySeed, actor: Any) -> DaySeed:
    with transaction.atomic():
        row = DaySeed.objects.select_for_update().get(pk=seed.pk)
        if row.day >= clock.today():
            raise ValidationError(
                _("A day's seed is revealed only after the day has ended."), code="too_early"
            )
        if row.revealed_at is None:
            _reveal(row, actor)
    return row


def seeds_reveal(*, actor: Any = None) -> int:
    """Reveal the seeds of every day that has ended (the periodic task)."""
    count = 0
    with transaction.atomic():
        for row in DaySeed.objects.select_for_update().filter(
            day__lt=clock.today(), revealed_at__isnull=True
        ):
            _reveal(row, actor)
            count += 1
    return count


# --- Checks shared by draws and reservations -------------------------------------------------


def _vin_problems(vin: str) -> list[ValidationError]:
    try:
        validators.validate_vin(vin)
    except ValidationError as exc:
        return [exc]
    if registry.vin_registered(vin):
        return [
            ValidationError(
                _(
                    "A vehicle with this VIN is already registered: numbers are pre-selected"
                    " for new vehicles only."
                ),
                code="vin_registered",
            )
        ]
    active = Reservation.objects.filter(vin=vin, status=ReservationStatus.ACTIVE).first()
    if active is not None:
        return [
            ValidationError(
                _("This vehicle already holds number %(number)s until %(date)s."),
                code="vin_has_reservation",
                params={"number": active.display, "date": active.expires_on.isoformat()},
            )
        ]
    if Reservation.objects.filter(vin=vin).count() >= office_config().plate_attempts:
        return [
            ValidationError(
                _("This vehicle has used all %(count)d selection attempts."),
                code="attempts_used",
                params={"count": office_config().plate_attempts},
            )
        ]
    return []


def _company_problems(actor: Any, company: Company | None) -> list[ValidationError]:
    if company is None:
        return []
    today = clock.today()
    person_id = getattr(actor, "person_id", None)
    acts_for = (
        registry.company_role(company=company, person_id=person_id)
        if person_id is not None
        else None
    )
    if acts_for is None or (
        acts_for.authorised_until is not None and acts_for.authorised_until < today
    ):
        return [
            ValidationError(
                _("You are not authorised to act for this company."), code="not_company_agent"
            )
        ]
    return []


def _raise(errors: dict[str, list[ValidationError]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _plate_type_problems(plate_type: str) -> list[ValidationError]:
    if plate_type in PoolPlateType.values:
        return []
    return [ValidationError(_("Choose a plate type."), code="plate_type")]


def free_numbers(plate_type: str) -> list[str]:
    """The draw's snapshot: free, not withheld, not on a vehicle; sorted by code point."""
    patterns = withheld_patterns()
    in_use = registry.active_plates().values("number")
    numbers = (
        PoolNumber.objects.filter(plate_type=plate_type, status=NumberStatus.FREE)
        .exclude(number__in=in_use)
        .values_list("number", flat=True)
    )
    return sorted(n for n in numbers if rules.withheld_by(n, patterns) is None)


# --- Draws -----------------------------------------------------------------------------------


def draw_create(
    *,
    actor: Any,
    vin: str,
    model_name: str,
    plate_type: str,
    company: Company | None = None,
) -> Draw:
    """Offer the applicant the day's candidates for a new vehicle (a redraw is another draw)."""
    vin = validators.normalise_vin(vin)
    config = office_config()
    today = clock.today()
    errors: dict[str, list[ValidationError]] = {
        "vin": _vin_problems(vin),
        "plate_type": _plate_type_problems(plate_type),
        "company": _company_problems(actor, company),
    }
    drawn_today = Draw.objects.filter(vin=vin, day__day=today).count()
    if drawn_today > config.plate_redraws:
        errors["__all__"] = [
            ValidationError(
                _(
                    "This vehicle has had its %(count)d redraws today. Choose from the last"
                    " draw, compose a number, or draw again tomorrow."
                ),
                code="redraws_used",
                params={"count": config.plate_redraws},
            )
        ]
    _raise(errors)
    numbers = free_numbers(plate_type)
    if not numbers:
        raise ValidationError(
            _("No numbers of this plate type are free at the moment. Try again later."),
            code="pool_empty",
        )
    seed = seed_commit(day=today)
    public_id = f"{today:%Y%m%d}-{secrets.token_hex(8)}"
    with transaction.atomic():
        draw = Draw.objects.create(
            public_id=public_id,
            day=seed,
            user=actor,
            company=company,
            vin=vin,
            model_name=model_name.strip(),
            plate_type=plate_type,
            created_at=clock.now(),
            snapshot=fairness.snapshot_pack(numbers),
            snapshot_hash=fairness.snapshot_hash(numbers),
            snapshot_size=len(numbers),
            candidates=fairness.candidates_for(
                seed=seed.seed, draw_id=public_id, numbers=numbers, count=config.plate_candidates
            ),
        )
        event_record(
            actor=actor,
            subject=draw,
            action="plates.drawn",
            after={"vin": vin, "plate_type": plate_type, "free": len(numbers)},
        )
    return draw


def redraws_left(vin: str) -> int:
    used = Draw.objects.filter(vin=vin, day__day=clock.today()).count()
    return max(0, office_config().plate_redraws + 1 - used)


# --- Composed numbers ------------------------------------------------------------------------


def _number_problems(number: str, plate_type: str, *, composed: bool) -> list[ValidationError]:
    """Format, withheld series and composition rules: no database lock needed."""
    try:
        rules.check_number_for_type(number, plate_type, office_config().plate_prefix)
    except ValidationError as exc:
        return [exc]
    problems: list[ValidationError] = []
    if rules.withheld_by(number, withheld_patterns()) is not None:
        problems.append(
            ValidationError(
                _("%(number)s is withheld by the office and cannot be chosen."),
                code="withheld",
                params={"number": number},
            )
        )
    if composed:
        problems += [
            ValidationError(m, code="compose_rule") for m in rules.compose_problems(number)
        ]
    return problems


def _unavailable(number: str) -> ValidationError | None:
    row = PoolNumber.objects.filter(number=number).first()
    if row is None:
        return ValidationError(
            _("%(number)s is not among the numbers the office has released for selection."),
            code="not_released",
            params={"number": number},
        )
    if row.status != NumberStatus.FREE or registry.plate_in_use(number):
        return ValidationError(
            _("%(number)s has just been taken by another applicant."),
            code="taken",
            params={"number": number},
        )
    return None


def number_check(*, actor: Any, number: str, plate_type: str) -> Availability:
    """Whether a composed number could be reserved now. Counted against the actor's allowance
    of checks (settings VMO_PLATES checks_per_hour / checks_per_day) so nobody can list the pool."""
    check_allowance(actor)
    number = validators.normalise_plate(number)
    problems = _plate_type_problems(plate_type) or _number_problems(
        number, plate_type, composed=True
    )
    if not problems:
        taken = _unavailable(number)
        problems = [taken] if taken else []
    return Availability(
        number=number, available=not problems, problems=[m for e in problems for m in e.messages]
    )


# --- Reservations ----------------------------------------------------------------------------


def reservation_create(
    *,
    actor: Any,
    number: str,
    vin: str = "",
    model_name: str = "",
    plate_type: str = "",
    draw: Draw | None = None,
    company: Company | None = None,
) -> Reservation:
    """Reserve a number for a vehicle: one of a draw's candidates, or a composed number.

    Refusals change nothing; a number taken a moment ago is a refusal, never an error."""
    number = validators.normalise_plate(number)
    if draw is not None:
        vin, model_name, plate_type, company = (
            draw.vin,
            draw.model_name,
            draw.plate_type,
            draw.company,
        )
    vin = validators.normalise_vin(vin)
    errors: dict[str, list[ValidationError]] = {
        "vin": _vin_problems(vin),
        "company": _company_problems(actor, company),
        "plate_type": _plate_type_problems(plate_type),
    }
    if draw is not None:
        if draw.user_id != actor.pk:
            raise Draw.DoesNotExist
        if number not in draw.candidates:
            errors["number"] = [
                ValidationError(_("Choose one of the numbers of this draw."), code="not_offered")
            ]
        elif draw.created_at.astimezone(clock.OFFICE_TZ).date() != clock.today():
            errors["number"] = [
                ValidationError(_("This draw was for an earlier day. Draw again."), code="stale")
            ]
        else:
            errors["number"] = _number_problems(number, plate_type, composed=False)
    elif not errors["plate_type"]:
        errors["number"] = _number_problems(number, plate_type, composed=True)
    if not model_name.strip():
        errors["model_name"] = [
            ValidationError(_("Enter the model from the vehicle's certificate."), code="required")
        ]
    _raise(errors)
    return _reserve(
        actor=actor,
        number=number,
        vin=vin,
        model_name=model_name.strip(),
        plate_type=plate_type,
        draw=draw,
        company=company,
    )


def _reserve(
    *,
    actor: Any,
    number: str,
    vin: str,
    model_name: str,
    plate_type: str,
    draw: Draw | None,
    company: Company | None,
) -> Reservation:
    today = clock.today()
    with transaction.atomic():
        # The lock makes a concurrent loser wait, then see the number taken: a clean refusal.
        pool = PoolNumber.objects.select_for_update().filter(number=number).first()
        problem = _unavailable(number)
        if pool is None or problem is not None or pool.plate_type != plate_type:
            raise ValidationError(
                {
                    "number": [
                        problem
                        or ValidationError(
                            _("%(number)s is not a number for %(type)s plates."),
                            code="plate_type_mismatch",
                            params={"number": number, "type": PoolPlateType(plate_type).label},
                        )
                    ]
                }
            )
        try:
            with transaction.atomic():
                reservation = Reservation.objects.create(
                    number=number,
                    pool_number=pool,
                    plate_type=plate_type,
                    vin=vin,
                    model_name=model_name,
                    user=actor,
                    company=company,
                    source=ReservationSource.DRAWN if draw else ReservationSource.COMPOSED,
                    draw=draw,
                    reserved_at=clock.now(),
                    expires_on=add_working_days(today, office_config().plate_hold_working_days),
                )
        except IntegrityError:
            # The indexes are the last word: another process won the number or the vehicle.
            if Reservation.objects.filter(vin=vin, status=ReservationStatus.ACTIVE).exists():
                raise ValidationError(
                    {
                        "vin": [
                            ValidationError(
                                _("This vehicle has just reserved another number."),
                                code="vin_has_reservation",
                            )
                        ]
                    }
                ) from None
            raise ValidationError(
                {
                    "number": [
                        ValidationError(
                            _("%(number)s has just been taken by another applicant."),
                            code="taken",
                            params={"number": number},
                        )
                    ]
                }
            ) from None
        pool.status = NumberStatus.RESERVED
        pool.save(update_fields=["status"])
        event_record(
            actor=actor,
            subject=reservation,
            action="plates.reserved",
            after={
                "number": number,
                "vin": vin,
                "source": reservation.source,
                "draw": draw.public_id if draw else "",
                "expires_on": reservation.expires_on.isoformat(),
            },
        )
    return reservation


def _end(
    reservation: Reservation,
    *,
    actor: Any,
    status: ReservationStatus,
    pool_status: NumberStatus,
    reason: str,
) -> Reservation:
    row = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if row.status != ReservationStatus.ACTIVE:
        raise ValidationError(
            _("This reservation has already ended (%(status)s)."),
            code="not_active",
            params={"status": row.get_status_display()},
        )
    before = {"status": row.status}
    row.status, row.ended_at = status, clock.now()
    row.ended_by = actor if getattr(actor, "pk", None) else None
    row.save(update_fields=["status", "ended_at", "ended_by"])
    PoolNumber.objects.filter(pk=row.pool_number_id).update(status=pool_status)
    event_record(
        actor=actor,
        subject=row,
        action=f"plates.{status}",
        before=before,
        after={"status": status, "number": row.number},
        reason=reason,
    )
    return row


def reservation_bind(*, reservation: Reservation, actor: Any) -> None:
    """The number is used at first registration (V02 calls this in its own transaction)."""
    with transaction.atomic():
        _end(
            reservation,
            actor=actor,
            status=ReservationStatus.BOUND,
            pool_status=NumberStatus.BOUND,
            reason="registered",
        )


def reservation_release(
    *, reservation: Reservation, actor: Any, reason: str = "", expired: bool = False
) -> Reservation:
    """Give the number back to the pool: by the applicant, the office, or on expiry."""
    with transaction.atomic():
        row = _end(
            reservation,
            actor=actor,
            status=ReservationStatus.EXPIRED if expired else ReservationStatus.RELEASED,
            pool_status=NumberStatus.FREE,
            reason=reason,
        )
        if actor is None or getattr(actor, "pk", None) != row.user_id:
            notify(
                kind="plates.reservation_released",
                context={"number": row.display, "date": row.expires_on.isoformat()},
                dedup_key=f"plates.reservation_released:{row.pk}",
                user=row.user,
                link=f"/plates/reservations/{row.pk}/",
            )
    return row


def reservations_expire() -> int:
    """Release every reservation whose last day kept has passed. Safe to run twice."""
    today = clock.today()
    count = 0
    for reservation in Reservation.objects.filter(
        status=ReservationStatus.ACTIVE, expires_on__lt=today
    ).only("pk"):
        try:
            reservation_release(
                reservation=reservation, actor=None, reason="not registered in time", expired=True
            )
        except ValidationError:
            continue  # bound or released meanwhile
        count += 1
    return count


def reservation_reminders_send() -> int:
    """Remind holders a few days before their number is released (once per reservation)."""
    today = clock.today()
    soon = today.toordinal() + conf("remind_days_before")
    count = 0
    rows = Reservation.objects.filter(
        status=ReservationStatus.ACTIVE,
        expires_on__gte=today,
        expires_on__lte=date.fromordinal(soon),
    ).select_related("user")
    for row in rows:
        with transaction.atomic():
            notify(
                kind="plates.reservation_expiring",
                context={"number": row.display, "date": row.expires_on.isoformat()},
                dedup_key=f"plates.reservation_expiring:{row.pk}",
                user=row.user,
                link=f"/plates/reservations/{row.pk}/",
            )
        count += 1
    return count


# --- Withheld series -------------------------------------------------------------------------


def withheld_add(*, actor: Any, pattern: str, reason: str) -> WithheldSeries:
    pattern = validators.normalise_plate(pattern)
    errors: dict[str, list[ValidationError]] = {"pattern": [], "reason": []}
    try:
        rules.validate_pattern(pattern)
    except ValidationError as exc:
        errors["pattern"].append(exc)
    if WithheldSeries.objects.filter(pattern=pattern, active=True).exists():
        errors["pattern"].append(
            ValidationError(_("This pattern is already withheld."), code="duplicate")
        )
    if not reason.strip():
        errors["reason"].append(ValidationError(_("Give the reason."), code="required"))
    _raise(errors)
    with transaction.atomic():
        row, _created = WithheldSeries.objects.update_or_create(
            pattern=pattern,
            defaults={
                "reason": reason.strip(),
                "active": True,
                "created_at": clock.now(),
                "created_by": actor,
            },
        )
        event_record(
            actor=actor,
            subject=row,
            action="plates.withheld",
            after={"pattern": pattern},
            reason=reason,
        )
    return row


def withheld_deactivate(*, actor: Any, series: WithheldSeries) -> None:
    with transaction.atomic():
        WithheldSeries.objects.filter(pk=series.pk).update(active=False)
        event_record(
            actor=actor,
            subject=series,
            action="plates.withheld_lifted",
            before={"pattern": series.pattern},
        )
