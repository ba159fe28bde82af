"""The generator's first pass for the registry: what each person's licence and vehicles are.

Only decisions are drawn here (dates, classes, scenarios); identifiers and keys come later,
in bulk, so each can be checked against the database once per batch.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from vmo.core import clock
from vmo.registry import rules

from .data import COLOUR_WEIGHTS, COLOURS, MODEL_WEIGHTS, MODELS, MORTGAGEES, Model
from .population import licence_validity

LICENCE_SHARE_OF_ADULTS = 0.865  # about 81% of the people are adults: ~70% hold a licence
VEHICLE_SHARE_OF_DRIVERS = 0.64  # ~45% of the people own a vehicle
SECOND_VEHICLE_SHARE = 0.10
MORTGAGED_SHARE = 0.08
LAID_UP_SHARE = 0.01
LICENCE_SCENARIOS = (
    "normal",
    "renewal_overdue",
    "suspended",
    "revoked",
    "cancelled",
    "stopped",
    "renewal_deferred",
    "withheld",
    "full_score",
    "verification_overdue",
)
LICENCE_CUM = list(accumulate((88.0, 3, 0.6, 0.5, 0.5, 0.2, 0.2, 0.2, 0.6, 0.5)))
DECIDED_FLAGS = {
    "suspended": "D",
    "revoked": "F",
    "cancelled": "G",
    "stopped": "J",
    "renewal_deferred": "N",
    "withheld": "U",
}
MODEL_CUM = list(accumulate(MODEL_WEIGHTS))
COLOUR_CUM = list(accumulate(COLOUR_WEIGHTS))


@dataclass(slots=True)
class VehicleSpec:
    owner: int  # index of the person in the batch
    licence: int  # index of the owner's licence in the batch
    model: Model
    year: int
    registered: date
    colour: str
    engine: str
    inspection: date
    insurance: date
    flags: set[str] = field(default_factory=set)
    mortgagee: str = ""
    mortgaged_on: date | None = None


@dataclass(slots=True)
class LicenceSpec:
    holder: int
    fields: dict[str, Any]
    scenario: str
    points_now: int = 0


def licence_spec(rng: random.Random, today: date, holder: int, birth: date) -> LicenceSpec | None:
    adult = date(birth.year + 18, birth.month, min(birth.day, 28))
    if adult >= today or rng.random() >= LICENCE_SHARE_OF_ADULTS:
        return None
    scenario = rng.choices(LICENCE_SCENARIOS, cum_weights=LICENCE_CUM)[0]
    earliest = max(adult, date(1988, 1, 1))
    issue = earliest + timedelta(days=int(rng.random() * max((today - earliest).days - 1, 1)))
    large = scenario == "verification_overdue" or (
        rng.random() < 0.05 and today.year - birth.year < 60
    )
    classes = (
        rng.choice(("A1", "A2", "B2", "A2D", "B2E"))
        if large
        else rng.choices(("C1", "C2", "C1E", "C1D"), cum_weights=(70, 90, 96, 100))[0]
    )
    valid_from, valid_to = licence_validity(issue, today)
    lapsed = today - timedelta(days=rng.randint(1, 360))
    if scenario in {"renewal_overdue", "renewal_deferred"}:
        if valid_to is not None and (lapsed - issue).days > 365:
            valid_to, valid_from = lapsed, max(issue, rules.add_months(lapsed, -72))
        else:
            scenario = "normal"  # a recent or long-term licence cannot have lapsed
    start = rules.cycle_start(issue, today)
    fields: dict[str, Any] = {
        "classes": classes,
        "first_issue_date": issue,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    if (today - issue).days < 365:
        fields["probation_until"] = rules.add_months(issue, 12)
    if large:
        overdue = scenario == "verification_overdue"
        fields["verification_due"] = (
            today - timedelta(days=rng.randint(1, 200))
            if overdue
            else rules.cycle_end(start) + timedelta(days=30)
        )
    if today.year - birth.year >= 70:
        fields["physical_due"] = rules.cycle_end(start) + timedelta(days=30)
    return LicenceSpec(holder=holder, fields=fields, scenario=scenario)


def vehicle_counts(rng: random.Random) -> int:
    if rng.random() >= VEHICLE_SHARE_OF_DRIVERS:
        return 0
    return 2 if rng.random() < SECOND_VEHICLE_SHARE else 1


def vehicle_spec(rng: random.Random, today: date, owner: int, licence: int) -> VehicleSpec:
    model = rng.choices(MODELS, cum_weights=MODEL_CUM)[0]
    year = rng.randint(2006, today.year - 1)
    registered = date(year, rng.randint(1, 12), rng.randint(1, 28))
    draw = rng.random()
    inspection = (
        today - timedelta(days=rng.randint(1, 900))
        if draw < 0.05
        else today + timedelta(days=rng.randint(0, 720))
    )
    spec = VehicleSpec(
        owner=owner,
        licence=licence,
        model=model,
        year=year,
        registered=registered,
        colour=rng.choices(COLOURS, cum_weights=COLOUR_CUM)[0],
        engine=f"{model.wmi[1:]}{rng.randint(10**7, 10**8 - 1)}",
        inspection=inspection,
        insurance=today + timedelta(days=rng.randint(-60, 365)),
    )
    if rng.random() < MORTGAGED_SHARE:
        spec.mortgagee = rng.choice(MORTGAGEES)
        spec.mortgaged_on = registered + timedelta(days=rng.randint(0, 60))
    if rng.random() < LAID_UP_SHARE:
        spec.flags.add("D")
    return spec


def moment(rng: random.Random, day: date) -> datetime:
    """A time of day in the office's zone when cameras see traffic (07:00 to 22:59)."""
    # One draw for hour and minute: randint costs several times random() at millions of rows.
    minute = int(rng.random() * 16 * 60)
    return datetime(
        day.year, day.month, day.day, 7 + minute // 60, minute % 60, tzinfo=clock.OFFICE_TZ
    )
