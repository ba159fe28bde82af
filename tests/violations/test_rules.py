"""The pure rules: who may handle online, deadlines, late fees, the cycle's carry-over."""

from __future__ import annotations

from datetime import date

import pytest

from vmo.violations import rules
from vmo.violations.rules import CycleItem

TODAY = date(2025, 8, 10)


def problems(**overrides):
    args = {
        "source": "camera",
        "code_online": True,
        "fine_fen": 20000,
        "points": 6,
        "driver_points_now": 0,
        "licence_status": "A",
        "licence_valid_to": date(2031, 6, 1),
        "licence_classes": ["C1"],
        "vehicle_type": "K33",
        "today": TODAY,
        "fine_limit_fen": 20000,
    }
    args.update(overrides)
    return [p.code for p in rules.online_handling_problems(**args)]


def test_an_ordinary_camera_record_can_be_handled_online():
    assert problems() == []


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"source": "onsite"}, "not_camera"),
        ({"code_online": False}, "code_counter"),
        ({"fine_fen": 20001}, "fine_limit"),
        ({"driver_points_now": 6}, "points"),
        ({"points": 12}, "points"),
        ({"licence_valid_to": date(2025, 8, 9)}, "licence_expired"),
        ({"licence_status": "D"}, "licence_status"),
        ({"licence_status": "B"}, "licence_status"),
        ({"licence_status": "AS"}, "licence_status"),
        ({"licence_classes": ["C1"], "vehicle_type": "H11"}, "licence_class"),
        ({"licence_classes": ["E"], "vehicle_type": "K33"}, "licence_class"),
        ({"vehicle_type": "T11"}, "class_unknown"),
        ({"licence_status": None}, "no_licence"),
    ],
)
def test_each_rule_refuses_with_its_reason(overrides, code):
    assert code in problems(**overrides)


def test_every_problem_is_reported_at_once_each_with_where_to_go():
    found = rules.online_handling_problems(
        source="onsite",
        code_online=False,
        fine_fen=50000,
        points=6,
        driver_points_now=9,
        licence_status="AD",
        licence_valid_to=date(2024, 1, 1),
        licence_classes=["C2"],
        vehicle_type="H21",
        today=TODAY,
        fine_limit_fen=20000,
    )
    assert [p.code for p in found] == [
        "not_camera",
        "code_counter",
        "fine_limit",
        "points",
        "licence_expired",
        "licence_status",
        "licence_class",
    ]
    assert all(str(p.message) and str(p.where) for p in found)
    assert "¥200.00" in str(found[2].message)
    assert "15" in str(found[3].message)  # 9 + 6 = 15 is named


@pytest.mark.parametrize(
    ("overrides", "ok"),
    [
        ({"fine_fen": 20000}, True),  # "以下" includes the number itself (RP Art 81)
        ({"driver_points_now": 5, "points": 6}, True),  # 11 stays below 12
        ({"driver_points_now": 6, "points": 6}, False),  # 12 is reached
        ({"licence_valid_to": None}, True),  # long-term
        ({"licence_valid_to": TODAY}, True),  # valid through its last day
        ({"licence_status": "H"}, True),  # violations not handled: the thing being handled
        ({"licence_status": "T"}, True),  # verification deferred
        ({"licence_classes": ["C2"]}, True),  # small automatic accepted for a small car
        ({"licence_classes": ["A1"], "vehicle_type": "K21"}, True),  # A1 includes B1
        ({"licence_classes": ["B2"], "vehicle_type": "H31"}, True),  # B2 includes C1
        ({"licence_classes": ["D"], "vehicle_type": "M21"}, True),  # D includes E
        ({"licence_classes": ["C1"], "vehicle_type": "K11"}, False),
    ],
)
def test_boundaries(overrides, ok):
    assert (problems(**overrides) == []) is ok


def test_payment_due_is_fifteen_natural_days_after_the_decision():
    assert rules.payment_due(date(2025, 8, 10)) == date(2025, 8, 25)
    assert rules.payment_due(date(2025, 12, 20)) == date(2026, 1, 4)


@pytest.mark.parametrize(
    ("on", "fee"),
    [
        (date(2025, 1, 14), 0),
        (date(2025, 1, 15), 0),  # the last day to pay
        (date(2025, 1, 16), 600),  # 3% of 200 yuan
        (date(2025, 1, 25), 6000),
        (date(2025, 2, 17), 19800),  # 33 days
        (date(2025, 2, 18), 20000),  # 34 days: capped at the fine
        (date(2026, 1, 1), 20000),
    ],
)
def test_late_fee_is_three_percent_a_day_capped_at_the_fine(on, fee):
    assert rules.late_fee(20000, date(2025, 1, 15), on) == fee


def test_amount_due_shows_the_calculation():
    owed = rules.amount_due(fine_fen=5000, due=date(2025, 1, 15), on=date(2025, 1, 20))
    assert (owed.days_late, owed.per_day_fen, owed.late_fee_fen, owed.capped) == (
        5,
        150,
        750,
        False,
    )
    assert owed.total_fen == 5750 and owed.overdue
    capped = rules.amount_due(fine_fen=5000, due=date(2025, 1, 15), on=date(2025, 3, 1))
    assert capped.capped and capped.late_fee_fen == 5000 and capped.total_fen == 10000
    assert rules.fee_growth_stops(fine_fen=20000, due=date(2025, 1, 15)) == date(2025, 2, 18)


def test_odd_fines_round_the_daily_fee_to_the_fen():
    # 3% of 0.55 yuan is 1.65 fen: rounded half up to 2 fen a day, never a float.
    assert rules.late_fee(55, date(2025, 1, 1), date(2025, 1, 4)) == 6


LAST = date(2025, 5, 31)


def test_below_twelve_with_nothing_overdue_everything_clears():
    items = [CycleItem(1, 3, False, date(2025, 6, 10)), CycleItem(2, 6, True, date(2025, 3, 1))]
    assert rules.points_to_carry(items=items, other_points=-1, last_day=LAST) == ({}, 0)


def test_an_overdue_fine_carries_the_unpaid_violations_points_only():
    items = [
        CycleItem(1, 3, False, date(2025, 4, 1)),  # overdue and unpaid
        CycleItem(2, 1, False, date(2025, 6, 10)),  # unpaid, not yet due: carried as well
        CycleItem(3, 6, True, date(2025, 2, 1)),  # paid: clears
    ]
    carry, other = rules.points_to_carry(items=items, other_points=-2, last_day=LAST)
    assert carry == {1: 3, 2: 1}
    assert other == 0  # reductions are not violations: they clear


def test_a_deadline_on_the_last_day_is_not_yet_overdue():
    items = [CycleItem(1, 3, False, LAST)]
    assert rules.points_to_carry(items=items, other_points=0, last_day=LAST) == ({}, 0)


def test_at_full_score_nothing_clears():
    items = [
        CycleItem(1, 6, True, None),
        CycleItem(2, 9, False, None),
        CycleItem(3, 0, False, None),
    ]
    assert rules.points_to_carry(items=items, other_points=-2, last_day=LAST) == ({1: 6, 2: 9}, -2)
