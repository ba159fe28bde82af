"""Falsified study found by an officer (R163 Art 31): a reduction it earned is revoked and its
points restored (para 2), the full-score days concerned are void (para 1); learning to reduce
points is refused for the cycle of the study and the two after it (Art 26(5)), enforced where
the person would start a new study. The person is told; the history has every change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.education.helpers import driver, load_library, right_answers
from tests.factories import OfficerFactory
from vmo.core.models import Event
from vmo.education import rules, selectors, services
from vmo.education.models import Course, FullScoreStudy, PointsReduction
from vmo.education.services.cheating import (
    full_score_cheating_record,
    reduction_cheating_record,
)
from vmo.education.services.onsite import onsite_day_record
from vmo.notices.models import Message
from vmo.registry.models import PointsEntry
from vmo.registry.selectors import points_in_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TZ = ZoneInfo("Asia/Shanghai")
# First issue 2015-06-01: cycles run 1 June to 31 May.
NOW = datetime(2025, 9, 10, 10, 0, tzinfo=TZ)


@pytest.fixture
def course(tmp_path):
    load_library(tmp_path)
    return Course.objects.get(code="reduce")


def _reduced(person, course, traveller):
    enrolment = services.enrolment_start(person=person, course=course)
    for lesson in course.lessons.order_by("position"):
        services.lesson_open(enrolment=enrolment, lesson=lesson)
        traveller.shift(timedelta(minutes=15))
        services.lesson_done(enrolment=enrolment, lesson=lesson)
    attempt = services.quiz_start(enrolment=enrolment)
    services.quiz_submit(person=person, nonce=attempt.nonce, answers=right_answers(attempt))
    enrolment.refresh_from_db()
    return enrolment


def test_bar_covers_the_cycle_of_the_study_and_two_more_r163_art_26_5():
    assert rules.cheating_bar_ends(date(2015, 6, 1), date(2025, 9, 10)) == date(2028, 5, 31)
    # A study on the cycle's first day and on its last day: the same three cycles.
    assert rules.cheating_bar_ends(date(2015, 6, 1), date(2025, 6, 1)) == date(2028, 5, 31)
    assert rules.cheating_bar_ends(date(2015, 6, 1), date(2026, 5, 31)) == date(2028, 5, 31)
    assert rules.cheating_bar_ends(date(2015, 6, 1), date(2026, 6, 1)) == date(2029, 5, 31)


def test_reduction_revoked_points_restored_person_told_r163_art_31(course):
    officer = OfficerFactory(role="supervisor")
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3)
        enrolment = _reduced(user.person, course, traveller)
        assert points_in_cycle(licence) == 2
        traveller.shift(timedelta(days=5))
        finding = reduction_cheating_record(
            enrolment=enrolment, actor=officer, kind="proxy", reason="他人代学，监控可见"
        )
        assert points_in_cycle(licence) == 3
        reduction = PointsReduction.objects.get(enrolment=enrolment)
        assert reduction.revoked_at is not None
        restore = PointsEntry.objects.get(licence=licence, source_type="education:E01-revoked")
        assert (restore.points, restore.kind, restore.occurred_on) == (1, "correction", NOW.date())
        assert (finding.study_on, finding.bar_ends_on, finding.points_restored) == (
            NOW.date(),
            date(2028, 5, 31),
            1,
        )
        assert Event.objects.filter(action="points.reduction_revoke", subject_id=reduction.pk)
        event = Event.objects.get(action="study.cheating_found", subject_id=finding.pk)
        assert event.actor_id == officer.pk and "Art 31" in event.reason
        message = Message.objects.get(user=user, kind="education.cheating_found", channel="inapp")
        assert "2028-05-31" in message.subject and "2025-09-10" in message.body
        # The revoked reduction no longer counts towards the cycle's six (Art 25).
        assert services.effects.reduced_in_cycle(licence=licence, cycle_start=date(2025, 6, 1)) == 0
        # A second finding of the same study is refused.
        with pytest.raises(ValidationError):
            reduction_cheating_record(enrolment=enrolment, actor=officer, kind="proxy", reason="x")
        assert points_in_cycle(licence) == 3


def test_bar_enforced_at_start_until_its_last_day_r163_art_26_5(course):
    officer = OfficerFactory(role="supervisor")
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3, valid_to=date(2035, 6, 1))
        enrolment = _reduced(user.person, course, traveller)
        reduction_cheating_record(enrolment=enrolment, actor=officer, kind="record", reason="r")
        problems = services.e01_problems(person=user.person)
        assert any("26(5)" in p and "2028-05-31" in p for p in problems), problems
        with pytest.raises(ValidationError) as exc:
            services.enrolment_start(person=user.person, course=course)
        assert "26(5)" in str(exc.value)
    # The bar's last day: still refused.
    with time_machine.travel(datetime(2028, 5, 31, 23, 0, tzinfo=TZ), tick=False):
        from tests.education.helpers import add_points

        add_points(licence, 2)
        assert any("26(5)" in p for p in services.e01_problems(person=user.person))
        with pytest.raises(ValidationError):
            services.enrolment_start(person=user.person, course=course)
    # The day after: the bar is over; the study may start.
    with time_machine.travel(datetime(2028, 6, 1, 8, 0, tzinfo=TZ), tick=False):
        add_points(licence, 2)
        assert not any("26(5)" in p for p in services.e01_problems(person=user.person))
        assert services.enrolment_start(person=user.person, course=course).pk


def test_full_score_days_void_completion_undone_r163_art_31():
    officer = OfficerFactory(role="supervisor")
    with time_machine.travel(NOW + timedelta(days=6), tick=False):
        user, licence = driver(12)
        services.full_score_scan()
        study = FullScoreStudy.objects.get(licence=licence)
        study.assigned_at = NOW
        study.save()
        days = [
            onsite_day_record(
                study=study,
                actor=officer,
                day=NOW.date() + timedelta(days=n),
                site="昌吉市车管所",
                starts_at=time(9, 0),
                ends_at=time(12, 30),
            )
            for n in range(5)
        ]
        study.refresh_from_db()
        assert study.completed_at is not None
        finding = full_score_cheating_record(
            study=study, actor=officer, kind="proxy", reason="代学", onsite_days=days[3:4]
        )
        study.refresh_from_db()
        # 4 days left: no longer complete; the exam may not be booked.
        assert study.completed_at is None
        assert not selectors.full_score_study_complete(licence)
        assert finding.study_on == NOW.date() + timedelta(days=3)
        days[3].refresh_from_db()
        assert days[3].finding_id == finding.pk
        assert Event.objects.filter(action="full_score.study_incomplete", subject_id=study.pk)
        message = Message.objects.get(user=user, kind="education.cheating_found", channel="inapp")
        assert "2028-05-31" in message.body
        assert Message.objects.filter(user=user, kind="education.cheating_found", channel="sms")
        # The void date is not recorded again.
        with pytest.raises(ValidationError):
            onsite_day_record(
                study=study,
                actor=officer,
                day=days[3].day,
                site="昌吉市车管所",
                starts_at=time(9, 0),
                ends_at=time(12, 30),
            )
        # A finding that names nothing to void is refused (an exam finding may).
        with pytest.raises(ValidationError):
            full_score_cheating_record(study=study, actor=officer, kind="record", reason="x")


def test_online_study_void_before_the_finding_r163_art_31():
    from tests.education.test_full_score_days import _online_day

    officer = OfficerFactory(role="supervisor")
    with time_machine.travel(NOW + timedelta(days=6), tick=False) as traveller:
        _, licence = driver(12)
        services.full_score_scan()
        study = FullScoreStudy.objects.get(licence=licence)
        study.assigned_at = NOW
        study.save()
        for n in range(3):
            _online_day(study, NOW.date() + timedelta(days=n))
        assert services.full_score.online_study_days(study=study) == 3
        full_score_cheating_record(
            study=study, actor=officer, kind="proxy", reason="代学", online=True
        )
        study.refresh_from_db()
        assert services.full_score.online_study_days(study=study) == 0
        # Online study after the finding counts again.
        traveller.shift(timedelta(days=1))
        _online_day(study, (NOW + timedelta(days=7)).date())
        assert services.full_score.online_study_days(study=study) == 1
