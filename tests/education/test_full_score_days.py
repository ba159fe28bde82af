"""Full-score study days (R163 Art 19 paras 2-3): at least 5 days of on-site and online study,
at least 2 of them on site (10 and 5 for A1, A2, A3, B1, B2); a date counts once; an on-site
day is more than three continuous hours, recorded by an officer, once per date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.education.helpers import driver
from tests.factories import OfficerFactory
from vmo.core.models import Event
from vmo.education import rules, selectors, services
from vmo.education.models import Course, Enrolment, FullScoreStudy, Lesson, StudyTime
from vmo.education.services.onsite import onsite_day_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 10, 8, 0, tzinfo=TZ)
DAY0 = NOW.date()


def _study(classes: str = "C1") -> FullScoreStudy:
    _, licence = driver(12, classes=classes)
    services.full_score_scan()
    return FullScoreStudy.objects.get(licence=licence)


def _onsite(study, officer, day, starts=time(9, 0), ends=time(12, 1), site="昌吉市车管所学习室"):
    return onsite_day_record(
        study=study, actor=officer, day=day, site=site, starts_at=starts, ends_at=ends
    )


def _online_day(study, day: date, seconds: int = 3 * 3600 + 60) -> None:
    """Credited online time on that date (the lesson clock itself is tested in test_e02_e03)."""
    course = Course.objects.create(
        code=f"full-{study.pk}-{day:%m%d}", title_zh="满分", title_en="Full", purpose="e02"
    )
    lesson = Lesson.objects.create(
        course=course,
        code=f"l-{study.pk}-{day:%m%d}",
        minimum_minutes=15,
        title_zh="课",
        title_en="L",
    )
    enrolment = Enrolment.objects.create(
        person=study.licence.holder,
        course=course,
        purpose="e02",
        status="completed",
        started_at=NOW,
        full_score_study=study,
    )
    StudyTime.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        day=day,
        seconds=seconds,
        credited_at=datetime.combine(day, time(20, 0), tzinfo=TZ),
    )


def _check(study) -> FullScoreStudy:
    return services.full_score.full_score_progress_check(study_id=study.pk)


@pytest.mark.parametrize(
    ("online", "onsite", "large", "met"),
    [
        (3, 2, False, True),  # 5 days, 2 on site: the minimum (R163 Art 19)
        (2, 2, False, False),  # 4 days
        (4, 1, False, False),  # 5 days but only 1 on site
        (0, 5, False, True),  # all on site
        (5, 5, True, True),  # large class: 10 and 5
        (6, 4, True, False),  # large class: 10 days, 4 on site
        (4, 5, True, False),  # large class: 9 days
    ],
)
def test_study_days_rule_r163_art_19(online, onsite, large, met):
    online_days = {DAY0 + timedelta(days=n) for n in range(online)}
    onsite_days = {DAY0 + timedelta(days=100 + n) for n in range(onsite)}
    assert rules.study_days_met(online=online_days, onsite=onsite_days, large=large) is met


def test_same_date_online_and_on_site_counts_once_r163_art_19():
    days = {DAY0 + timedelta(days=n) for n in range(3)}
    # 3 online + 2 on site, but the on-site dates are two of the online ones: 3 days.
    assert not rules.study_days_met(online=days, onsite=set(sorted(days)[:2]), large=False)


def test_on_site_day_needs_more_than_three_continuous_hours_r163_art_19():
    assert not rules.onsite_day_counts(time(9, 0), time(12, 0))
    assert rules.onsite_day_counts(time(9, 0), time(12, 1))


def test_small_class_complete_at_five_days_with_two_on_site_r163_art_19():
    with time_machine.travel(NOW, tick=False) as traveller:
        study = _study("C1")
        officer = OfficerFactory(role="clerk")
        for n in range(3):
            _online_day(study, DAY0 + timedelta(days=n))
        traveller.move_to(NOW + timedelta(days=4))
        _onsite(study, officer, DAY0 + timedelta(days=3))
        study.refresh_from_db()
        # 4 days, 1 on site: not complete, the exam may not be booked.
        assert study.completed_at is None
        assert not selectors.full_score_study_complete(study.licence)
        _onsite(study, officer, DAY0 + timedelta(days=4))
        study.refresh_from_db()
        assert study.completed_at is not None
        assert selectors.full_score_study_complete(study.licence)
        assert Event.objects.filter(
            action="full_score.study_complete", subject_id=study.pk
        ).exists()


def test_five_online_days_and_one_on_site_is_not_enough_r163_art_19():
    with time_machine.travel(NOW + timedelta(days=6), tick=False):
        study = _study("C1")
        study.assigned_at = NOW
        study.save()
        for n in range(5):
            _online_day(study, DAY0 + timedelta(days=n))
        _onsite(study, OfficerFactory(role="clerk"), DAY0 + timedelta(days=5))
        assert _check(study).completed_at is None


def test_on_site_day_on_an_online_date_counts_once_r163_art_19():
    with time_machine.travel(NOW + timedelta(days=6), tick=False):
        study = _study("C1")
        study.assigned_at = NOW
        study.save()
        officer = OfficerFactory(role="clerk")
        for n in range(4):
            _online_day(study, DAY0 + timedelta(days=n))
        _onsite(study, officer, DAY0)
        _onsite(study, officer, DAY0 + timedelta(days=1))
        # 4 dates in all, 2 on site: one day short.
        assert _check(study).completed_at is None
        _onsite(study, officer, DAY0 + timedelta(days=5))
        assert _check(study).completed_at is not None


def test_large_class_needs_ten_days_five_on_site_r163_art_19():
    with time_machine.travel(NOW + timedelta(days=12), tick=False):
        study = _study("B2")
        study.assigned_at = NOW
        study.save()
        officer = OfficerFactory(role="clerk")
        for n in range(5):
            _online_day(study, DAY0 + timedelta(days=n))
        for n in range(4):
            _onsite(study, officer, DAY0 + timedelta(days=5 + n))
        # 9 days, 4 on site: what would complete a small class is not enough for B2.
        assert _check(study).completed_at is None
        _onsite(study, officer, DAY0 + timedelta(days=9))
        assert _check(study).completed_at is not None


@pytest.mark.parametrize("classes", ["A1", "A2", "A3", "B1", "B2"])
def test_the_large_classes_of_r163_art_18(classes):
    with time_machine.travel(NOW, tick=False):
        assert _study(classes).large_class


def test_a_date_is_recorded_once_and_the_rules_of_a_record_r163_art_19():
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        study = _study("C1")
        study.assigned_at = NOW
        study.save()
        officer = OfficerFactory(role="clerk")
        _onsite(study, officer, DAY0 + timedelta(days=1))
        with pytest.raises(ValidationError) as exc:
            _onsite(study, officer, DAY0 + timedelta(days=1), site="另一个学习点")
        assert "counts once" in str(exc.value.message_dict["day"])
        with pytest.raises(ValidationError) as exc:
            _onsite(study, officer, DAY0 + timedelta(days=2), ends=time(12, 0))
        assert "Art 19" in str(exc.value.message_dict["ends_at"])
        with pytest.raises(ValidationError) as exc:
            _onsite(study, officer, DAY0 + timedelta(days=4))  # tomorrow
        assert "future" in str(exc.value.message_dict["day"])
        with pytest.raises(ValidationError) as exc:
            _onsite(study, officer, DAY0 - timedelta(days=1))  # before the assignment
        assert "before" in str(exc.value.message_dict["day"])
        assert study.onsite_days.count() == 1
        event = Event.objects.get(action="full_score.onsite_day", subject_id=study.pk)
        assert event.actor_id == officer.pk and event.after["day"] == "2025-09-11"
