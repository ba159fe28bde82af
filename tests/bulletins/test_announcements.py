"""The life of an announcement: written, reviewed by another editor, scheduled, published,
expired, withdrawn; never deleted, every change in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.bulletins.conftest import NOW
from vmo.bulletins import selectors, services
from vmo.bulletins.models import Announcement
from vmo.core.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _draft(editor, **changes):
    data = {
        "actor": editor,
        "kind": "road_closure",
        "title": "延安北路封闭施工公告",
        "body": "<p>5月20日起封闭施工。</p>",
    }
    data.update(changes)
    return services.announcement_create(**data)


def test_the_author_cannot_approve_their_own_announcement(frozen, editor, reviewer):
    draft = _draft(editor)
    services.announcement_submit(actor=editor, announcement=draft)
    with pytest.raises(ValidationError) as exc:
        services.announcement_approve(actor=editor, announcement=draft)
    assert exc.value.code == "own_work"
    assert Announcement.objects.get().state == "review"

    done = services.announcement_approve(actor=reviewer, announcement=draft)
    assert (done.state, done.year, done.number) == ("published", 2025, 1)
    assert selectors.announcement_public(year=2025, number=1) == done


def test_an_editor_who_edited_a_generated_draft_cannot_approve_it(frozen, editor, reviewer):
    draft = Announcement.objects.create(
        kind="licence_revoked",
        title="t",
        body="<p>x</p>",
        source="records",
        created_at=NOW,
        updated_at=NOW,
    )
    services.announcement_update(
        actor=reviewer,
        announcement=draft,
        title="吊销公告",
        body="<p>y</p>",
        publish_at=None,
        expire_at=None,
    )
    services.announcement_submit(actor=editor, announcement=draft)
    for author in (editor, reviewer):
        with pytest.raises(ValidationError):
            services.announcement_approve(actor=author, announcement=draft)


def test_html_is_sanitised_when_saved(frozen, editor):
    draft = _draft(
        editor,
        body='<p onclick="steal()">通知<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)>'
        "<table><tr><td>格</td></tr></table><h3>标题</h3>",
    )
    for bad in ("script", "onclick", "javascript:", "onerror", "<img"):
        assert bad not in draft.body
    assert "<table>" in draft.body and "<h3>标题</h3>" in draft.body


def test_times_in_the_past_and_expiry_before_publication_are_refused(frozen, editor):
    with pytest.raises(ValidationError) as exc:
        _draft(
            editor,
            publish_at=NOW - timedelta(hours=1),
            expire_at=NOW - timedelta(minutes=1),
        )
    errors = exc.value.message_dict
    assert "already passed" in errors["publish_at"][0]
    assert "already passed" in errors["expire_at"][0]
    with pytest.raises(ValidationError) as exc:
        _draft(editor, publish_at=NOW + timedelta(days=2), expire_at=NOW + timedelta(days=1))
    assert exc.value.message_dict == {
        "expire_at": ["The expiry time must be after the publication time."]
    }
    assert not Announcement.objects.exists()


def test_scheduled_announcement_is_public_at_its_time_and_leaves_the_list_when_it_expires(
    frozen, editor, reviewer
):
    publish_at, expire_at = NOW + timedelta(days=1), NOW + timedelta(days=3)
    draft = _draft(editor, publish_at=publish_at, expire_at=expire_at)
    services.announcement_submit(actor=editor, announcement=draft)
    done = services.announcement_approve(actor=reviewer, announcement=draft)
    assert done.state == "scheduled"
    assert not selectors.announcements_public().exists()
    with pytest.raises(Announcement.DoesNotExist):
        selectors.announcement_public(year=done.year, number=done.number)

    frozen.move_to(publish_at + timedelta(minutes=1))
    # Public by its time even before the job has run.
    assert list(selectors.announcements_public()) == [done]
    assert services.announcements_publish_due() == (1, 0)
    assert services.announcements_publish_due() == (0, 0)

    frozen.move_to(expire_at + timedelta(minutes=1))
    assert not selectors.announcements_public().exists()
    assert services.announcements_publish_due() == (0, 1)
    # Expired: kept in the archive and readable at the same link.
    assert list(selectors.announcements_public(archive=True)) == [done]
    assert selectors.announcement_public(year=done.year, number=done.number).state == "expired"
    actions = list(
        Event.objects.filter(subject_type="bulletins.announcement").values_list("action", flat=True)
    )
    assert actions == [
        "announcement.create",
        "announcement.submit",
        "announcement.approve",
        "announcement.publish",
        "announcement.expire",
    ]


def test_return_needs_a_reason_and_sends_it_back_to_draft(frozen, editor, reviewer):
    draft = _draft(editor)
    services.announcement_submit(actor=editor, announcement=draft)
    with pytest.raises(ValidationError):
        services.announcement_return(actor=reviewer, announcement=draft, reason=" ")
    back = services.announcement_return(actor=reviewer, announcement=draft, reason="日期写错")
    assert (back.state, back.return_reason) == ("draft", "日期写错")


def test_approved_text_cannot_be_edited(frozen, editor, reviewer):
    draft = _draft(editor)
    services.announcement_submit(actor=editor, announcement=draft)
    services.announcement_approve(actor=reviewer, announcement=draft)
    with pytest.raises(ValidationError):
        services.announcement_update(
            actor=editor,
            announcement=draft,
            title="x",
            body="<p>y</p>",
            publish_at=None,
            expire_at=None,
        )


def test_withdrawn_published_announcement_stays_in_the_archive(frozen, editor, reviewer):
    draft = _draft(editor)
    services.announcement_submit(actor=editor, announcement=draft)
    services.announcement_approve(actor=reviewer, announcement=draft)
    services.announcement_withdraw(actor=editor, announcement=draft, reason="内容有误")
    assert not selectors.announcements_public().exists()
    kept = selectors.announcement_public(year=2025, number=1)
    assert (kept.state, kept.withdraw_reason) == ("withdrawn", "内容有误")
    assert Announcement.objects.count() == 1


def test_schedule_moves_times_but_not_into_the_past(frozen, editor, reviewer):
    draft = _draft(editor, publish_at=NOW + timedelta(days=1))
    services.announcement_submit(actor=editor, announcement=draft)
    services.announcement_approve(actor=reviewer, announcement=draft)
    with pytest.raises(ValidationError) as exc:
        services.announcement_schedule(
            actor=editor, announcement=draft, publish_at=NOW - timedelta(days=1), expire_at=None
        )
    assert "publish_at" in exc.value.message_dict
    moved = services.announcement_schedule(
        actor=editor,
        announcement=draft,
        publish_at=NOW + timedelta(days=2),
        expire_at=NOW + timedelta(days=9),
    )
    assert moved.publish_at == NOW + timedelta(days=2)


def test_numbers_run_per_year_and_never_repeat(frozen, editor, reviewer):
    numbers = []
    for n in range(3):
        draft = _draft(editor, title=f"公告{n}")
        services.announcement_submit(actor=editor, announcement=draft)
        numbers.append(services.announcement_approve(actor=reviewer, announcement=draft).number)
    assert numbers == [1, 2, 3]
