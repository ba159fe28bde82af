"""The one reviewed-content rule (vmo.core.review), the same for every kind of content: nobody
named in an item's history as writer, editor or submitter may approve (publish) it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.catalog.test_regulations import text as regulation_text
from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.bulletins import services as bulletins
from vmo.catalog import services as catalog
from vmo.core.services import event_record
from vmo.education.models import Course, RegionalWarning
from vmo.education.services import library, regional

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 9, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _own_work(call) -> bool:
    with pytest.raises(ValidationError) as refused:
        call()
    return "own_work" in [problem.code for problem in refused.value.error_list]


def _announcement(writer, editor, submitter):
    draft = bulletins.announcement_create(
        actor=writer, kind="road_closure", title="封路", body="<p>封闭施工。</p>"
    )
    bulletins.announcement_update(
        actor=editor,
        announcement=draft,
        title="封路公告",
        body="<p>封闭施工。</p>",
        publish_at=None,
        expire_at=None,
    )
    bulletins.announcement_submit(actor=submitter, announcement=draft)
    return draft, lambda actor: bulletins.announcement_approve(actor=actor, announcement=draft)


def _regulation(writer, editor, submitter):
    item = catalog.regulation_create(actor=writer, text=regulation_text())
    catalog.regulation_update(actor=editor, regulation=item, text=regulation_text(title_en="X"))
    catalog.regulation_submit(actor=submitter, regulation=item)
    return item, lambda actor: catalog.regulation_approve(actor=actor, regulation=item)


def _course(writer, editor, submitter):
    course = library.course_create(
        actor=writer, code="review-rule", title_zh="课", title_en="Course", summary_zh="摘要"
    )
    library.lesson_add(
        actor=editor,
        course=course,
        code="review-rule-1",
        kind="article",
        minimum_minutes=3,
        title_zh="第一课",
        title_en="Lesson 1",
        body_zh="<p>正文</p>",
    )
    library.course_submit(course=course, actor=submitter)
    return course, lambda actor: library.course_publish(course=course, actor=actor)


def _warning(writer, editor, submitter):
    warning = regional.regional_warning_create(
        actor=writer,
        kind="weather",
        title_zh="大风预警",
        title_en="Gale warning",
        body_zh="明日有八级大风。",
        body_en="Gale tomorrow.",
        action_zh="减速慢行。",
        action_en="Slow down.",
        regions="652301",
        starts_on=date(2025, 9, 10),
        ends_on=date(2025, 9, 12),
    )
    # Warnings have no edit step: the editor here only submits alongside the writer's work.
    regional.regional_warning_submit(warning=warning, actor=submitter)
    return warning, lambda actor: regional.regional_warning_publish(warning=warning, actor=actor)


@pytest.mark.parametrize("make", [_announcement, _regulation, _course, _warning])
def test_nobody_who_worked_on_an_item_may_approve_it(make):
    with time_machine.travel(NOW, tick=False):
        writer, editor, submitter, reviewer = (OfficerFactory(role="editor") for _ in range(4))
        item, approve = make(writer, editor, submitter)
        item.refresh_from_db()
        worked = [writer, submitter] if make is _warning else [writer, editor, submitter]
        assert item.author_ids == [user.pk for user in worked]
        for person in worked:
            assert _own_work(lambda person=person: approve(person)), person
        approve(reviewer)
        item.refresh_from_db()
        assert item.reviewed_by == reviewer


def test_a_contributor_may_not_return_a_course_either():
    writer, reviewer = OfficerFactory(role="editor"), OfficerFactory(role="editor")
    course, _approve = _course(writer, writer, writer)
    assert _own_work(lambda: library.course_return(course=course, actor=writer, reason="改"))
    assert library.course_return(course=course, actor=reviewer, reason="改").status == "draft"


def test_the_pages_offer_approval_only_to_someone_who_did_not_work_on_it(client):
    with time_machine.travel(NOW, tick=False):
        writer, submitter, reviewer = (OfficerFactory(role="editor") for _ in range(3))
        _warning(writer, writer, submitter)
        course, _approve = _course(writer, writer, submitter)
        publish = reverse(
            "education_office:warning_publish", args=[RegionalWarning.objects.get().pk]
        )
        course_publish = reverse("education_office:course_publish", args=[course.pk])
        for user, offered in ((writer, False), (submitter, False), (reviewer, True)):
            sign_in_verified(client, user)
            home = client.get(reverse("education_office:home")).content.decode()
            page = client.get(reverse("education_office:course", args=[course.pk])).content.decode()
            assert (publish in home, course_publish in page) == (offered, offered), user
            assert ("another editor must review it" in page) is not offered


def test_the_migration_fills_who_worked_on_courses_and_warnings_from_the_history():
    from importlib import import_module

    fill = import_module("vmo.education.migrations.0002_review_author_ids").fill
    writer, helper, submitter, reviewer = (OfficerFactory(role="editor") for _ in range(4))
    course = Course.objects.create(code="old", title_zh="旧课", title_en="Old", author=writer)
    lesson = course.lessons.create(code="old-1", minimum_minutes=1, title_zh="课", title_en="L")
    event_record(actor=helper, subject=lesson, action="lesson.create")
    event_record(actor=submitter, subject=course, action="course.submit")
    event_record(actor=reviewer, subject=course, action="course.return", reason="改")
    fill(apps, None)
    course.refresh_from_db()
    assert course.author_ids == [writer.pk, helper.pk, submitter.pk]
