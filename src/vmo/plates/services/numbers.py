"""Composed numbers: the applicant's own number, checked against the rules and the pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vmo.core.selectors import office_config
from vmo.registry import selectors as registry
from vmo.registry import validators

from .. import rules
from ..choices import NumberStatus
from ..models import PoolNumber
from ..pool import withheld_patterns
from ..throttle import Availability, check_allowance

if TYPE_CHECKING:
    from vmo.accounts.models import User

    pass
from .checks import plate_type_problems


def number_problems(*, number: str, plate_type: str, composed: bool) -> list[ValidationError]:
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


def number_unavailable(*, number: str) -> ValidationError | None:
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


def number_check(*, actor: User, number: str, plate_type: str) -> Availability:
    """Whether a composed number could be reserved now. Counted against the actor's allowance
    of checks (settings VMO_PLATES checks_per_hour / checks_per_day) so nobody can list the pool."""
    check_allowance(actor)
    number = validators.normalise_plate(number)
    problems = plate_type_problems(plate_type=plate_type) or number_problems(
        number=number, plate_type=plate_type, composed=True
    )
    if not problems:
        taken = number_unavailable(number=number)
        problems = [taken] if taken else []
    return Availability(
        number=number, available=not problems, problems=[m for e in problems for m in e.messages]
    )
