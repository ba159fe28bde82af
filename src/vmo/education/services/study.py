"""Study: enrolment, lessons timed by the server, quizzes with a nonce per attempt.

Nothing a client sends is a duration: a lesson's time is the server's clock between the
requests it received (opened, still here, done), capped per stretch and never counted twice
for one person (two lessons open in two tabs share one clock). A refused action (too fast,
skipped, replayed) is written to the attempt log and committed before the refusal is raised.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from vmo.core import clock, workdays
from vmo.core.requestctx import current_request_id
from vmo.core.services import event_record
from vmo.core.templatetags.vmo import localised

from .. import rules
from ..choices import AttemptKind, ContentStatus, EnrolmentStatus, Purpose
from ..models import Course, Enrolment, Lesson, LessonProgress, QuizAttempt, StudyTime
from ..models import StudyAttempt as AttemptLog

if TYPE_CHECKING:
    from vmo.registry.models import Person


class StudyRefused(ValidationError):
    """A refusal that was logged; its messages name every reason."""


def attempt_log(
    *, person: Person, kind: str, enrolment: Enrolment | None = None, **detail: Any
) -> AttemptLog:
    return AttemptLog.objects.create(
        person=person,
        enrolment=enrolment,
        kind=kind,
        detail=detail,
        occurred_at=clock.now(),
        request_id=current_request_id.get() or "",
    )


def _refuse(messages: list[str], code: str) -> StudyRefused:
    return StudyRefused([ValidationError(m, code=code) for m in messages])


# --- Enrolment --------------------------------------------------------------------------------


def _window_end(purpose: str) -> Any:
    if purpose != Purpose.E01:
        return None
    now = clock.now()
    last = now.date() + timedelta(days=rules.ONLINE_REDUCTION_WINDOW_DAYS)
    return rules.study_window_end(
        clock.local(now), holidays_move=workdays.next_working_day_on_or_after(last)
    )


def _start_problems(person: Person, course: Course) -> tuple[list[str], dict[str, Any]]:
    """Who may start a course of legal effect; the legal checks live with each effect."""
    from . import effects

    if course.purpose == Purpose.E01:
        return effects.e01_problems(person), {}
    if course.purpose == Purpose.E02:
        study = effects.open_full_score_study(person)
        if study is None:
            return [_("Full-score study is for drivers whose licence has reached 12 points.")], {}
        return [], {"full_score_study": study}
    if course.purpose == Purpose.E03:
        return effects.e03_problems(person), {}
    return [], {}


def enrolment_start(*, person: Person, course: Course) -> Enrolment:
    """The open enrolment in the course, or a new one if the person may start it."""
    if course.status != ContentStatus.PUBLISHED:
        raise ValidationError(_("This course is not published."), code="not_published")
    current = (
        Enrolment.objects.filter(person=person, course=course, status=EnrolmentStatus.STUDYING)
        .order_by("-started_at")
        .first()
    )
    if current is not None and not _expired(current):
        return current
    problems, extra = _start_problems(person, course)
    if problems:
        raise ValidationError([ValidationError(p, code="not_eligible") for p in problems])
    with transaction.atomic():
        enrolment = Enrolment.objects.create(
            person=person,
            course=course,
            purpose=course.purpose,
            started_at=clock.now(),
            window_ends_at=_window_end(course.purpose),
            **extra,
        )
        event_record(
            actor=None,
            subject=enrolment,
            action="enrolment.start",
            after={"course": course.code, "purpose": course.purpose},
        )
    return enrolment


def _expired(enrolment: Enrolment) -> bool:
    """An E01 study not finished in its window ends; its time no longer counts (Art 27)."""
    if enrolment.window_ends_at is None or clock.now() < enrolment.window_ends_at:
        return False
    with transaction.atomic():
        updated = Enrolment.objects.filter(pk=enrolment.pk, status=EnrolmentStatus.STUDYING).update(
            status=EnrolmentStatus.EXPIRED
        )
        if updated:
            event_record(actor=None, subject=enrolment, action="enrolment.expire")
    enrolment.status = EnrolmentStatus.EXPIRED
    return True


def _studying(enrolment: Enrolment, person: Person) -> None:
    if enrolment.status == EnrolmentStatus.STUDYING and _expired(enrolment):
        attempt_log(person=person, kind=AttemptKind.EXPIRED, enrolment=enrolment)
        raise _refuse(
            [_("The three days for this study have passed; start the course again.")], "expired"
        )
    if enrolment.status != EnrolmentStatus.STUDYING:
        raise ValidationError(_("This study is already finished."), code="finished")


# --- Lessons ----------------------------------------------------------------------------------


def lesson_open(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """Start (or resume) the server's clock for a lesson."""
    _studying(enrolment, enrolment.person)
    if lesson.course_id != enrolment.course_id or not lesson.active:
        raise ValidationError(_("This lesson is not part of the course."), code="wrong_lesson")
    now = clock.now()
    with transaction.atomic():
        progress, created = LessonProgress.objects.select_for_update().get_or_create(
            enrolment=enrolment, lesson=lesson, defaults={"opened_at": now, "last_seen_at": now}
        )
        if not created:
            # A reopened lesson restarts its stretch; the time away is not study time.
            progress.last_seen_at = now
            progress.save(update_fields=["last_seen_at"])
    return progress


