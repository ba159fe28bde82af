"""Study: enrolment and lessons timed by the server (quizzes are in .quiz).

Nothing a client sends is a duration: a lesson's time is the server's clock between the
requests it received (opened, still here, done), capped per stretch and never counted twice
for one person (two lessons open in two tabs share one clock). A refused action (too fast,
skipped, replayed) is written to the attempt log and committed before the refusal is raised.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vmo.core import clock, workdays
from vmo.core.requestctx import current_request_id
from vmo.core.services import event_record

from .. import rules
from ..choices import AttemptKind, ContentStatus, EnrolmentStatus, Purpose
from ..models import Course, Enrolment, Lesson, LessonProgress, StudyTime
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


def study_refusal(*, messages: list[str], code: str) -> StudyRefused:
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
    from . import effects, full_score

    if course.purpose == Purpose.E01:
        return effects.e01_problems(person=person), {}
    if course.purpose == Purpose.E02:
        study = full_score.open_full_score_study(person=person)
        if study is None:
            return [_("Full-score study is for drivers whose licence has reached 12 points.")], {}
        return [], {"full_score_study": study}
    if course.purpose == Purpose.E03:
        return effects.e03_problems(person=person), {}
    return [], {}


def start_problems(*, person: Person, course: Course) -> list[str]:
    """Why the person may not start the course now ([] if they may): the course page shows
    these instead of a button that would only be refused."""
    if course.status != ContentStatus.PUBLISHED:
        return [_("This course is not published.")]
    return _start_problems(person, course)[0]


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


def require_studying(*, enrolment: Enrolment, person: Person) -> None:
    if enrolment.status == EnrolmentStatus.STUDYING and _expired(enrolment):
        attempt_log(person=person, kind=AttemptKind.EXPIRED, enrolment=enrolment)
        raise study_refusal(
            messages=[_("The three days for this study have passed; start the course again.")],
            code="expired",
        )
    if enrolment.status != EnrolmentStatus.STUDYING:
        raise ValidationError(_("This study is already finished."), code="finished")


# --- Lessons ----------------------------------------------------------------------------------


def lesson_open(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """Start (or resume) the server's clock for a lesson."""
    require_studying(enrolment=enrolment, person=enrolment.person)
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
    raise study_refusal(messages=[_("Open the lesson and study it first.")], code="not_opened")


def _progress_for(enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    return (
        LessonProgress.objects.select_for_update()
        .select_related("lesson", "enrolment")
        .get(enrolment=enrolment, lesson=lesson)
    )


def lesson_heartbeat(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """ "Still here": credit the time so far (pages with JavaScript send it every minute)."""
    require_studying(enrolment=enrolment, person=enrolment.person)
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
    require_studying(enrolment=enrolment, person=person)
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
        raise study_refusal(messages=refused, code="too_fast")
    return progress


def _after_credit(enrolment: Enrolment) -> None:
    if enrolment.purpose == Purpose.E02 and enrolment.full_score_study_id:
        from . import full_score

        full_score.full_score_progress_check(study_id=enrolment.full_score_study_id)
