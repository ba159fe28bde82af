"""Duties of age (R162 as amended by Order 172, in force 2025-01-01): Art 65, the large and
medium classes end at 63 and the holder is told in advance to exchange within 30 days; Art 74,
from 70 a yearly physical-condition proof, due from the birth date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from tests.factories import LicenceFactory, PersonFactory, make_id_number
from vmo.education import age_duties
from vmo.notices.models import Message
from vmo.notices.scans import scans_run
from vmo.registry import rules

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        yield


def _holder(n: int, birth: date, classes: str = "A2", **licence):
    person = PersonFactory(id_number=make_id_number(5000 + n, birth=birth))
    return LicenceFactory(holder=person, classes=classes, **licence)


def test_birthdays_and_the_proof_due_date_r162_art_74():
    assert rules.class_exchange_day(date(1963, 11, 24)) == date(2026, 11, 24)
    assert rules.birthday(date(1956, 2, 29), 70) == date(2026, 2, 28)
    born = date(1956, 11, 24)
    assert rules.senior_proof_due(born, date(2026, 11, 23)) is None  # the day before 70
    assert rules.senior_proof_due(born, date(2026, 11, 24)) == date(2026, 12, 24)  # the day
    assert rules.senior_proof_due(born, date(2026, 12, 24)) == date(2026, 12, 24)
    assert rules.senior_proof_due(born, date(2026, 12, 25)) == date(2027, 12, 24)  # the day after


@pytest.mark.parametrize(
    ("turns_in_days", "told"),
    [
        (91, False),  # the day before the notice period opens
        (90, True),  # 90 days before the 63rd birthday
        (0, True),  # the birthday
        (-30, True),  # the last of the 30 days to exchange
        (-31, False),  # after them: the announcement, not the notice
    ],
)
def test_a_large_class_holder_is_told_before_63_r162_art_65(turns_in_days, told):
    turns = TODAY + timedelta(days=turns_in_days)
    _holder(1, date(turns.year - 63, turns.month, turns.day))
    _holder(2, date(turns.year - 63, turns.month, turns.day), classes="C1")  # no large class
    result = scans_run(day=TODAY, codes=[age_duties.notice_kinds.AGE_CLASS_EXCHANGE])
    messages = Message.objects.filter(kind="licence.age_class_exchange", channel="sms")
    assert messages.count() == int(told)
    assert result[age_duties.notice_kinds.AGE_CLASS_EXCHANGE] >= int(told)
    if told:
        assert (turns + timedelta(days=30)).isoformat() in messages.get().body
    # Run again: nothing twice.
    scans_run(day=TODAY, codes=[age_duties.notice_kinds.AGE_CLASS_EXCHANGE])
    assert messages.count() == int(told)


@pytest.mark.parametrize(
    ("birth", "due"),
    [
        (date(1956, 11, 25), None),  # turns 70 tomorrow
        (date(1956, 11, 24), date(2026, 12, 24)),  # turns 70 today
        (date(1956, 11, 23), date(2026, 12, 23)),  # turned 70 yesterday
        (date(1950, 6, 1), date(2027, 7, 1)),  # 76, this year's proof date passed
    ],
)
def test_holders_of_70_get_a_yearly_proof_due_from_the_birth_date_r162_art_74(birth, due):
    licence = _holder(3, birth, classes="C1")
    assert age_duties.senior_proof_set(day=TODAY) == int(due is not None)
    licence.refresh_from_db()
    assert licence.physical_due == due
    assert age_duties.senior_proof_set(day=TODAY) == 0  # twice is harmless
