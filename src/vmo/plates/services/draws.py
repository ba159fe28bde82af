"""Draws: random numbers offered to one vehicle, with the daily redraw allowance."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.registry import validators

from .. import fairness
from ..models import Draw
from ..selectors import free_numbers

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Company
from .checks import (
    company_problems,
    plate_type_problems,
    raise_problems,
    vin_problems,
)
from .seeds import seed_commit


def draw_create(
    *,
    actor: User,
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
        "vin": vin_problems(vin=vin, actor=actor),
        "plate_type": plate_type_problems(plate_type=plate_type),
        "company": company_problems(actor=actor, company=company),
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
    raise_problems(errors=errors)
    numbers = free_numbers(plate_type=plate_type)
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
