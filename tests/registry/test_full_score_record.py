"""Which cycles reached 12 points is a fact of the record (R163 Art 17), kept after the
full-score exam clears the points (R163 Art 23), and it decides the renewal term (R162 Art 62)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tests.factories import LicenceFactory
from vmo.registry import selectors, services
from vmo.registry.models import FullScoreReached

pytestmark = pytest.mark.django_db

ISSUE = date(2014, 12, 24)  # cycles run 24 Dec - 23 Dec


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        yield


def _points(licence, points, on, n, kind="violation"):
    return services.points_record(
        licence=licence,
        actor=None,
        points=points,
        kind=kind,
        occurred_on=on,
        source_type="test",
        source_id=str(n),
    )


@pytest.mark.parametrize(("points", "reached"), [(11, 0), (12, 1), (15, 1)])
def test_full_score_is_recorded_when_the_cycle_reaches_12_r163_art_17(points, reached):
    licence = LicenceFactory(first_issue_date=ISSUE)
    _points(licence, 9, date(2026, 3, 1), 1)
    _points(licence, points - 9, date(2026, 4, 1), 2)
    assert FullScoreReached.objects.filter(licence=licence).count() == reached
    # A later entry in the same full score is not a second full score.
    _points(licence, 3, date(2026, 5, 1), 3)
    assert FullScoreReached.objects.filter(licence=licence).count() == int(points + 3 >= 12)


def test_clearing_keeps_the_record_and_a_new_12_is_the_second_r163_art_22():
    licence = LicenceFactory(first_issue_date=ISSUE)
    _points(licence, 12, date(2026, 3, 1), 1)
    _points(licence, -12, date(2026, 4, 1), 2, kind="cleared")
    assert selectors.points_in_cycle(licence) == 0
    assert FullScoreReached.objects.filter(licence=licence).count() == 1
    _points(licence, 6, date(2026, 5, 1), 3)
    _points(licence, 6, date(2026, 6, 1), 4)
    assert list(
        FullScoreReached.objects.filter(licence=licence).values_list("occurrence", "points")
    ) == [(1, 12), (2, 12)]
    assert selectors.cycle_points_accumulated(licence, cycle_start=date(2025, 12, 24)) == 24


@pytest.mark.parametrize(
    ("reached_on", "counted"),
    [
        (date(2020, 12, 23), False),  # the day before the validity: the previous cycle
        (date(2020, 12, 24), True),  # the first day of the validity
        (date(2026, 12, 23), True),  # the last cycle of the validity
        (date(2026, 12, 24), False),  # the day after the validity ends: the next one
    ],
)
def test_a_cleared_full_score_still_counts_for_the_renewal_term_r162_art_62(reached_on, counted):
    licence = LicenceFactory(
        first_issue_date=ISSUE, valid_from=date(2020, 12, 24), valid_to=date(2026, 12, 23)
    )
    _points(licence, 12, reached_on, 1)
    _points(licence, -12, reached_on, 2, kind="cleared")
    cycles = selectors.licence_full_score_cycles(
        licence, start=licence.valid_from, end=licence.valid_to
    )
    assert cycles == int(counted)
