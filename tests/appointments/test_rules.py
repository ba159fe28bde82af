"""The pure rules: pass marks, waits after the permit, inspection cycles."""

from __future__ import annotations

from datetime import date

import pytest

from vmo.appointments import rules
from vmo.registry import inspection


def test_pass_marks_follow_art_38():
    assert rules.pass_mark("1") == 90
    assert rules.pass_mark("2", "C1") == 80
    assert rules.pass_mark("2", "A1") == 90
    assert rules.pass_mark("3", "C1") == 90
    assert rules.pass_mark("4") == 90


@pytest.mark.parametrize(
    ("subject", "cls", "holds", "days"),
    [
        ("2", "C1", False, 10),
        ("2", "B2", False, 20),
        ("3", "C2", False, 20),
        ("3", "C1", False, 30),
        ("3", "A1", False, 40),
        ("3", "A1", True, 30),
        ("2", "E", False, 0),
    ],
)
def test_days_after_the_permit_follow_arts_43_44(subject, cls, holds, days):
    assert rules.days_after_permit(subject, cls, holds_car_licence=holds) == days


def test_permit_is_valid_three_years():
    assert rules.permit_valid_until(date(2026, 2, 28)) == date(2029, 2, 28)


def test_small_private_car_cycles_two_years_until_ten_then_yearly():
    kw = {"vehicle_type": "K33", "use_nature": "A", "seats": 5, "registered": date(2020, 4, 1)}
    assert inspection.next_valid_until(
        valid_until=date(2026, 4, 30), inspected_on=date(2026, 4, 10), **kw
    ) == date(2028, 4, 30)
    assert inspection.next_valid_until(
        valid_until=date(2030, 4, 30), inspected_on=date(2030, 4, 10), **kw
    ) == date(2031, 4, 30)


def test_operating_and_school_vehicles_have_short_cycles():
    assert (
        inspection.cycle_months(
            vehicle_type="K33",
            use_nature="D",
            seats=5,
            registered=date(2020, 1, 1),
            on=date(2026, 1, 1),
        )
        == 6
    )
    assert (
        inspection.cycle_months(
            vehicle_type="K11",
            use_nature="K",
            seats=40,
            registered=date(2025, 1, 1),
            on=date(2026, 1, 1),
        )
        == 6
    )
    assert (
        inspection.cycle_months(
            vehicle_type="H11",
            use_nature="F",
            seats=2,
            registered=date(2020, 1, 1),
            on=date(2026, 1, 1),
        )
        == 12
    )


def test_an_overdue_vehicle_gets_a_validity_after_the_inspection():
    until = inspection.next_valid_until(
        valid_until=date(2022, 4, 30),
        inspected_on=date(2026, 3, 20),
        vehicle_type="H31",
        use_nature="F",
        seats=2,
        registered=date(2015, 4, 1),
    )
    assert until > date(2026, 3, 20)
    assert until.month in (4, 10)  # the registration month's cycle is kept
