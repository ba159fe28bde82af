"""Repeat full scores (R163 Art 22): a second full score in a cycle, or 24 to 35 points, adds the
subject 3 road test to the law exam; a third, or 36 points or more, adds subject 2 and subject
3. The road tests are booked after the law exam is passed, a failed one is booked again after
ten days, and the points are cleared only when every required exam is passed (Art 23)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory
from vmo.appointments import checks, rules, services
from vmo.appointments.results import result_record
from vmo.core import clock
from vmo.education.models import FullScoreStudy
from vmo.registry.selectors import points_in_cycle
from vmo.registry.services import points_record

from .helpers import TODAY, exam_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LAW, S2, S3 = "full", "2", "3"


@pytest.mark.parametrize(
    ("occurrence", "points", "exams"),
    [
        (1, 12, (LAW,)),
        (1, 23, (LAW,)),  # below 24
        (1, 24, (LAW, S3)),  # at 24
        (1, 35, (LAW, S3)),  # the top of 24-35
        (1, 36, (LAW, S2, S3)),  # at 36
        (2, 12, (LAW, S3)),  # the second full score in the cycle
        (2, 36, (LAW, S2, S3)),
        (3, 12, (LAW, S2, S3)),  # the third
        (4, 12, (LAW, S2, S3)),
    ],
)
def test_exams_of_a_full_score_r163_art_22(occurrence, points, exams):
    assert rules.full_score_exams(occurrence=occurrence, points=points) == exams


def _licence(*entries: int):
    """A licence whose cycle took `entries` (a negative one is the clearing after an exam)."""
    user = CitizenFactory()
    licence = LicenceFactory(holder=user.person)
    for n, points in enumerate(entries):
        points_record(
            licence=licence,
            actor=None,
            points=points,
            kind="violation" if points > 0 else "cleared",
            occurred_on=TODAY - timedelta(days=60 - n),
            source_type="test",
            source_id=f"{licence.pk}-{n}",
        )
    FullScoreStudy.objects.create(
        licence=licence,
        cycle_start=TODAY - timedelta(days=100),
        occurrence=1,
        points=12,
        required_days=7,
        online_days_required=5,
        assigned_at=clock.now() - timedelta(days=15),
        completed_at=clock.now(),
    )
    licence.refresh_from_db()
    assert "B" in licence.status
    return user, licence


def _book(user, subject, day=None):
    session = exam_session(subject, day=day or TODAY + timedelta(days=12))
    return services.booking_create(actor=user, person=user.person, session=session)


def _codes(exc) -> set[str]:
    return {e.code for e in exc.value.error_dict["__all__"]}


def _pass(booking, result="passed", score=95):
    booking.session.day = TODAY  # the exam day has come
    booking.session.save()
    return result_record(actor=OfficerFactory(), booking=booking, result=result, score=score)


@pytest.mark.parametrize(
    ("entries", "required"),
    [
        ((12,), (LAW,)),
        ((12, 11), (LAW,)),  # 23 points
        ((12, 12), (LAW, S3)),  # 24 points
        ((12, -12, 12), (LAW, S3)),  # a second full score in the cycle
        ((12, 12, 12), (LAW, S2, S3)),  # 36 points
        ((12, -12, 12, -12, 12), (LAW, S2, S3)),  # a third full score
    ],
)
def test_the_licence_record_decides_the_exams_r163_art_22(entries, required):
    _user, licence = _licence(*entries)
    assert checks.full_score_required(licence)[1] == required


def test_second_full_score_road_test_after_the_law_exam_then_points_clear_r163_art_22():
    user, licence = _licence(12, -12, 12)
    # The road test cannot come first.
    with pytest.raises(ValidationError) as exc:
        _book(user, S3)
    assert _codes(exc) == {"order"}
    law = _pass(_book(user, LAW))
    licence.refresh_from_db()
    # The law exam alone does not clear the points of a second full score.
    assert points_in_cycle(licence, on=TODAY) == 12 and "B" in licence.status
    assert law.status == "passed"
    # The law exam is not booked twice; subject 2 is not required.
    with pytest.raises(ValidationError) as exc:
        _book(user, LAW, day=TODAY + timedelta(days=13))
    assert _codes(exc) == {"passed"}
    with pytest.raises(ValidationError) as exc:
        _book(user, S2)
    assert "not_required" in _codes(exc)
    road = _book(user, S3)
    assert road.licence == licence and road.learner is None
    _pass(road, score=92)
    licence.refresh_from_db()
    assert points_in_cycle(licence, on=TODAY) == 0 and "B" not in licence.status


def test_a_failed_road_test_of_a_full_score_waits_ten_days_r163_art_22(frozen):
    user, licence = _licence(12, 12, 12)  # 36 points: subject 2 and subject 3
    _pass(_book(user, LAW))
    failed = _pass(_book(user, S2), result="failed", score=60)
    assert failed.status == "failed"
    later = TODAY + timedelta(days=25)
    with pytest.raises(ValidationError) as exc:
        _book(user, S2, day=later)
    assert _codes(exc) == {"waiting"}
    frozen.move_to("2026-03-19 09:00+08:00")  # the exam day + 9
    with pytest.raises(ValidationError):
        _book(user, S2, day=later)
    frozen.move_to("2026-03-20 09:00+08:00")  # the exam day + 10
    s2 = _book(user, S2, day=later)
    s3 = _book(user, S3, day=later)
    _pass(s2, score=90)
    licence.refresh_from_db()
    assert "B" in licence.status  # subject 3 still to pass
    _pass(s3, score=90)
    licence.refresh_from_db()
    assert points_in_cycle(licence, on=TODAY) == 0 and "B" not in licence.status
