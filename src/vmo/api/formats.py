"""The formats the office's rules impose, stated in the schema: a pattern that pydantic enforces
and a named `format` whose description says what the pattern cannot (check digits, real dates).

The full checks stay in vmo.registry.validators, shared with the pages; these patterns are the
part a client can check before sending. A value that matches the pattern but fails the full check
(a wrong check digit) is still refused with a 422 naming the field.

No `from __future__ import annotations` here: pydantic reads the annotations at run time.
"""

from typing import Annotated, Any

from pydantic import Field

from vmo.registry.validators.vehicles import PLATE_PROVINCES, PLATE_SUFFIXES

# Runs of Chinese characters or letters joined by "·" or a space (vmo.accounts.validators.validate_real_name).
NAME_PATTERN = "^[\u4e00-\u9fffA-Za-z]+([· ][\u4e00-\u9fffA-Za-z]+)*$"
ID_NUMBER_PATTERN = r"^[0-9]{17}[0-9Xx]$"
VIN_PATTERN = r"^[0-9A-HJ-NPR-Za-hj-npr-z]{17}$"
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
# As printed (新B·12345) or typed in any case: the registry normalises it.
_PLATE_BODY = (
    rf"[{PLATE_PROVINCES}][A-HJ-NP-Za-hj-np-z]·?[0-9A-HJ-NP-Za-hj-np-z]{{4,6}}[{PLATE_SUFFIXES}]?"
)
PLATE_PATTERN = rf"^({_PLATE_BODY}|使[0-9]{{6}}|[0-9]{{6}}使)$"


def _format(pattern: str, description: str, example: str, name: str | None = None) -> Any:
    """The schema of one format: the pattern pydantic enforces, what it cannot check, an example
    and, for a format with a check the pattern cannot express, its name."""
    return Field(
        pattern=pattern,
        description=description,
        examples=[example],
        json_schema_extra={"format": name} if name else None,
    )


IdNumber = Annotated[
    str,
    _format(
        ID_NUMBER_PATTERN,
        "An 18-character citizen ID number (GB 11643): 17 digits and a check"
        " character (0-9 or X) computed from them; digits 7-14 are a real birth date.",
        "652301199001011235",
        "cn-id-number",
    ),
]
Vin = Annotated[
    str,
    _format(
        VIN_PATTERN,
        "A 17-character VIN (ISO 3779, GB 16735) without I, O or Q; the 9th"
        " character is the check digit and the 10th, the model year, is not U, Z or 0.",
        "LSVAU218XN2183294",
        "vin",
    ),
]
PlateNumber = Annotated[
    str,
    _format(
        PLATE_PATTERN,
        "A plate number (GA 36-2018) with its province character, e.g. 新B12345 or"
        " the new-energy 新BD12345; at most 2 letters in an ordinary serial.",
        "新B12345",
        "cn-plate",
    ),
]
MobilePhone = Annotated[
    str, _format(MOBILE_PATTERN, "A mainland mobile number of 11 digits.", "13800138000")
]
