"""Working days from the office's calendar (statutory holidays and adjusted working weekends).

Office time limits of "N 日" are working days (R164 Art 92, R162 Art 110, RP Art 81).
A day is a working day when the calendar says so, otherwise when it is Monday to Friday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .models import CalendarDay

_SEARCH_LIMIT_DAYS = 400


def _overrides(start: date, end: date) -> dict[date, bool]:
    rows = CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list(
        "day", "is_working_day"
    )
    return dict(rows)


def _is_working(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
    return _is_working(day, _overrides(day, day))


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted).

    add_working_days(Friday, 1) is the next Monday unless that is a holiday.
    With days == 0 the result is start, or the next working day if start is not one.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    overrides = _overrides(start, start + timedelta(days=days * 2 + _SEARCH_LIMIT_DAYS))
    current = start
    if days == 0:
        while not _is_working(current, overrides):
            current += timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if _is_working(current, overrides):
            remaining -= 1
    return current


class WorkingDays:
    """The calendar of a date range read once: counting for a page of rows costs one query."""

    def __init__(self, days: Iterable[date | None]) -> None:
        known = [d for d in days if d is not None]
        self.overrides = _overrides(min(known), max(known)) if known else {}

    def is_working(self, day: date) -> bool:
        return _is_working(day, self.overrides)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if end < start)."""
        if end < start:
            return -self.between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working(start + timedelta(days=offset))
        )


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    return WorkingDays([start, end]).between(start, end)


def next_working_day_on_or_after(day: date) -> date:
    """A deadline falling on a holiday moves to the next working day (R163 Art 36)."""
    return add_working_days(day, 0)
