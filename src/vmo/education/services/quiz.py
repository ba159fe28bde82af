"""Quizzes: one nonce per attempt, answers checked on the server, every refusal logged first."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record
from vmo.core.templatetags.vmo import localised

from ..choices import AttemptKind
from ..models import Enrolment, Lesson, LessonProgress, QuizAttempt

if TYPE_CHECKING:
    from vmo.registry.models import Person

from .study import attempt_log, require_studying, study_refusal


def lessons_missing(*, enrolment: Enrolment) -> list[Lesson]:
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    return [
        lesson for lesson in enrolment.course.lessons.filter(active=True) if lesson.pk not in done
    ]


def study_seconds(*, enrolment: Enrolment) -> int:
    return int(enrolment.times.aggregate(s=Sum("seconds"))["s"] or 0)


def quiz_start(*, enrolment: Enrolment) -> QuizAttempt:
    """Questions drawn by the server for one attempt, named by a nonce the answers must carry.
    An unanswered attempt is served again, so redrawing cannot fish for easy questions."""
    person = enrolment.person
    require_studying(enrolment=enrolment, person=person)
    missing = lessons_missing(enrolment=enrolment)
    if missing:
        with transaction.atomic():
            attempt_log(
                person=person,
                kind=AttemptKind.SKIP_LESSON,
                enrolment=enrolment,
                missing=[lesson.code for lesson in missing],
            )
        raise study_refusal(
            messages=[
                _("Study this lesson first: %(title)s.") % {"title": localised(lesson, "title")}
                for lesson in missing
            ],
            code="lessons_missing",
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
        raise study_refusal(
            messages=[_("These answers were already received, or the quiz is unknown.")],
            code="replay",
        )
    assert attempt is not None
    enrolment = attempt.enrolment
    require_studying(enrolment=enrolment, person=person)
    cleaned = _answer_problems(attempt, answers)
    from ..models import Question

    right = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "answer"))
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        raced = attempt.submitted_at is not None  # a concurrent duplicate won the race
        if raced:
            attempt_log(person=person, kind=AttemptKind.REPLAY, enrolment=enrolment, race=True)
    if raced:
        raise study_refusal(messages=[_("These answers were already received.")], code="replay")
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise study_refusal(messages=[_("These answers were already received.")], code="replay")
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
