"""Inspection periods and the exempt sticker (RI Art 16, the 2022 reform)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from .choices import UseNature
from .rules import add_months, whole_years

# Small and mini passenger cars; vans (K39) are outside the exemption (the 2022 reform of RI Art 16).
LARGE_PASSENGER = frozenset({"K11", "K21"})
# Years of age whose sticker is issued without a station visit (2022 reform).
EXEMPT_YEARS = {2, 4, 8}


PASSENGER_SMALL = frozenset({"K31", "K33", "K41"})
OPERATING_PASSENGER = frozenset({"B", "C", "D", "E"})

# R164 Art 54: the sticker (exempt or not) may be applied for within the three months before
# the inspection validity ends; "以内" includes the day three months before. The one rule for
# the sticker conditions, the inspection bookings, the status page and the reminders.
WINDOW_MONTHS = 3


def window_opens(valid_until: date) -> date:
    """First day of the inspection window of a validity ending on `valid_until`."""
    return add_months(valid_until, -WINDOW_MONTHS)


def in_window(valid_until: date, day: date) -> bool:
    """The window is open on `day`: from three months before the validity ends to its end."""
    return window_opens(valid_until) <= day <= valid_until


def window_latest_until(day: date) -> date:
    """The latest validity end whose window is open on `day` (for set-based scans): on a
    month's last day, every later day of the month three months on opened with it."""
    latest = add_months(day, WINDOW_MONTHS)
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return latest.replace(day=calendar.monthrange(latest.year, latest.month)[1])
    return latest


def cycle_months(
    *, vehicle_type: str, use_nature: str, seats: int, registered: date, on: date
) -> int:
    """Months of validity a passed station inspection gives, by the vehicle's age on `on`.

    RI Art 16 as changed by the 2022 reform: small and mini non-operating
    passenger cars (≤9 seats, vans excluded) visit a station in years 6 and 10 (the stickers of
    years 2, 4, 8 come online, V08), so a station pass covers 2 years up to year 10, then 1 year,
    then 6 months after 15 years [U: unchanged by the reform]. School buses: 6 months (R164 Art 62).
    """
    age = whole_years(registered, on)
    if use_nature == "K":
        return 6
    if vehicle_type.startswith("K") and use_nature in OPERATING_PASSENGER:
        return 12 if age < 5 else 6
    if vehicle_type.startswith("H") or vehicle_type in LARGE_PASSENGER:
        return 12 if age < 10 else 6
    if vehicle_type in PASSENGER_SMALL and seats <= 9:
        if age < 10:
            return 24
        return 12 if age < 15 else 6
    if vehicle_type.startswith("K"):  # vans and other small passenger vehicles: baseline
        if age < 6:
            return 24
        return 12 if age < 15 else 6
    if vehicle_type.startswith("M"):
        return 24 if age < 4 else 12
    return 12


def next_valid_until(
    *,
    valid_until: date,
    inspected_on: date,
    vehicle_type: str,
    use_nature: str,
    seats: int,
    registered: date,
) -> date:
    """The validity after a pass: the cycle runs on from the old end date, so the due month does
    not drift; a long-overdue vehicle gets cycles added until the date is after the inspection
    [U: practice of keeping the registration month]."""
    until = valid_until
    while True:
        months = cycle_months(
            vehicle_type=vehicle_type,
            use_nature=use_nature,
            seats=seats,
            registered=registered,
            on=until,
        )
        until = add_months(until, months)
        if until > inspected_on:
            return until


def interval_months(vehicle: Any, on: date) -> int:
    """Months until the next inspection for this vehicle on `on`."""
    return cycle_months(
        vehicle_type=vehicle.vehicle_type,
        use_nature=vehicle.use_nature,
        seats=vehicle.seats,
        registered=vehicle.registration_date,
        on=on,
    )


def next_due(vehicle: Any, passed_on: date) -> date:
    """The new inspection validity after a sticker or a pass on `passed_on`."""
    return next_valid_until(
        valid_until=vehicle.inspection_valid_until,
        inspected_on=passed_on,
        vehicle_type=vehicle.vehicle_type,
        use_nature=vehicle.use_nature,
        seats=vehicle.seats,
        registered=vehicle.registration_date,
    )


def exempt_sticker_allowed(vehicle: Any) -> bool:
    """A non-operating small car (≤ 9 seats, not a van) whose due inspection is in its 2nd, 4th
    or 8th year gets its sticker without a station visit."""
    if vehicle.use_nature != UseNature.PRIVATE or vehicle.vehicle_type not in PASSENGER_SMALL:
        return False
    if vehicle.seats > 9:
        return False
    return whole_years(vehicle.registration_date, vehicle.inspection_valid_until) in EXEMPT_YEARS


# 机动车强制报废标准规定 Art 4(4): a vehicle that has not had an inspection sticker for three
# inspection cycles in a row after its validity ended is due for compulsory scrapping.
SCRAP_MISSED_CYCLES = 3


def compulsory_scrap_from(vehicle: Any) -> date:
    """The first day the vehicle has missed three whole cycles since its validity ended: each
    cycle as long as a pass would give at its start (cycle_months), counted on from the old
    end date as next_valid_until does. Only the rule: the scan, the owner's notice, the
    officer's confirmation and the announcement are not built yet (docs/legal-rules.md)."""
    until = vehicle.inspection_valid_until
    for _ in range(SCRAP_MISSED_CYCLES):
        until = add_months(until, interval_months(vehicle, until))
    return until + timedelta(days=1)
