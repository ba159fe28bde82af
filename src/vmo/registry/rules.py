"""Pure rules of the records: scoring cycles and derived status letters (no database)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .choices import LicenceStatus, VehicleStatus

FULL_SCORE = 12  # R163 Art 3
# Letters the full score's return lifts (the study and every exam passed, R163 Art 23): U
# withheld (Arts 17, 23); J stopped from use (Art 29) [U: the article implies use resumes after
# study and exam]. Voiding the pass (Art 31 para 1) sets the same letters again.
FULL_SCORE_LIFTS = "JU"


def full_score_lifted(flags: str) -> str:
    """The letters of ``flags`` a full score's return lifts, and its void sets again."""
    return "".join(sorted(set(flags) & set(FULL_SCORE_LIFTS)))


# Letters derived from facts; every other letter is decided by an officer or a decision.
LICENCE_DERIVED = frozenset({"A", "B", "M", "S"})
VEHICLE_DERIVED = frozenset({"A", "Q"})


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the 29th-31st fall back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_years(start: date, on: date) -> int:
    """Completed years from `start` to `on` (an age, a term)."""
    years = on.year - start.year
    return years - 1 if (on.month, on.day) < (start.month, start.day) else years


# R162 as amended by Order 172 (in force 2025-01-01): at 63 the large and medium classes end and
# are exchanged for a small-car class (Art 65), told to exchange within 30 days; from 70 a
# physical-condition proof every year (Art 74), due from the birth date [U: 30 days after each
# birthday, as the old text gave 30 days after each cycle].
CLASS_EXCHANGE_AGE = 63
EXCHANGE_DAYS = 30
SENIOR_PROOF_AGE = 70
PROOF_DAYS_AFTER_BIRTHDAY = 30


def birthday(birth: date, age: int) -> date:
    """The day a person born on `birth` turns `age` (29 February: the 28th in other years)."""
    return add_months(birth, 12 * age)


def class_exchange_day(birth: date) -> date:
    return birthday(birth, CLASS_EXCHANGE_AGE)


def senior_proof_due(birth: date, on: date) -> date | None:
    """The next physical-condition proof due on or after `on` of a holder aged 70 or more (R162
    Art 74 as amended): 30 days after a birthday; None before the 70th birthday."""
    if birthday(birth, SENIOR_PROOF_AGE) > on:
        return None
    age = whole_years(birth, on)
    due = birthday(birth, age) + timedelta(days=PROOF_DAYS_AFTER_BIRTHDAY)
    if due < on:
        due = birthday(birth, age + 1) + timedelta(days=PROOF_DAYS_AFTER_BIRTHDAY)
    return due


def renewed_term(*, valid_from: date, valid_to: date, full_score_cycles: int) -> int | None:
    """Years of a renewed licence (R162 Art 62): 6 → 10 → long-term (None) when no scoring
    cycle of the ending validity reached 12 points; else the same term again."""
    years = whole_years(valid_from, valid_to + timedelta(days=1))
    if full_score_cycles:
        return years
    return 10 if years <= 6 else None


def cycle_start(first_issue: date, on: date) -> date:
    """Start of the 12-month scoring cycle containing `on`, counted from the first issue date."""
    years = on.year - first_issue.year
    start = add_months(first_issue, 12 * years)
    if start > on:
        start = add_months(first_issue, 12 * (years - 1))
    return max(start, first_issue)


def cycle_end(start: date) -> date:
    return add_months(start, 12) - timedelta(days=1)


def _ordered(letters: set[str], order: list[str]) -> str:
    return "".join(code for code in order if code in letters)


def renewal_deferral_in_force(*, flags: str, deferred_until: date | None, on: date) -> bool:
    """The one rule of a renewal deferral (N, D04, R162 Art 75): it holds while its letter is
    decided, up to its end date, that day included; from the next day the renewal is due
    again and N no longer applies. One recorded without an end date (before the date was kept)
    holds until the renewal ends it. `deferrals.renewal_deferral_in_force_q` is this rule as a
    filter."""
    return LicenceStatus.RENEWAL_DEFERRED in flags and (
        deferred_until is None or on <= deferred_until
    )


def licence_status(
    *,
    flags: str,
    points: int,
    valid_to: date | None,
    verification_due: date | None,
    today: date,
    renewal_deferred_until: date | None = None,
) -> str:
    letters = set(flags) - LICENCE_DERIVED
    if not renewal_deferral_in_force(flags=flags, deferred_until=renewal_deferred_until, on=today):
        letters.discard(LicenceStatus.RENEWAL_DEFERRED)
    if points >= FULL_SCORE:
        letters.add(LicenceStatus.FULL_SCORE)
    # A deferral (N, T) suspends the overdue letter it defers (R162 Art 75).
    if valid_to is not None and valid_to < today and "N" not in letters:
        letters.add(LicenceStatus.RENEWAL_OVERDUE)
    if verification_due is not None and verification_due < today and "T" not in letters:
        letters.add(LicenceStatus.VERIFICATION_OVERDUE)
    return _ordered(letters, list(LicenceStatus.values)) or LicenceStatus.NORMAL


def vehicle_status(*, flags: str, inspection_valid_until: date, today: date) -> str:
    letters = set(flags) - VEHICLE_DERIVED
    # No inspection is due of a vehicle whose registration is cancelled (E, M) or whose
    # certificates and plates are announced void (P, R164 Art 41): it may not be inspected or
    # driven, so P is its one status where it was read "PQ".
    ended = letters & {"E", "M", "P"}
    if inspection_valid_until < today and not ended:
        letters.add(VehicleStatus.INSPECTION_OVERDUE)
    return _ordered(letters, list(VehicleStatus.values)) or VehicleStatus.NORMAL
