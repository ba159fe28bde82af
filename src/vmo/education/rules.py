"""Pure rules of the legal effects of education (no database): R163 Arts 18-19, 25-27, R162
Arts 72-73. Values the office may tune come from settings with the regulation's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings

from vmo.registry import rules as registry_rules
from vmo.registry.choices import LARGE_CLASSES

# R163 Art 25: at most 6 points reduced per cycle.
REDUCTION_CAP_PER_CYCLE = 6
# R163 Art 27 para 1: online study of >= 30 minutes within three days and a passed exam: -1.
ONLINE_REDUCTION_POINTS = 1
ONLINE_REDUCTION_MINUTES = 30
ONLINE_REDUCTION_WINDOW_DAYS = 3
# R163 Art 19 para 3: a day of online study counts when it adds up to more than three hours.
STUDY_DAY_SECONDS = 3 * 3600
# R162 Art 73: at least three hours of study at a verification.
VERIFICATION_STUDY_MINUTES = 180
# Licence letters that bar E01 (R163 Art 26(3)): withheld U, suspended D; and letters that mean
# the licence is not usable at all (revoked, cancelled, annulled, stopped, seized, locked) [U].
BARRING_LETTERS = frozenset("UDEFGJKL")


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def idle_grace_seconds() -> int:
    """Time credited beyond a lesson's minimum for one stretch without a sign of life [U]: a
    reader without JavaScript sends one request when done, so a stretch must cover a lesson."""
    return setting("VMO_STUDY_IDLE_GRACE_SECONDS", 15 * 60)


def is_large(classes: list[str]) -> bool:
    return bool(set(classes) & LARGE_CLASSES)


@dataclass(frozen=True)
class FullScoreRequirement:
    required_days: int
    online_days_required: int
    onsite_days_required: int

    @property
    def counted_days_required(self) -> int:
        """Days of on-site and online study together (Art 19 para 2: 5, large classes 10)."""
        return self.online_days_required + self.onsite_days_required


def full_score_requirement(*, occurrence: int, points: int, large: bool) -> FullScoreRequirement:
    """R163 Art 18: 7 days (30 for large classes), plus 7 (30) for each further full score in
    the cycle or each further 12 points, at most 60 (120) days. [U] The two increments add up
    when both apply (a second full score reached with 24 points: two increments).
    Art 19 para 2: on-site + online >= 5 days with >= 2 on-site (large: 10 and 5); the online
    part of the study is the difference."""
    base, step, cap = (30, 30, 120) if large else (7, 7, 60)
    increments = max(occurrence - 1, 0) + max(points // registry_rules.FULL_SCORE - 1, 0)
    days = min(base + step * increments, cap)
    total, onsite = study_days_needed(large)
    return FullScoreRequirement(
        required_days=days, online_days_required=total - onsite, onsite_days_required=onsite
    )


def study_days_needed(large: bool) -> tuple[int, int]:
    """R163 Art 19 para 2: (on-site and online days together, of them on site): 5 and 2, for
    the large classes of Art 18 (A1, A2, A3, B1, B2) 10 and 5. Repeats do not change them."""
    return (10, 5) if large else (5, 2)


def study_days_met(*, online: set[date], onsite: set[date], large: bool) -> bool:
    """R163 Art 19 paras 2-3: the days of study_days_needed; a date with both counts once."""
    counted, onsite_needed = study_days_needed(large)
    return len(online | onsite) >= counted and len(onsite) >= onsite_needed


def onsite_day_counts(starts: time, ends: time) -> bool:
    """R163 Art 19 para 3: a day on site counts with more than three continuous hours."""
    minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    return minutes * 60 > STUDY_DAY_SECONDS


def cheating_bar_ends(first_issue: date, study_on: date) -> date:
    """R163 Art 26(5): falsified study bars learning to reduce points "in the last three
    cycles", so the bar covers the cycle of the study and the two after it; the last day."""
    start = registry_rules.cycle_start(first_issue, study_on)
    return registry_rules.cycle_end(registry_rules.add_months(start, 24))


def reduction_points(*, points_now: int, reduced_in_cycle: int) -> int:
    """What one online completion removes (R163 Arts 25, 27): 1, never below zero, never past
    the cycle's 6."""
    room = REDUCTION_CAP_PER_CYCLE - reduced_in_cycle
    return max(0, min(ONLINE_REDUCTION_POINTS, room, points_now))


def study_window_end(started: datetime, *, holidays_move: date | None = None) -> datetime:
    """End of the three-day window of R163 Art 27, counted from the day after the start (the
    first day is not counted); a last day that is a holiday moves to the next working day
    (Art 36). `holidays_move` is that next working day, if the caller looked it up."""
    last = holidays_move or (started.date() + timedelta(days=ONLINE_REDUCTION_WINDOW_DAYS))
    return datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=started.tzinfo)


def previous_cycle_start(first_issue: date, start: date) -> date:
    return registry_rules.cycle_start(first_issue, start - timedelta(days=1))


def cycles_back(first_issue: date, start: date, count: int) -> date:
    """Start of the earliest of the last `count` cycles (this one included)."""
    for _ in range(count - 1):
        if start <= first_issue:
            break
        start = previous_cycle_start(first_issue, start)
    return start


def next_verification_due(first_issue: date, due: date) -> date:
    """R162 Art 72 para 3: within 30 days after each cycle ends. The due date just met lies in
    the new cycle; the next one is 30 days after that cycle's end."""
    start = registry_rules.cycle_start(first_issue, due)
    return registry_rules.cycle_end(start) + timedelta(days=30)
