from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vmo.registry import rules

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


def test_cycle_is_counted_from_the_first_issue_date():
    first = date(2015, 6, 10)
    assert rules.cycle_start(first, date(2026, 6, 9)) == date(2025, 6, 10)
    assert rules.cycle_start(first, date(2026, 6, 10)) == date(2026, 6, 10)
    assert rules.cycle_end(date(2026, 6, 10)) == date(2027, 6, 9)


def test_leap_day_licences_cycle_on_the_28th_in_other_years():
    first = date(2016, 2, 29)
    assert rules.cycle_start(first, date(2026, 3, 1)) == date(2026, 2, 28)
    assert rules.cycle_start(first, date(2028, 2, 29)) == date(2028, 2, 29)


@given(first=dates, offset=st.integers(min_value=0, max_value=365 * 30))
def test_every_day_falls_in_exactly_one_twelve_month_cycle(first, offset):
    on = first + timedelta(days=offset)
    start = rules.cycle_start(first, on)
    assert start <= on <= rules.cycle_end(start)
    assert start.month == first.month
    assert rules.cycle_end(start) - start < timedelta(days=366)


def test_licence_status_letters():
    today = date(2026, 11, 24)
    base = {
        "flags": "",
        "points": 0,
        "valid_to": date(2030, 1, 1),
        "verification_due": None,
        "today": today,
    }
    assert rules.licence_status(**base) == "A"
    assert rules.licence_status(**base | {"points": 12}) == "B"
    assert rules.licence_status(**base | {"valid_to": date(2026, 11, 23)}) == "M"
    assert (
        rules.licence_status(**base | {"valid_to": date(2026, 11, 24)}) == "A"
    )  # the last valid day
    # A deferral suspends the overdue letter it defers (R162 Art 75).
    assert rules.licence_status(**base | {"valid_to": date(2026, 1, 1), "flags": "N"}) == "N"
    assert rules.licence_status(**base | {"verification_due": date(2026, 1, 1)}) == "S"
    assert rules.licence_status(**base | {"points": 13, "flags": "DA"}) == "BD"


def test_vehicle_status_letters():
    today = date(2026, 11, 24)
    assert (
        rules.vehicle_status(flags="", inspection_valid_until=date(2027, 1, 1), today=today) == "A"
    )
    assert (
        rules.vehicle_status(flags="G", inspection_valid_until=date(2026, 1, 1), today=today)
        == "GQ"
    )
    # A cancelled vehicle is no longer "overdue".
    assert (
        rules.vehicle_status(flags="E", inspection_valid_until=date(2020, 1, 1), today=today) == "E"
    )


def test_void_certificates_are_status_p_alone_r164_art_41():
    """Plates and licence announced void (P): no inspection is due any more, so no Q."""
    today = date(2026, 11, 24)
    overdue = {"inspection_valid_until": date(2022, 3, 31), "today": today}
    assert rules.vehicle_status(flags="", **overdue) == "Q"
    assert rules.vehicle_status(flags="P", **overdue) == "P"
    assert rules.vehicle_status(flags="PQ", **overdue) == "P"  # a stored "PQ" re-derived


@given(st.sets(st.sampled_from("CDEFGHIJKLNPRTUZ")), st.integers(0, 30))
def test_licence_status_is_normal_only_when_nothing_else_applies(flags, points):
    status = rules.licence_status(
        flags="".join(flags),
        points=points,
        valid_to=None,
        verification_due=None,
        today=date(2026, 1, 1),
    )
    assert ("A" in status) == (not flags and points < 12)
    assert len(set(status)) == len(status)


def test_renewed_term_counts_whole_years_even_across_new_year():
    from vmo.registry.rules import renewed_term

    # Valid 2021-01-01 to 2026-12-31 is six years, though the calendar years differ by five.
    assert (
        renewed_term(valid_from=date(2021, 1, 1), valid_to=date(2026, 12, 31), full_score_cycles=0)
        == 10
    )
    assert (
        renewed_term(valid_from=date(2021, 1, 1), valid_to=date(2026, 12, 31), full_score_cycles=1)
        == 6
    )
    assert (
        renewed_term(valid_from=date(2017, 1, 1), valid_to=date(2026, 12, 31), full_score_cycles=0)
        is None
    )
