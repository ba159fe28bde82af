"""What the licence and vehicle services share: decided status letters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    pass


def _changed_flags(current: str, *, add: str, remove: str, derived: frozenset[str]) -> str:
    """The decided letters after a change; letters derived from facts cannot be set by hand."""
    bad = set(add + remove) & derived
    if bad:
        raise ValidationError(
            _("Status letters %(letters)s follow from the facts and cannot be set.")
            % {"letters": "".join(sorted(bad))}
        )
    return "".join(sorted((set(current) | set(add)) - set(remove)))
