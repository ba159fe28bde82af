"""The allowance of availability checks per user (cache counters: Redis in production, so the
limit holds across processes). Only checks are limited; a reservation is limited by attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vmo.core import cachesafe, clock

from .conf import conf

if TYPE_CHECKING:
    from vmo.accounts.models import User


@dataclass(frozen=True)
class Availability:
    number: str
    available: bool
    problems: list[str] = field(default_factory=list)


def check_allowance(actor: User) -> None:
    """Count one check; refuse when the hour's or the day's allowance is used up."""
    now = clock.now()
    user = getattr(actor, "pk", None) or "anon"
    windows = (
        (f"plates:checks:{user}:{now:%Y%m%d%H}", 3600, conf("checks_per_hour")),
        (f"plates:checks:{user}:{now:%Y%m%d}", 86400, conf("checks_per_day")),
    )
    over = [limit for key, timeout, limit in windows if cachesafe.count(key, timeout) > limit]
    if over:
        raise ValidationError(
            _(
                "You have checked too many numbers for now. Try again later, or choose from"
                " a random draw."
            ),
            code="rate_limited",
        )
