"""The pure rules at their edges (R163 Arts 18-19, 25, 27; R162 Art 72)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from vmo.education import rules


@pytest.mark.parametrize(
    ("occurrence", "points", "large", "days", "online"),
    [
        (1, 12, False, 7, 3),
        (2, 12, False, 14, 3),
        (1, 24, False, 14, 3),
        (2, 24, False, 21, 3),
        (9, 12, False, 60, 3),  # capped at 60
        (1, 12, True, 30, 5),
        (2, 12, True, 60, 5),
        (4, 12, True, 120, 5),
        (5, 12, True, 120, 5),  # capped at 120
    ],
)
def test_full_score_days(occurrence, points, large, days, online):
    need = rules.full_score_requirement(occurrence=occurrence, points=points, large=large)
    assert (need.required_days, need.online_days_required) == (days, online)


@pytest.mark.parametrize(
    ("points_now", "reduced", "expected"),
    [(3, 0, 1), (1, 5, 1), (3, 6, 0), (0, 0, 0), (11, 5, 1), (5, 7, 0)],
)
def test_reduction_points(points_now, reduced, expected):
    assert rules.reduction_points(points_now=points_now, reduced_in_cycle=reduced) == expected


def test_window_ends_after_the_third_day():
    tz = ZoneInfo("Asia/Shanghai")
    end = rules.study_window_end(datetime(2025, 9, 10, 23, 50, tzinfo=tz))
    assert end == datetime(2025, 9, 14, 0, 0, tzinfo=tz)


def test_next_verification_due_is_thirty_days_after_the_next_cycle():
    assert rules.next_verification_due(date(2015, 6, 1), date(2025, 6, 30)) == date(2026, 6, 30)


def test_cycles_back():
    assert rules.cycles_back(date(2015, 6, 1), date(2025, 6, 1), 3) == date(2023, 6, 1)
    assert rules.cycles_back(date(2024, 6, 1), date(2025, 6, 1), 3) == date(2024, 6, 1)
