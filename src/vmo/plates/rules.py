"""Rules of plate numbers for selection, on top of the registry's GA 36 validators.

The registry validators check the national format (province, authority letter, 5-character
serial with at most 2 letters, new-energy serials, never I or O). Pools add what they do not:
the number must fit the plate type it is released for (an ordinary number for 01/02, a small
new-energy serial for 52, a large one for 51) and carry this office's prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vmo.registry import validators

from .choices import PoolPlateType
from .conf import conf

# Which GA 36 shape each pool type takes: (new energy, size of a new-energy serial).
_TYPE_SHAPES: dict[str, tuple[bool, str | None]] = {
    PoolPlateType.SMALL: (False, None),
    PoolPlateType.LARGE: (False, None),
    PoolPlateType.SMALL_NEW_ENERGY: (True, "small"),
    PoolPlateType.LARGE_NEW_ENERGY: (True, "large"),
}

_PATTERN_RE = re.compile(r"[0-9A-Z?*\u4e00-\u9fff]{1,20}")


def check_number_for_type(number: str, plate_type: str, prefix: str) -> None:
    """Raise ValidationError unless ``number`` (normalised) is a valid number of this office
    for this plate type."""
    new_energy, size = _TYPE_SHAPES[plate_type]
    validators.validate_plate_for_office(number, prefix, new_energy=new_energy)
    if size is not None and validators.parse_plate(number).size != size:
        raise ValidationError(
            _("%(number)s is not a number for %(type)s plates."),
            code="plate_type_mismatch",
            params={"number": number, "type": PoolPlateType(plate_type).label},
        )


def validate_pattern(value: str) -> None:
    if not _PATTERN_RE.fullmatch(value):
        raise ValidationError(
            _(
                "A pattern uses plate characters, ? for any one character and * for any run"
                " of characters (at most 20)."
            ),
            code="pattern_format",
        )


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts))


def withheld_by(number: str, patterns: Iterable[str]) -> str | None:
    """The first withheld pattern the number matches, or None."""
    for pattern in patterns:
        if _compiled(pattern).fullmatch(number):
            return pattern
    return None


def compose_problems(number: str) -> list[str]:
    """Rules only composed numbers follow (drawn ones are whatever the pool holds)."""
    problems: list[str] = []
    run = conf("compose_max_same_run")
    if run and re.search(rf"(.)\1{{{run - 1}}}", number[2:]):
        problems.append(
            str(
                _("A composed number may not contain %(count)d identical characters in a row.")
                % {"count": run}
            )
        )
    return problems
