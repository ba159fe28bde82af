"""What every identifier validator shares: one way to build the refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Character classes are spelled out: in Python patterns \d also matches full-width and
# other non-ASCII digits, which would slip past the format checks.


def invalid(message: StrOrPromise, code: str, **params: str) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)