def _credit(progress: LessonProgress, person: Person) -> int:
    """Credit the time since the last sign of life; disjoint from the person's other credits."""
    now = clock.now()
    last_end = StudyTime.objects.filter(enrolment__person=person).aggregate(m=Max("credited_at"))[
        "m"
    ]
    since = max(progress.last_seen_at, last_end) if last_end else progress.last_seen_at
    cap = progress.lesson.minimum_seconds + rules.idle_grace_seconds()
    seconds = max(0, min(int((now - since).total_seconds()), cap))
    progress.last_seen_at = now
    progress.seconds += seconds
    if seconds:
        StudyTime.objects.create(
            enrolment=progress.enrolment,
            lesson=progress.lesson,
            day=clock.local(now).date(),
            seconds=seconds,
            credited_at=now,
        )
    return seconds


def _require_opened(enrolment: Enrolment, lesson: Lesson) -> None:
    """Outside any transaction, so the log of the refusal is kept."""
    if LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).exists():
        return
    attempt_log(
        person=enrolment.person,
        kind=AttemptKind.SKIP_LESSON,
        enrolment=enrolment,
        lesson=lesson.code,
        action="done_without_open",
    )
    raise _refuse([_("Open the lesson and study it first.")], "not_opened")


def _progress_for(enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    return (
        LessonProgress.objects.select_for_update()
        .select_related("lesson", "enrolment")
        .get(enrolment=enrolment, lesson=lesson)
    )


def lesson_heartbeat(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """ "Still here": credit the time so far (pages with JavaScript send it every minute)."""
    _studying(enrolment, enrolment.person)
    _require_opened(enrolment, lesson)
    with transaction.atomic():
        progress = _progress_for(enrolment, lesson)
        _credit(progress, enrolment.person)
        progress.save(update_fields=["last_seen_at", "seconds"])
    _after_credit(enrolment)
    return progress


def lesson_done(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """ "I'm done": accepted only when the server's clock shows the minimum time studied."""
    person = enrolment.person
    _studying(enrolment, person)
    _require_opened(enrolment, lesson)
    refused: list[str] = []
    with transaction.atomic():
        progress = _progress_for(enrolment, lesson)
        _credit(progress, person)
        fields = ["last_seen_at", "seconds"]
        if progress.completed_at is None:
            if progress.seconds >= lesson.minimum_seconds:
                progress.completed_at = clock.now()
                fields.append("completed_at")
            else:
                attempt_log(
                    person=person,
                    kind=AttemptKind.TOO_FAST,
                    enrolment=enrolment,
                    lesson=lesson.code,
                    seconds=progress.seconds,
                    minimum=lesson.minimum_seconds,
                )
                studied, needed = progress.seconds // 60, lesson.minimum_minutes
                refused.append(
                    _(
                        "This lesson needs %(needed)d minutes of study; the office's clock shows "
                        "%(studied)d. Keep reading and try again."
                    )
                    % {"needed": needed, "studied": studied}
                )
        progress.save(update_fields=fields)
    _after_credit(enrolment)
    if refused:
        raise _refuse(refused, "too_fast")
    return progress


def _after_credit(enrolment: Enrolment) -> None:
    if enrolment.purpose == Purpose.E02 and enrolment.full_score_study_id:
        from . import effects

        effects.full_score_progress_check(study_id=enrolment.full_score_study_id)


# --- Quiz -------------------------------------------------------------------------------------


def lessons_missing(enrolment: Enrolment) -> list[Lesson]:
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    return [
        lesson for lesson in enrolment.course.lessons.filter(active=True) if lesson.pk not in done
    ]


def study_seconds(enrolment: Enrolment) -> int:
    return int(enrolment.times.aggregate(s=Sum("seconds"))["s"] or 0)


def quiz_start(*, enrolment: Enrolment) -> QuizAttempt:
    """Questions drawn by the server for one attempt, named by a nonce the answers must carry.
    An unanswered attempt is served again, so redrawing cannot fish for easy questions."""
    person = enrolment.person
    _studying(enrolment, person)
    missing = lessons_missing(enrolment)
    if missing:
        with transaction.atomic():
            attempt_log(
                person=person,
                kind=AttemptKind.SKIP_LESSON,
                enrolment=enrolment,
                missing=[lesson.code for lesson in missing],
            )
        raise _refuse(
            [
                _("Study this lesson first: %(title)s.") % {"title": localised(lesson, "title")}
                for lesson in missing
            ],
            "lessons_missing",
        )
    open_attempt = enrolment.attempts.filter(submitted_at__isnull=True).first()
    if open_attempt is not None:
        return open_attempt
    pool = list(
        enrolment.course.questions.filter(active=True).values_list("pk", flat=True).order_by("pk")
    )
    count = min(enrolment.course.quiz_questions, len(pool))
    chosen = random.SystemRandom().sample(pool, count)
    with transaction.atomic():
        return QuizAttempt.objects.create(
            enrolment=enrolment,
            nonce=secrets.token_urlsafe(24),
            question_ids=chosen,
            started_at=clock.now(),
        )


@dataclass
class QuizResult:
    attempt: QuizAttempt
    effect_messages: list[str]


def _answer_problems(attempt: QuizAttempt, answers: Mapping[str, Any]) -> dict[str, int]:
    from ..models import Question

    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    cleaned: dict[str, int] = {}
    problems: list[ValidationError] = []
    for number, qid in enumerate(attempt.question_ids, 1):
        raw = answers.get(str(qid))
        choices = len(questions[qid].choices_zh)
        try:
            value = int(raw) if raw is not None and str(raw).strip() != "" else None
        except (TypeError, ValueError):
            value = None
        if value is None or not 0 <= value < choices:
            problems.append(
                ValidationError(
                    _("Question %(number)d: choose one of the answers.") % {"number": number},
                    code="unanswered",
                )
            )
            continue
        cleaned[str(qid)] = value
    if problems:
        raise ValidationError(problems)
    return cleaned


def quiz_submit(*, person: Person, nonce: str, answers: Mapping[str, Any]) -> QuizResult:
    """Accept the answers of one attempt once. An unknown or used nonce is a replay: refused
    and logged. A pass completes the course and applies its legal effect."""
    from . import effects

    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update()
            .select_related("enrolment__course")
            .filter(nonce=nonce, enrolment__person=person)
            .first()
        )
        replay = attempt is None or attempt.submitted_at is not None
        if replay:
            attempt_log(
                person=person,
                kind=AttemptKind.REPLAY,
                enrolment=attempt.enrolment if attempt else None,
                nonce_known=attempt is not None,
            )
    if replay:
        raise _refuse([_("These answers were already received, or the quiz is unknown.")], "replay")
    assert attempt is not None
    enrolment = attempt.enrolment
    _studying(enrolment, person)
    cleaned = _answer_problems(attempt, answers)
    from ..models import Question

    right = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "answer"))
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        raced = attempt.submitted_at is not None  # a concurrent duplicate won the race
        if raced:
            attempt_log(person=person, kind=AttemptKind.REPLAY, enrolment=enrolment, race=True)
    if raced:
        raise _refuse([_("These answers were already received.")], "replay")
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise _refuse([_("These answers were already received.")], "replay")
        correct = sum(1 for qid, value in cleaned.items() if right[int(qid)] == value)
        total = len(attempt.question_ids) or 1
        attempt.correct = correct
        attempt.score = round(100 * correct / total)
        attempt.passed = attempt.score >= enrolment.course.pass_mark
        attempt.answers = cleaned
        attempt.submitted_at = clock.now()
        attempt.save()
        event_record(
            actor=getattr(person, "account", None),
            subject=attempt,
            action="quiz.submit",
            after={"score": attempt.score, "passed": attempt.passed},
        )
        messages: list[str] = []
        if attempt.passed:
            messages = effects.enrolment_complete(enrolment=enrolment, attempt=attempt)
    return QuizResult(attempt=attempt, effect_messages=messages)
