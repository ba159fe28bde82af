"""Learn-to-reduce-points (R163 Arts 25-27) with a frozen clock: the server's timer, the quiz
nonce, the reduction in the ledger and its edges (cap 6, eligibility, window, replays)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.education.helpers import add_points, driver, load_library, right_answers
from tests.factories import VehicleFactory
from vmo.education import services
from vmo.education.choices import AttemptKind, EnrolmentStatus
from vmo.education.models import Course, PointsReduction, StudyAttempt
from vmo.notices.models import Message
from vmo.registry.models import PointsEntry
from vmo.registry.selectors import points_in_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 10, 10, 0, tzinfo=TZ)  # a Wednesday; cycle from 2025-06-01


@pytest.fixture
def course(tmp_path):
    load_library(tmp_path)
    return Course.objects.get(code="reduce")


def _study(person, course, traveller, minutes=(15, 15)):
    enrolment = services.enrolment_start(person=person, course=course)
    for lesson, wait in zip(course.lessons.order_by("position"), minutes, strict=True):
        services.lesson_open(enrolment=enrolment, lesson=lesson)
        traveller.shift(timedelta(minutes=wait))
        services.lesson_done(enrolment=enrolment, lesson=lesson)
    return enrolment


def _pass(person, enrolment):
    attempt = services.quiz_start(enrolment=enrolment)
    return services.quiz_submit(person=person, nonce=attempt.nonce, answers=right_answers(attempt))


def test_full_course_reduces_one_point_once_and_notifies(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3)
        enrolment = _study(user.person, course, traveller)
        result = _pass(user.person, enrolment)
        assert result.attempt.passed
        assert points_in_cycle(licence) == 2
        entry = PointsEntry.objects.get(licence=licence, kind="reduction")
        assert entry.points == -1
        assert (entry.source_type, entry.source_id) == ("education:E01", str(enrolment.pk))
        assert Message.objects.filter(user=user, kind="education.points_reduced").exists()
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.certificate_number
        # Claiming again: refused, logged, nothing changes.
        with pytest.raises(services.StudyRefused):
            services.reduction_claim(enrolment=enrolment)
        assert points_in_cycle(licence) == 2
        assert StudyAttempt.objects.filter(kind=AttemptKind.REDUCTION_REFUSED).count() == 1


def test_lesson_done_too_fast_is_refused_and_logged(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, _ = driver(3)
        enrolment = services.enrolment_start(person=user.person, course=course)
        lesson = course.lessons.order_by("position").first()
        services.lesson_open(enrolment=enrolment, lesson=lesson)
        traveller.shift(timedelta(seconds=30))
        with pytest.raises(services.StudyRefused) as caught:
            services.lesson_done(enrolment=enrolment, lesson=lesson)
        assert "15" in " ".join(caught.value.messages)
        log = StudyAttempt.objects.get(kind=AttemptKind.TOO_FAST)
        assert log.detail["seconds"] == 30 and log.detail["minimum"] == 900
        # At 14:59 still refused; at exactly 15:00 of server time, accepted.
        traveller.shift(timedelta(minutes=14, seconds=29))
        with pytest.raises(services.StudyRefused):
            services.lesson_done(enrolment=enrolment, lesson=lesson)
        traveller.shift(timedelta(seconds=1))
        assert services.lesson_done(enrolment=enrolment, lesson=lesson).completed_at


def test_two_lessons_open_at_once_share_one_clock(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, _ = driver(3)
        enrolment = services.enrolment_start(person=user.person, course=course)
        first, second = course.lessons.order_by("position")
        services.lesson_open(enrolment=enrolment, lesson=first)
        services.lesson_open(enrolment=enrolment, lesson=second)
        traveller.shift(timedelta(minutes=15))
        services.lesson_done(enrolment=enrolment, lesson=first)
        with pytest.raises(services.StudyRefused):
            services.lesson_done(enrolment=enrolment, lesson=second)


def test_done_without_open_and_quiz_before_lessons_are_refused(course):
    with time_machine.travel(NOW, tick=False):
        user, _ = driver(3)
        enrolment = services.enrolment_start(person=user.person, course=course)
        lesson = course.lessons.order_by("position").last()
        with pytest.raises(services.StudyRefused):
            services.lesson_done(enrolment=enrolment, lesson=lesson)
        with pytest.raises(services.StudyRefused):
            services.quiz_start(enrolment=enrolment)
        assert StudyAttempt.objects.filter(kind=AttemptKind.SKIP_LESSON).count() == 2


def test_replayed_answers_are_refused_and_logged(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3)
        enrolment = _study(user.person, course, traveller)
        attempt = services.quiz_start(enrolment=enrolment)
        # A wrong first try (0%), then the same request replayed with right answers.
        wrong = {k: (v + 1) % 4 for k, v in right_answers(attempt).items()}
        first = services.quiz_submit(person=user.person, nonce=attempt.nonce, answers=wrong)
        assert first.attempt.passed is False
        with pytest.raises(services.StudyRefused):
            services.quiz_submit(
                person=user.person, nonce=attempt.nonce, answers=right_answers(attempt)
            )
        with pytest.raises(services.StudyRefused):
            services.quiz_submit(person=user.person, nonce="made-up", answers={})
        assert StudyAttempt.objects.filter(kind=AttemptKind.REPLAY).count() == 2
        assert points_in_cycle(licence) == 3


def test_incomplete_answers_name_every_question_and_change_nothing(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, _ = driver(3)
        enrolment = _study(user.person, course, traveller)
        attempt = services.quiz_start(enrolment=enrolment)
        with pytest.raises(ValidationError) as caught:
            services.quiz_submit(person=user.person, nonce=attempt.nonce, answers={"x": "9"})
        assert len(caught.value.messages) == 3
        attempt.refresh_from_db()
        assert attempt.submitted_at is None


def test_cap_of_six_per_cycle(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(9)
        for n in range(6):
            enrolment = _study(user.person, course, traveller)
            _pass(user.person, enrolment)
            assert points_in_cycle(licence) == 9 - (n + 1)
        # The seventh study is not even accepted (Art 25).
        with pytest.raises(ValidationError) as caught:
            services.enrolment_start(person=user.person, course=course)
        assert "Six points" in " ".join(caught.value.messages) or "6" in str(caught.value)
        assert PointsReduction.objects.filter(licence=licence).count() == 6
        # A new cycle opens the cap again (points carry nothing here: cleared at cycle end).
    with time_machine.travel(datetime(2026, 6, 2, 10, 0, tzinfo=TZ), tick=False) as traveller:
        add_points(licence, 1)
        enrolment = _study(user.person, course, traveller)
        _pass(user.person, enrolment)
        assert points_in_cycle(licence) == 0


def test_window_of_three_days(course):
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3)
        enrolment = services.enrolment_start(person=user.person, course=course)
        # Started Wednesday 10 Sept: the window ends with Saturday 13th, a weekend: Art 36
        # moves it to Monday 15 Sept, end of day.
        assert enrolment.window_ends_at.date() == date(2025, 9, 16)
        traveller.move_to(datetime(2025, 9, 16, 0, 0, 1, tzinfo=TZ))
        lesson = course.lessons.first()
        with pytest.raises(services.StudyRefused):
            services.lesson_open(enrolment=enrolment, lesson=lesson)
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.EXPIRED
        assert StudyAttempt.objects.filter(kind=AttemptKind.EXPIRED).exists()


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ("zero", "no points"),
        ("full", "12"),
        ("probation", "probation"),
        ("verification", "verification"),
        ("withheld", "withheld"),
        ("inspection", "inspection"),
        ("unhandled", "violation"),
        ("two_full_scores", "26(1)"),
    ],
)
def test_eligibility_refusals(course, setup, fragment):
    with time_machine.travel(NOW, tick=False):
        points = {"zero": 0, "full": 12}.get(setup, 3)
        kwargs = {}
        if setup == "probation":
            kwargs = {"probation_until": date(2025, 12, 1), "first_issue": date(2024, 12, 1)}
        if setup == "verification":
            kwargs = {"verification_due": date(2025, 9, 1)}
        user, licence = driver(points, **kwargs)
        if setup == "withheld":
            from vmo.registry.services import licence_set_flags

            licence_set_flags(licence=licence, actor=None, add="U", reason="test")
        if setup == "inspection":
            VehicleFactory(owner_person=user.person, inspection_valid_until=date(2025, 9, 1))
        if setup == "unhandled":
            from tests.violations.online_factories import codes_ensure  # noqa: F401

            _unhandled_violation(user.person)
        if setup == "two_full_scores":
            _full_scores(licence, cycles_back=(0, 1))
        problems = services.e01_problems(person=user.person)
        assert any(fragment in p for p in problems), problems
        with pytest.raises(ValidationError):
            services.enrolment_start(person=user.person, course=course)


def test_eligible_driver_has_no_problems(course):
    with time_machine.travel(NOW, tick=False):
        user, _ = driver(11)
        VehicleFactory(owner_person=user.person, inspection_valid_until=date(2025, 9, 10))
        assert services.e01_problems(person=user.person) == []


def _unhandled_violation(person):
    from tests.violations.online_factories import codes_ensure
    from vmo.core import clock
    from vmo.violations.models import Violation, ViolationCode

    codes_ensure()
    vehicle = VehicleFactory(owner_person=person)
    code = ViolationCode.objects.get(code="1625")
    Violation.objects.create(
        record_id="T1",
        vehicle=vehicle,
        plate_number="新B12345",
        code=code,
        occurred_at=clock.now(),
        place="x",
        points=6,
        fine_fen=20000,
        recorded_at=clock.now(),
    )


def _full_scores(licence, *, cycles_back):
    """Record a full score reached in each cycle the given number of cycles before today's."""
    from vmo.education import rules
    from vmo.registry import rules as registry_rules
    from vmo.registry.models import FullScoreReached

    start = registry_rules.cycle_start(licence.first_issue_date, NOW.date())
    seen: dict = {}
    for back in cycles_back:
        cycle = rules.cycles_back(licence.first_issue_date, start, back + 1)
        seen[cycle] = seen.get(cycle, 0) + 1
        FullScoreReached.objects.create(
            licence=licence, cycle_start=cycle, occurrence=seen[cycle], reached_on=cycle, points=12
        )


