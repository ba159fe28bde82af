"""Every write of announcements: written by an editor (or drafted from the records), reviewed by
another editor, scheduled, published, expired, withdrawn. Nothing is deleted; each change is an
event in the history (vmo.core.services.event_record) in the same transaction. Who may review
is decided by the one reviewed-content mechanism (vmo.core.review).

Publications are written in publishing.py, drafts generated from the records in drafting.py;
both are re-exported here, so callers import every bulletins service from this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vmo.core import clock, review
from vmo.core.pagecache import public_pages_changed
from vmo.core.review import ReviewSteps, review_lock
from vmo.core.services import event_record

from .choices import AnnouncementKind, AnnouncementState
from .drafting import announcement_drafts_generate  # noqa: F401 - one import for callers
from .html import plain_text, sanitise
from .models import Announcement, AnnouncementCounter
from .publishing import (  # noqa: F401 - the publication services, one import for callers
    publication_upload,
    publication_withdraw,
    publications_generate,
)
from .record_lists import LISTS

if TYPE_CHECKING:
    from vmo.accounts.models import User

S = AnnouncementState
GENERATED_KINDS = frozenset(LISTS)


def _floor_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def check_times(
    *, publish_at: datetime | None, expire_at: datetime | None, now: datetime | None = None
) -> dict[str, list[str]]:
    """Every problem with a publication and expiry time, by field (empty when both are fine)."""
    now = _floor_minute(now or clock.now())
    errors: dict[str, list[str]] = {}
    if publish_at is not None and publish_at < now:
        errors.setdefault("publish_at", []).append(
            _(
                "The publication time %(time)s has already passed. Choose a later time, or leave "
                "it empty to publish as soon as it is approved."
            )
            % {"time": clock.local(publish_at).strftime("%Y-%m-%d %H:%M")}
        )
    if expire_at is not None:
        if expire_at <= now:
            errors.setdefault("expire_at", []).append(
                _("The expiry time %(time)s has already passed. Choose a later time.")
                % {"time": clock.local(expire_at).strftime("%Y-%m-%d %H:%M")}
            )
        elif publish_at is not None and expire_at <= publish_at:
            errors.setdefault("expire_at", []).append(
                _("The expiry time must be after the publication time.")
            )
    return errors


def _check_content(*, kind: str, title: str, body: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in AnnouncementKind.values:
        errors["kind"] = [_("Choose a kind of announcement from the list.")]
    if not title.strip():
        errors["title"] = [_("Give the announcement a title.")]
    elif len(title) > 200:
        errors["title"] = [_("At most %(limit)d characters.") % {"limit": 200}]
    if not plain_text(body) and kind not in GENERATED_KINDS:
        errors["body"] = [_("Write the announcement's text.")]
    return errors


def _snapshot(a: Announcement) -> dict[str, Any]:
    def moment(value: datetime | None) -> str:
        return value.isoformat() if value else ""

    return {
        "state": a.state,
        "title": a.title,
        "publish_at": moment(a.publish_at),
        "expire_at": moment(a.expire_at),
    }


# Around the review steps the history keeps only the state: the text did not change.
STEPS = ReviewSteps[Announcement](
    action="announcement",
    snapshot=_snapshot,
    step_snapshot=lambda a: {"state": a.state},
    wrong_state=gettext_lazy("This cannot be done to an announcement that is %(state)s."),
)
_require_state = STEPS.require_state


def announcement_create(
    *,
    actor: User,
    kind: str,
    title: str,
    body: str,
    publish_at: datetime | None = None,
    expire_at: datetime | None = None,
) -> Announcement:
    body = sanitise(body)
    errors = _check_content(kind=kind, title=title, body=body)
    errors.update(check_times(publish_at=publish_at, expire_at=expire_at))
    if errors:
        raise ValidationError(errors)
    announcement = Announcement(
        kind=kind, title=title.strip(), body=body, publish_at=publish_at, expire_at=expire_at
    )
    return review.reviewed_create(steps=STEPS, actor=actor, item=announcement)


def announcement_update(
    *,
    actor: User,
    announcement: Announcement,
    title: str,
    body: str,
    publish_at: datetime | None,
    expire_at: datetime | None,
) -> Announcement:
    """Only a draft is edited: an approved text never changes without a new review."""
    body = sanitise(body)

    def check(a: Announcement) -> dict[str, list[str]]:
        errors = _check_content(kind=a.kind, title=title, body=body)
        errors.update(check_times(publish_at=publish_at, expire_at=expire_at))
        return errors

    def apply(a: Announcement) -> None:
        a.title, a.body = title.strip(), body
        a.publish_at, a.expire_at = publish_at, expire_at

    return review.reviewed_update(
        steps=STEPS, actor=actor, item=announcement, check=check, apply=apply
    )


def announcement_submit(*, actor: User, announcement: Announcement) -> Announcement:
    return review.reviewed_submit(steps=STEPS, actor=actor, item=announcement, check=_check_stored)


def _check_stored(a: Announcement) -> dict[str, list[str]]:
    """A text saved as a draft may have gone stale since (a time that has passed)."""
    errors = _check_content(kind=a.kind, title=a.title, body=a.body)
    errors.update(check_times(publish_at=a.publish_at, expire_at=a.expire_at))
    return errors


def _next_number(year: int) -> int:
    counter, _created = AnnouncementCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def announcement_approve(
    *, actor: User, announcement: Announcement, note: str = ""
) -> Announcement:
    """A second editor approves: it is numbered, and published now or at its time."""
    return review.reviewed_approve(
        steps=STEPS,
        actor=actor,
        item=announcement,
        publish=_publish,
        after=lambda a: {**_snapshot(a), "number": a.reference},
        note=note,
    )


def _publish(announcement: Announcement, now: datetime) -> None:
    if announcement.expire_at is not None and announcement.expire_at <= now:
        raise ValidationError(
            {
                "expire_at": [
                    _(
                        "Its expiry time has passed while it waited for review: return it so "
                        "that the author sets a new one."
                    )
                ]
            }
        )
    # A publication time that passed while it waited for review means "as soon as approved".
    if announcement.publish_at is None or announcement.publish_at <= now:
        announcement.publish_at = now
        announcement.published_at = now
        announcement.state = S.PUBLISHED
    else:
        announcement.state = S.SCHEDULED
    announcement.year = clock.local(announcement.publish_at).year
    announcement.number = _next_number(announcement.year)
    announcement.reviewed_at = now


def announcement_return(*, actor: User, announcement: Announcement, reason: str) -> Announcement:
    if not reason.strip():
        raise ValidationError({"reason": [_("Say what the author should change.")]})
    return review.reviewed_return(
        steps=STEPS, actor=actor, item=announcement, reason=reason.strip()
    )


@transaction.atomic
def announcement_schedule(
    *,
    actor: User,
    announcement: Announcement,
    publish_at: datetime | None,
    expire_at: datetime | None,
) -> Announcement:
    """Move an approved announcement's times: the publication time only before it is public,
    the expiry time while it is scheduled or published. The text is not touched."""
    announcement = review_lock(announcement)
    _require_state(announcement, S.SCHEDULED, S.PUBLISHED)
    before = _snapshot(announcement)
    now = clock.now()
    if announcement.state == S.PUBLISHED:
        publish_at = announcement.publish_at
        errors = check_times(publish_at=None, expire_at=expire_at)
    else:
        errors = check_times(publish_at=publish_at, expire_at=expire_at)
        if publish_at is None:
            errors.setdefault("publish_at", []).append(_("Give the publication time."))
    if errors:
        raise ValidationError(errors)
    assert publish_at is not None
    announcement.publish_at, announcement.expire_at = publish_at, expire_at
    announcement.updated_at = now
    announcement.save()
    event_record(
        actor=actor,
        subject=announcement,
        action="announcement.schedule",
        before=before,
        after=_snapshot(announcement),
    )
    public_pages_changed()
    return announcement


@transaction.atomic
def announcement_withdraw(*, actor: User, announcement: Announcement, reason: str) -> Announcement:
    """Withdrawn, never deleted: one that was public stays readable in the archive, marked as
    withdrawn with the reason; one that never was releases its records for a later draft."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for withdrawing it.")]})
    announcement = review_lock(announcement)
    if announcement.state == S.WITHDRAWN:
        raise ValidationError(_("This announcement is already withdrawn."), code="wrong_state")
    now = clock.now()
    before = announcement.state
    was_public = announcement.state in (S.PUBLISHED, S.EXPIRED) or (
        announcement.state == S.SCHEDULED
        and announcement.publish_at is not None
        and announcement.publish_at <= now
    )
    if was_public and announcement.published_at is None:
        announcement.published_at = announcement.publish_at
    if not was_public:
        announcement.items.update(released=True)
    announcement.state = S.WITHDRAWN
    announcement.withdrawn_at, announcement.withdraw_reason = now, reason.strip()
    announcement.updated_at = now
    announcement.save()
    event_record(
        actor=actor,
        subject=announcement,
        action="announcement.withdraw",
        before={"state": before},
        after={"state": S.WITHDRAWN},
        reason=reason.strip(),
    )
    public_pages_changed()
    return announcement


