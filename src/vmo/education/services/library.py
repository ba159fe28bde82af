"""Courses written in the app by content editors: draft -> review by another editor ->
published, by the one reviewed-content mechanism (vmo.core.review): the author, anyone who added
a lesson and the one who sent it for review may not publish or return it. Editors write lesson
text as HTML; it is sanitised with nh3 before it is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.review import (
    review_lock,
    review_problems,
    review_require_reviewer,
    review_work_record,
)
from vmo.core.services import event_record

from ..choices import BodyFormat, ContentStatus
from ..models import Course, Lesson

if TYPE_CHECKING:
    from vmo.accounts.models import User

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br", "blockquote"}


def sanitise(*, html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={})


@transaction.atomic
def course_create(*, actor: User, **data: Any) -> Course:
    course = Course(author=actor, status=ContentStatus.DRAFT, **data)
    review_work_record(item=course, actor=actor)
    course.full_clean(exclude=["author", "reviewed_by"])
    course.save()
    event_record(actor=actor, subject=course, action="course.create")
    return course


@transaction.atomic
def lesson_add(*, actor: User, course: Course, **data: Any) -> Lesson:
    course = review_lock(course)
    if course.status != ContentStatus.DRAFT:
        raise ValidationError(_("Lessons can be added only to a draft course."), code="state")
    review_work_record(item=course, actor=actor)
    course.save(update_fields=["author_ids", "updated_at"])
    last = course.lessons.aggregate(m=Max("position"))["m"] or 0
    for field in ("body_zh", "body_en"):
        data[field] = sanitise(html=data.get(field, ""))
    lesson = Lesson(course=course, position=last + 1, body_format=BodyFormat.HTML, **data)
    lesson.full_clean(exclude=["course"])
    lesson.save()
    event_record(actor=actor, subject=lesson, action="lesson.create", after={"course": course.code})
    return lesson


@transaction.atomic
def course_submit(*, course: Course, actor: User) -> Course:
    course = review_lock(course)
    problems = []
    if course.status != ContentStatus.DRAFT:
        problems.append(_("Only a draft can be sent for review."))
    if not course.lessons.filter(active=True).exists():
        problems.append(_("A course needs at least one lesson."))
    if problems:
        raise ValidationError(problems, code="state")
    course.status = ContentStatus.IN_REVIEW
    review_work_record(item=course, actor=actor)
    course.save(update_fields=["status", "author_ids", "updated_at"])
    event_record(actor=actor, subject=course, action="course.submit")
    return course


@transaction.atomic
def course_publish(*, course: Course, actor: User) -> Course:
    """Review: an editor who did not work on it publishes."""
    course = review_lock(course)
    problems = []
    if course.status != ContentStatus.IN_REVIEW:
        problems.append(
            ValidationError(_("Only a course awaiting review can be published."), code="state")
        )
    problems += review_problems(item=course, actor=actor)
    if problems:
        raise ValidationError(problems)
    course.status = ContentStatus.PUBLISHED
    course.reviewed_by = actor
    course.published_at = clock.now()
    course.save(update_fields=["status", "reviewed_by", "published_at", "updated_at"])
    event_record(actor=actor, subject=course, action="course.publish")
    return course


@transaction.atomic
def course_return(*, course: Course, actor: User, reason: str) -> Course:
    course = review_lock(course)
    if course.status != ContentStatus.IN_REVIEW or not reason.strip():
        raise ValidationError(_("Give a reason to return a course awaiting review."), code="state")
    review_require_reviewer(item=course, actor=actor)
    course.status = ContentStatus.DRAFT
    course.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, subject=course, action="course.return", reason=reason)
    return course
