"""Checks shared by draws and reservations: each returns the problems, none writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vmo.core.selectors import office_config
from vmo.registry import selectors as registry
from vmo.registry import validators

from ..choices import PoolPlateType, ReservationStatus
from ..models import Reservation

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Company


def vin_problems(*, vin: str, actor: User | None = None) -> list[ValidationError]:
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
    if active is not None and (actor is None or active.user_id != actor.pk):
        # Someone else's reservation: that the vehicle holds one is all they may learn.
        return [
            ValidationError(
                _("This vehicle already holds a reserved number."), code="vin_has_reservation"
            )
        ]
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


def company_problems(*, actor: User, company: Company | None) -> list[ValidationError]:
    if company is None:
        return []
    # The legal representative, or an agent under an authorisation the office recorded that
    # runs today (registry.company_selectors): being named an agent is not enough.
    if not registry.acts_for(getattr(actor, "person_id", None), company.pk):
        return [
            ValidationError(
                _("You are not authorised to act for this company."), code="not_company_agent"
            )
        ]
    return []


def raise_problems(*, errors: dict[str, list[ValidationError]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def plate_type_problems(*, plate_type: str) -> list[ValidationError]:
    if plate_type in PoolPlateType.values:
        return []
    return [ValidationError(_("Choose a plate type."), code="plate_type")]
