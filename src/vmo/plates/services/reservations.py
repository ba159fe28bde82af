"""Reservations: holding a number for a vehicle, binding it, releasing it, expiring it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.core.workdays import add_working_days
from vmo.notices.services import notify
from vmo.registry import validators

from ..choices import NumberStatus, PoolPlateType, ReservationSource, ReservationStatus
from ..conf import conf
from ..models import Draw, PoolNumber, Reservation

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Company
from .checks import company_problems, plate_type_problems, raise_problems, vin_problems
from .numbers import number_problems, number_unavailable


def reservation_create(
    *,
    actor: User,
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
        "vin": vin_problems(vin=vin, actor=actor),
        "company": company_problems(actor=actor, company=company),
        "plate_type": plate_type_problems(plate_type=plate_type),
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
            errors["number"] = number_problems(number=number, plate_type=plate_type, composed=False)
    elif not errors["plate_type"]:
        errors["number"] = number_problems(number=number, plate_type=plate_type, composed=True)
    if not model_name.strip():
        errors["model_name"] = [
            ValidationError(_("Enter the model from the vehicle's certificate."), code="required")
        ]
    raise_problems(errors=errors)
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
    actor: User,
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
        problem = number_unavailable(number=number)
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
    actor: User | None,
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


def reservation_bind(*, reservation: Reservation, actor: User) -> None:
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
    *, reservation: Reservation, actor: User | None, reason: str = "", expired: bool = False
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
