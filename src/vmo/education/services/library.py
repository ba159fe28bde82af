"""Courses written in the app by content editors: draft -> review by another editor ->
published. Editors write lesson text as HTML; it is sanitised with nh3 before it is stored."""

from __future__ import annotations

from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.models import Event
from vmo.core.services import event_record

from ..choices import BodyFormat, ContentStatus
from ..models import Course, Lesson

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br", "blockquote"}


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={})


@transaction.atomic
def course_create(*, actor: Any, **data: Any) -> Course:
    course = Course(author=actor, status=ContentStatus.DRAFT, **data)
    course.full_clean(exclude=["author", "reviewed_by"])
    course.save()
    event_record(actor=actor, subject=course, action="course.create")
    return course


@transaction.atomic
def lesson_add(*, actor: Any, course: Course, **data: Any) -> Lesson:
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != ContentStatus.DRAFT:
        raise ValidationError(_("Lessons can be added only to a draft course."), code="state")
    last = course.lessons.aggregate(m=Max("position"))["m"] or 0
    for field in ("body_zh", "body_en"):
        data[field] = sanitise(data.get(field, ""))
    lesson = Lesson(course=course, position=last + 1, body_format=BodyFormat.HTML, **data)
    lesson.full_clean(exclude=["course"])
    lesson.save()
    event_record(actor=actor, subject=lesson, action="lesson.create", after={"course": course.code})
    return lesson


@transaction.atomic
def course_submit(*, course: Course, actor: Any) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    problems = []
    if course.status != ContentStatus.DRAFT:
        problems.append(_("Only a draft can be sent for review."))
    if not course.lessons.filter(active=True).exists():
        problems.append(_("A course needs at least one lesson."))
    if problems:
        raise ValidationError(problems, code="state")
    course.status = ContentStatus.IN_REVIEW
    course.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, subject=course, action="course.submit")
    return course


def _worked_on(course: Course, actor: Any) -> bool:
    """The author, or anyone who added a lesson or sent the course for review (the history
    says who): none of them may be its reviewer."""
    if course.author_id == actor.pk:
        return True
    lessons = [str(pk) for pk in course.lessons.values_list("pk", flat=True)]
    return (
        Event.objects.filter(actor_id=actor.pk)
        .filter(
            Q(subject_type="education.course", subject_id=str(course.pk))
            | Q(subject_type="education.lesson", subject_id__in=lessons)
        )
        .exclude(action__in=["course.publish", "course.return"])
        .exists()
    )


@transaction.atomic
def course_publish(*, course: Course, actor: Any) -> Course:
    """Review: a different editor from the author publishes (the service refuses self-review)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    problems = []
    if course.status != ContentStatus.IN_REVIEW:
        problems.append(_("Only a course awaiting review can be published."))
    if _worked_on(course, actor):
        problems.append(_("You wrote this; another editor must review it."))
    if problems:
        raise ValidationError(problems, code="review")
    course.status = ContentStatus.PUBLISHED
    course.reviewed_by = actor
    course.published_at = clock.now()
    course.save(update_fields=["status", "reviewed_by", "published_at", "updated_at"])
    event_record(actor=actor, subject=course, action="course.publish")
    return course


@transaction.atomic
def course_return(*, course: Course, actor: Any, reason: str) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != ContentStatus.IN_REVIEW or not reason.strip():
        raise ValidationError(_("Give a reason to return a course awaiting review."), code="state")
    course.status = ContentStatus.DRAFT
    course.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, subject=course, action="course.return", reason=reason)
    return course
