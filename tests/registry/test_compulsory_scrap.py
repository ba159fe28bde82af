"""机动车强制报废标准规定 Art 4(4): three inspection cycles in a row without a sticker after the
validity ended. The day before, the day, and the cycle lengths that change with age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vmo.registry.inspection import compulsory_scrap_from


@dataclass
class Car:
    vehicle_type: str
    use_nature: str
    seats: int
    registration_date: date
    inspection_valid_until: date


def test_a_truck_inspected_yearly_reaches_it_the_day_after_three_years_art_4():
    """Art 4(4): a truck under 10 years, yearly cycles: validity ended 2022-03-31, three missed
    cycles end 2025-03-31; 2025-04-01 is the first day (2025-03-31 is still the third cycle)."""
    truck = Car("H21", "F", 3, date(2018, 3, 15), date(2022, 3, 31))
    assert compulsory_scrap_from(truck) == date(2025, 4, 1)


def test_a_small_private_car_counts_two_year_cycles_then_yearly_art_4():
    """Art 4(4) with RI Art 16 as reformed: a small non-operating car registered 2012 is 10 on
    2022-06-30, so its cycles after that end are yearly: 2023, 2024, 2025-06-30."""
    car = Car("K33", "A", 5, date(2012, 6, 10), date(2022, 6, 30))
    assert compulsory_scrap_from(car) == date(2025, 7, 1)
    young = Car("K33", "A", 5, date(2018, 6, 10), date(2020, 6, 30))  # age 2, then 4, 6, 8
    assert compulsory_scrap_from(young) == date(2026, 7, 1)


def test_a_school_bus_misses_three_half_year_cycles_art_4():
    """Art 4(4) with R164 Art 62: school buses every 6 months."""
    bus = Car("K21", "K", 30, date(2020, 1, 5), date(2024, 1, 31))
    assert compulsory_scrap_from(bus) == date(2025, 8, 1)
