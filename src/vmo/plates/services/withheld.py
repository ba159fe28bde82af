"""Withheld series: patterns of numbers the office keeps out of the pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record
from vmo.registry import validators

from .. import rules
from ..models import WithheldSeries

if TYPE_CHECKING:
    from vmo.accounts.models import User

    pass
from .checks import raise_problems


def withheld_add(*, actor: User, pattern: str, reason: str) -> WithheldSeries:
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
    raise_problems(errors=errors)
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


def withheld_deactivate(*, actor: User, series: WithheldSeries) -> None:
    with transaction.atomic():
        WithheldSeries.objects.filter(pk=series.pk).update(active=False)
        event_record(
            actor=actor,
            subject=series,
            action="plates.withheld_lifted",
            before={"pattern": series.pattern},
        )
