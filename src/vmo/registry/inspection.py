"""Inspection periods and the exempt sticker (RI Art 16, the 2022 reform; DOMAIN.md §5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .choices import UseNature
from .rules import add_months

# Small and mini passenger cars; vans (K39) are outside the exemption (DOMAIN.md §5).
_SMALL_PASSENGER = {"K31", "K33", "K41"}
_LARGE_PASSENGER = {"K11", "K21"}
# Years of age whose sticker is issued without a station visit (2022 reform).
EXEMPT_YEARS = {2, 4, 8}


def age_years(registered: date, on: date) -> int:
    years = on.year - registered.year
    return years - 1 if (on.month, on.day) < (registered.month, registered.day) else years


def interval_months(vehicle: Any, on: date) -> int:
    """Months until the next inspection for a vehicle of this kind and age on `on`."""
    age = age_years(vehicle.registration_date, on)
    kind, use = vehicle.vehicle_type, vehicle.use_nature
    if use == UseNature.SCHOOL_BUS:
        return 6
    if kind.startswith("M"):
        return 24 if age < 4 else 12
    if kind.startswith("K") and use != UseNature.PRIVATE:
        return 12 if age < 5 else 6
    if kind in _SMALL_PASSENGER or kind == "K39":
        if age < 6 or (kind != "K39" and age < 10):
            return 24
        return 12 if age < 15 else 6
    if kind.startswith("H") or kind in _LARGE_PASSENGER:
        return 12 if age < 10 else 6
    return 12


def next_due(vehicle: Any, passed_on: date) -> date:
    """The new inspection validity after a sticker issued on `passed_on`, counted from the
    current due date so that inspecting early loses nothing."""
    base = max(vehicle.inspection_valid_until, passed_on)
    return add_months(base, interval_months(vehicle, base))


def exempt_sticker_allowed(vehicle: Any, *, on: date) -> bool:
    """A non-operating small car (≤ 9 seats, not a van) whose due inspection is in its 2nd, 4th
    or 8th year gets its sticker without a station visit."""
    if vehicle.use_nature != UseNature.PRIVATE or vehicle.vehicle_type not in _SMALL_PASSENGER:
        return False
    if vehicle.seats > 9:
        return False
    return age_years(vehicle.registration_date, vehicle.inspection_valid_until) in EXEMPT_YEARS