@transaction.atomic
def announcements_publish_due(*, now: datetime | None = None) -> tuple[int, int]:
    """Make due scheduled announcements public and expire those past their time.
    Returns (published, expired). Running it twice changes nothing the second time.

    The public pages decide by the times themselves, so a late run never shows a page early or
    late; this job makes the states (and the history) follow."""
    now = now or clock.now()
    published = expired = 0
    due = Announcement.objects.select_for_update().filter(state=S.SCHEDULED, publish_at__lte=now)
    for announcement in due.order_by("publish_at", "pk"):
        announcement.state, announcement.published_at = S.PUBLISHED, announcement.publish_at
        announcement.updated_at = now
        announcement.save(update_fields=["state", "published_at", "updated_at"])
        event_record(
            actor=None,
            subject=announcement,
            action="announcement.publish",
            before={"state": S.SCHEDULED},
            after={"state": S.PUBLISHED},
        )
        published += 1
    ending = Announcement.objects.select_for_update().filter(state=S.PUBLISHED, expire_at__lte=now)
    for announcement in ending.order_by("expire_at", "pk"):
        announcement.state, announcement.updated_at = S.EXPIRED, now
        announcement.save(update_fields=["state", "updated_at"])
        event_record(
            actor=None,
            subject=announcement,
            action="announcement.expire",
            before={"state": S.PUBLISHED},
            after={"state": S.EXPIRED},
        )
        expired += 1
    if published or expired:
        public_pages_changed()
    return published, expired
