from datetime import date

import pytest

from vmo.core.models import CalendarDay
from vmo.core.services import calendar_day_set
from vmo.core.workdays import (
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def test_official_schedule_is_seeded():
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert is_working_day(date(2026, 10, 10))  # adjusted working Saturday
    assert is_working_day(date(2026, 2, 28))  # Spring Festival make-up day
    assert not is_working_day(date(2025, 1, 29))
    assert CalendarDay.objects.filter(day__year=2027, provisional=True).exists()


def test_add_working_days_skips_weekends_and_holidays():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday -> Monday
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)  # over National Day
    assert add_working_days(date(2026, 9, 30), 3) == date(
        2026, 10, 10
    )  # the working Saturday counts
    assert add_working_days(date(2026, 2, 13), 1) == date(
        2026, 2, 14
    )  # working Saturday before Spring Festival


def test_add_zero_days_moves_off_holidays():
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert next_working_day_on_or_after(date(2026, 11, 24)) == date(2026, 11, 24)


def test_working_days_between():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 23)) == -4
    assert working_days_between(date(2026, 11, 20), add_working_days(date(2026, 11, 20), 15)) == 15


def test_officers_maintain_the_calendar_with_history():
    day = date(2027, 2, 20)  # a Saturday that might become a working day
    assert not is_working_day(day)
    calendar_day_set(
        actor=None,
        day=day,
        is_working_day=True,
        name="春节调休上班",
        reason="2027 schedule published",
    )
    assert is_working_day(day)
    assert add_working_days(date(2027, 2, 19), 1) == day


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)
