"""Editors: a course written in the app is sanitised and published only by another editor."""

from __future__ import annotations

import pytest

from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.education.models import Course, Lesson

pytestmark = pytest.mark.django_db


def test_course_written_reviewed_by_another_editor(client):
    author, reviewer = OfficerFactory(role="editor"), OfficerFactory(role="editor")
    sign_in_verified(client, author)
    response = client.post(
        "/office/learning/courses/new/",
        {
            "code": "winter",
            "title_zh": "冬季",
            "title_en": "Winter",
            "purpose": "general",
            "pass_mark": 80,
            "quiz_questions": 5,
        },
    )
    course = Course.objects.get(code="winter")
    assert response.status_code == 302 and course.status == "draft"
    client.post(
        f"/office/learning/courses/{course.pk}/",
        {
            "code": "w-1",
            "kind": "article",
            "minimum_minutes": 5,
            "title_zh": "一",
            "title_en": "One",
            "body_zh": "<p onclick='x()'>好</p><script>bad()</script>",
            "body_en": "<p>ok</p>",
        },
    )
    lesson = Lesson.objects.get(code="w-1")
    assert lesson.body_zh == "<p>好</p>"
    client.post(f"/office/learning/courses/{course.pk}/submit/")
    client.post(f"/office/learning/courses/{course.pk}/publish/")
    course.refresh_from_db()
    assert course.status == "review"  # the author cannot publish
    sign_in_verified(client, reviewer)
    client.post(f"/office/learning/courses/{course.pk}/publish/")
    course.refresh_from_db()
    assert course.status == "published" and course.reviewed_by == reviewer
    assert client.get("/office/learning/").status_code == 200


def test_clerk_cannot_edit(client):
    sign_in_verified(client, OfficerFactory(role="clerk"))
    assert client.get("/office/learning/").status_code == 403


def test_an_editor_who_added_a_lesson_cannot_review_the_course():
    from django.core.exceptions import ValidationError

    from tests.factories import OfficerFactory
    from vmo.education.services import library

    author, helper, reviewer = (OfficerFactory(role="editor") for _ in range(3))
    course = library.course_create(
        actor=author,
        code="co-written",
        title_zh="合写课程",
        title_en="Co-written",
        summary_zh="摘要",
        summary_en="Summary",
    )
    library.lesson_add(
        actor=helper,
        course=course,
        code="co-1",
        kind="article",
        minimum_minutes=3,
        title_zh="第一课",
        title_en="Lesson 1",
        body_zh="<p>正文</p>",
        body_en="<p>Text</p>",
    )
    library.course_submit(course=course, actor=author)
    with pytest.raises(ValidationError):
        library.course_publish(course=course, actor=helper)
    assert library.course_publish(course=course, actor=reviewer).status == "published"
