"""The formats the office's rules impose, stated in the schema: a pattern that pydantic enforces
and a named `format` whose description says what the pattern cannot (check digits, real dates).

The full checks stay in vmo.registry.validators, shared with the pages; these patterns are the
part a client can check before sending. A value that matches the pattern but fails the full check
(a wrong check digit) is still refused with a 422 naming the field.

No `from __future__ import annotations` here: pydantic reads the annotations at run time.
"""

from typing import Annotated

from pydantic import Field

from vmo.registry.validators.vehicles import PLATE_PROVINCES, PLATE_SUFFIXES

# Runs of Chinese characters or letters joined by "·" or a space (vmo.accounts validate_real_name).
NAME_PATTERN = "^[\u4e00-\u9fffA-Za-z]+([· ][\u4e00-\u9fffA-Za-z]+)*$"
ID_NUMBER_PATTERN = r"^[0-9]{17}[0-9Xx]$"
VIN_PATTERN = r"^[0-9A-HJ-NPR-Za-hj-npr-z]{17}$"
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
# As printed (新B·12345) or typed in any case: the registry normalises it.
_PLATE_BODY = (
    rf"[{PLATE_PROVINCES}][A-HJ-NP-Za-hj-np-z]·?[0-9A-HJ-NP-Za-hj-np-z]{{4,6}}[{PLATE_SUFFIXES}]?"
)
PLATE_PATTERN = rf"^({_PLATE_BODY}|使[0-9]{{6}}|[0-9]{{6}}使)$"

IdNumber = Annotated[
    str,
    Field(
        pattern=ID_NUMBER_PATTERN,
        description="An 18-character citizen ID number (GB 11643): 17 digits and a check"
        " character (0-9 or X) computed from them; digits 7-14 are a real birth date.",
        json_schema_extra={"format": "cn-id-number"},
        examples=["652301199001011235"],
    ),
]
Vin = Annotated[
    str,
    Field(
        pattern=VIN_PATTERN,
        description="A 17-character VIN (ISO 3779, GB 16735) without I, O or Q; the 9th"
        " character is the check digit and the 10th, the model year, is not U, Z or 0.",
        json_schema_extra={"format": "vin"},
        examples=["LSVAU218XN2183294"],
    ),
]
PlateNumber = Annotated[
    str,
    Field(
        pattern=PLATE_PATTERN,
        description="A plate number (GA 36-2018) with its province character, e.g. 新B12345 or"
        " the new-energy 新BD12345; at most 2 letters in an ordinary serial.",
        json_schema_extra={"format": "cn-plate"},
        examples=["新B12345"],
    ),
]
MobilePhone = Annotated[
    str,
    Field(
        pattern=MOBILE_PATTERN,
        description="A mainland mobile number of 11 digits.",
        examples=["13800138000"],
    ),
]
