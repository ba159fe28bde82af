"""A person's name as an account holder types it: normalised the one way and checked the one
way, by the sign-up service, the forms (as a Django validator, called with the value alone) and
the driver naming of violations."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_DOT_VARIANTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·"})
# Runs of letters (Chinese characters count as letters) joined by "·" or a single space.
_NAME_RE = re.compile(r"[^\W\d_]+(?:[· ][^\W\d_]+)*")


def normalise_name(value: str) -> str:
    return " ".join(value.split()).translate(_DOT_VARIANTS)


def validate_real_name(value: str) -> None:
    """The name as on the ID card: 2 to 30 letters or Chinese characters, parts joined by ·."""
    name = normalise_name(value)
    if not (2 <= len(name) <= 30 and _NAME_RE.fullmatch(name)):
        raise ValidationError(
            _(
                "Enter your name as on your ID card: 2 to 30 Chinese characters or letters, with · between the parts of a name."
            ),
            code="name_format",
        )