@pytest.mark.parametrize(
    ("cycles_back", "refused"),
    [((0, 1), True), ((1, 1), True), ((0,), False), ((1, 2), False), ((2, 3), False)],
)
def test_two_full_scores_refuse_only_in_this_or_the_previous_cycle(course, cycles_back, refused):
    """R163 Art 26(1): two full scores in this cycle or the previous one refuse the study; older
    ones do not (the lifetime counter read before refused them for ever)."""
    with time_machine.travel(NOW, tick=False):
        user, licence = driver(3)
        _full_scores(licence, cycles_back=cycles_back)
        problems = services.e01_problems(person=user.person)
        assert any("26(1)" in p for p in problems) is refused, problems


def test_course_page_shows_why_a_start_would_be_refused_instead_of_the_button(course, client):
    """Issue 15 finding 15: a start the office would refuse (violations unhandled) is not
    offered as a plain button; the page says why. An eligible driver gets the button."""
    with time_machine.travel(NOW, tick=False):
        refused, _ = driver(3)
        _unhandled_violation(refused.person)
        eligible, _ = driver(3)
        VehicleFactory(owner_person=eligible.person, inspection_valid_until=date(2025, 9, 10))
        start = f'action="/learn/c/{course.code}/start/"'
        client.force_login(refused)
        page = client.get(f"/learn/c/{course.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "You cannot start this course now:" in page
        assert "Handle all your violation records first (R163 Art 25)." in page
        assert start not in page
        client.force_login(eligible)
        page = client.get(f"/learn/c/{course.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert start in page and "You cannot start this course now:" not in page
