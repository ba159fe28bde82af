"""Every business the office handles online, defined once: see ``base`` for what a definition holds."""

from __future__ import annotations

from .base import (
    R162,
    R163,
    R164,
    RI,
    RP,
    RTSL,
    Applicant,
    Business,
    Category,
    LegalRef,
    Regulation,
    zh_number,
)
from .licence import LICENCE
from .vehicle import VEHICLE
from .violations import VIOLATIONS

ALL: tuple[Business, ...] = VEHICLE + LICENCE + VIOLATIONS
BUSINESSES: dict[str, Business] = {b.code: b for b in ALL}
if len(BUSINESSES) != len(ALL):  # pragma: no cover - a duplicated code is a programming error
    raise RuntimeError("business codes must be unique")

__all__ = [
    "ALL",
    "BUSINESSES",
    "Applicant",
    "Business",
    "Category",
    "LegalRef",
    "R162",
    "R163",
    "R164",
    "RI",
    "RP",
    "RTSL",
    "Regulation",
    "zh_number",
]
