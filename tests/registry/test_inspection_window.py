"""The inspection window (R164 Art 54: within the three months before the validity ends) is one
rule, read by the sticker conditions, the inspection bookings, the status page and the reminder
scan; these tests hold it at its edges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmo.registry import inspection

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 11, 23), False),  # the day before the window opens
        (date(2026, 11, 24), True),  # three months before the end: "以内" includes it
        (date(2026, 11, 25), True),  # the day after it opens
        (date(2027, 2, 24), True),  # the last day of the validity
        (date(2027, 2, 25), False),  # the day after: overdue, no longer "before the end"
    ],
)
def test_window_is_the_three_months_before_the_validity_ends_r164_art_54(day, open_):
    assert inspection.in_window(date(2027, 2, 24), day) is open_


def test_window_of_a_month_end_validity_r164_art_54():
    # 31 May: three months back is 28 February (no 31st); not "the due month and two before".
    assert inspection.window_opens(date(2027, 5, 31)) == date(2027, 2, 28)
    assert not inspection.in_window(date(2027, 5, 31), date(2027, 2, 27))
    assert inspection.in_window(date(2027, 5, 31), date(2027, 2, 28))
    # The old "due month and two before" rule opened 1 March for a 1 May end; the law: 1 Feb.
    assert inspection.in_window(date(2027, 5, 1), date(2027, 2, 1))


@given(until=dates, offset=st.integers(min_value=-200, max_value=200))
def test_the_scan_bound_matches_the_rule(until, offset):
    """The reminder scan selects validities in [day, window_latest_until(day)]: the same set."""
    day = until + timedelta(days=offset)
    selected = day <= until <= inspection.window_latest_until(day)
    assert selected is inspection.in_window(until, day)
