"""Full-score study (R163 Arts 17-19, 21) and verification study (R162 Arts 72-73)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.education.helpers import driver, load_library
from vmo.education import selectors, services
from vmo.education.models import Course, FullScoreStudy
from vmo.notices.models import Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 10, 8, 0, tzinfo=TZ)


@pytest.fixture
def course(tmp_path):
    load_library(tmp_path)
    return Course.objects.get(code="full")


def _study_day(enrolment, course, traveller, hours_and_minutes):
    """Study the lessons in turn until the server has credited the given time that day."""
    left = hours_and_minutes
    lessons = list(course.lessons.order_by("position"))
    index = 0
    while left > timedelta(0):
        lesson = lessons[index % len(lessons)]
        services.lesson_open(enrolment=enrolment, lesson=lesson)
        step = min(left, timedelta(minutes=15))
        traveller.shift(step)
        services.lesson_done(enrolment=enrolment, lesson=lesson)
        left -= step
        index += 1


def test_full_score_assigned_once_with_notice_and_repeats_add_days(course):
    with time_machine.travel(NOW, tick=False):
        user, licence = driver(12)
        assert services.full_score_scan() == {"opened": 1, "closed": 0}
        assert services.full_score_scan() == {"opened": 0, "closed": 0}
        study = FullScoreStudy.objects.get(licence=licence)
        assert (study.occurrence, study.required_days, study.online_days_required) == (1, 7, 3)
        assert (
            Message.objects.filter(
                user=user, kind="education.full_score_assigned", channel="inapp"
            ).count()
            == 1
        )
        # Exam passed, points cleared (Art 23): the study closes; a second full score in the
        # same cycle gets 14 days (Art 18).
        from tests.education.helpers import add_points
        from vmo.registry.choices import PointsKind
        from vmo.registry.services import points_record

        points_record(
            licence=licence,
            actor=None,
            points=-12,
            kind=PointsKind.CORRECTION,
            occurred_on=date(2025, 9, 10),
            note="cleared",
        )
        assert services.full_score_scan() == {"opened": 0, "closed": 1}
        add_points(licence, 12)
        services.full_score_scan()
        second = FullScoreStudy.objects.get(licence=licence, closed_at__isnull=True)
        assert (second.occurrence, second.required_days) == (2, 14)


def test_large_class_needs_thirty_days_and_five_online():
    with time_machine.travel(NOW, tick=False):
        _, licence = driver(12, classes="A1")
        services.full_score_scan()
        study = FullScoreStudy.objects.get(licence=licence)
        assert (study.required_days, study.online_days_required) == (30, 5)


def test_online_days_need_more_than_three_hours_each(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(12)
        services.full_score_scan()
        enrolment = services.enrolment_start(person=user.person, course=course)
        # Day 1: exactly 3 hours: not a study day (more than three hours, Art 19).
        _study_day(enrolment, course, traveller, timedelta(hours=3))
        study = FullScoreStudy.objects.get(licence=licence)
        assert services.full_score.online_study_days(study=study) == 0
        _study_day(enrolment, course, traveller, timedelta(minutes=15))
        assert services.full_score.online_study_days(study=study) == 1
        assert not selectors.full_score_study_complete(licence)
        for day in (1, 2):
            traveller.move_to(NOW + timedelta(days=day))
            _study_day(enrolment, course, traveller, timedelta(hours=3, minutes=15))
        # Three online days; the study needs five days, two of them on site (R163 Art 19).
        assert services.full_score.online_study_days(study=study) == 3
        assert not selectors.full_score_study_complete(licence)
        from tests.factories import OfficerFactory
        from vmo.education.services.onsite import onsite_day_record

        officer = OfficerFactory(role="clerk")
        for day in (3, 4):
            traveller.move_to(NOW + timedelta(days=day))
            onsite_day_record(
                study=study,
                actor=officer,
                day=(NOW + timedelta(days=day)).date(),
                site="昌吉市车管所",
                starts_at=time(9, 0),
                ends_at=time(12, 30),
            )
        assert selectors.full_score_study_complete(licence)
        assert Message.objects.filter(user=user, kind="education.completed").exists()


def test_full_score_course_refused_without_full_score(course):
    with time_machine.travel(NOW, tick=False):
        user, _ = driver(3)
        with pytest.raises(ValidationError):
            services.enrolment_start(person=user.person, course=course)


def test_reduction_refused_after_two_full_scores_in_cycle(course):
    with time_machine.travel(NOW, tick=False):
        user, licence = driver(12)
        services.full_score_scan()
        from tests.education.helpers import add_points
        from vmo.registry.choices import PointsKind
        from vmo.registry.services import points_record

        points_record(
            licence=licence,
            actor=None,
            points=-12,
            kind=PointsKind.CORRECTION,
            occurred_on=date(2025, 9, 10),
        )
        services.full_score_scan()
        add_points(licence, 12)
        services.full_score_scan()
        points_record(
            licence=licence,
            actor=None,
            points=-10,
            kind=PointsKind.CORRECTION,
            occurred_on=date(2025, 9, 10),
        )
        services.full_score_scan()
        assert any("26(1)" in p for p in services.e01_problems(person=user.person))


def test_verification_study_moves_the_due_date(tmp_path):
    from tests.education.helpers import write_library
    from vmo.education.services.content import content_load

    root = write_library(tmp_path)
    text = (root / "courses" / "reduce.toml").read_text()
    (root / "courses" / "verify.toml").write_text(
        text.replace('code = "reduce"', 'code = "verify"')
        .replace('purpose = "e01"', 'purpose = "e03"')
        .replace('"r-0', '"v-0')
        .replace("minimum_minutes = 15", "minimum_minutes = 90")
    )
    (root / "questions" / "verify.toml").write_text(
        (root / "questions" / "reduce.toml").read_text().replace('"r-', '"v-')
    )
    assert content_load(directory=root).ok
    course = Course.objects.get(code="verify")
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3, classes="B2", verification_due=date(2025, 9, 30))
        enrolment = services.enrolment_start(person=user.person, course=course)
        for lesson in course.lessons.order_by("position"):
            services.lesson_open(enrolment=enrolment, lesson=lesson)
            traveller.shift(timedelta(minutes=90))
            services.lesson_done(enrolment=enrolment, lesson=lesson)
        attempt = services.quiz_start(enrolment=enrolment)
        from tests.education.helpers import right_answers

        result = services.quiz_submit(
            person=user.person, nonce=attempt.nonce, answers=right_answers(attempt)
        )
        assert result.attempt.passed
        from vmo.education.models import VerificationStudy

        done = VerificationStudy.objects.get(licence=licence)
        assert done.next_due == date(2026, 6, 30)
        assert Message.objects.filter(user=user, kind="education.verification_done").exists()
        # The registry's due date moved to the next cycle: the next verification is open.
        licence.refresh_from_db()
        assert licence.verification_due == date(2026, 6, 30)
        assert "S" not in licence.status
