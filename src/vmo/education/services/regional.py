"""Regional warnings written by editors: draft -> review (by another editor) -> published ->
sent to the citizens of the regions, bounded per warning and per person per day. Who may
publish is decided by the one reviewed-content mechanism (vmo.core.review): not the author, nor
the editor who sent it for review."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from vmo.accounts import selectors as account_selectors
from vmo.accounts.choices import AccountKind
from vmo.core import clock
from vmo.core.review import review_lock, review_problems, review_work_record
from vmo.core.services import event_record
from vmo.notices.services import notify

from .. import notice_kinds
from ..choices import ContentStatus
from ..models import RegionalWarning
from ..rules import setting

if TYPE_CHECKING:
    from vmo.accounts.models import User

    pass


def region_filter(*, prefixes: list[str]) -> Q:
    """People whose ID number's region code starts with a prefix. The address is encrypted and
    cannot be searched; the region code of the ID number (the place of household registration
    when the number was issued) is stored in clear and indexed. [U] It is not always where the
    person lives now."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(person__region_code__startswith=prefix)
    return q


def _check(data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    regions = str(data.get("regions", "")).split()
    if not regions or not all(r.isdigit() and 2 <= len(r) <= 6 for r in regions):
        errors.setdefault("regions", []).append(
            _("Give region codes of 2 to 6 digits, separated by spaces (e.g. 652301 652302).")
        )
    if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        errors.setdefault("ends_on", []).append(_("The end date is before the start date."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def regional_warning_create(*, actor: User, **data: Any) -> RegionalWarning:
    _check(data)
    warning = RegionalWarning(author=actor, created_at=clock.now(), **data)
    review_work_record(item=warning, actor=actor)
    warning.full_clean(exclude=["author", "reviewed_by"])
    warning.save()
    event_record(actor=actor, subject=warning, action="regional_warning.create")
    return warning


@transaction.atomic
def regional_warning_submit(*, warning: RegionalWarning, actor: User) -> RegionalWarning:
    warning = review_lock(warning)
    if warning.status != ContentStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."), code="state")
    warning.status = ContentStatus.IN_REVIEW
    review_work_record(item=warning, actor=actor)
    warning.save(update_fields=["status", "author_ids"])
    event_record(actor=actor, subject=warning, action="regional_warning.submit")
    return warning


@transaction.atomic
def regional_warning_publish(*, warning: RegionalWarning, actor: User) -> RegionalWarning:
    """A second editor approves: neither its author nor the editor who submitted it."""
    warning = review_lock(warning)
    problems = []
    if warning.status != ContentStatus.IN_REVIEW:
        problems.append(
            ValidationError(_("Only a warning awaiting review can be published."), code="state")
        )
    problems += review_problems(item=warning, actor=actor)
    if problems:
        raise ValidationError(problems)
    warning.status = ContentStatus.PUBLISHED
    warning.reviewed_by = actor
    warning.published_at = clock.now()
    warning.save(update_fields=["status", "reviewed_by", "published_at"])
    event_record(actor=actor, subject=warning, action="regional_warning.publish")
    return warning


def recipients(*, warning: RegionalWarning) -> Any:
    """Active citizens of the regions still under today's per-person limit, not yet sent."""
    start = datetime.combine(clock.today(), time.min, tzinfo=clock.now().tzinfo)
    per_day = setting("VMO_REGIONAL_WARNINGS_PER_PERSON_DAY", 2)
    return (
        account_selectors.users()
        .filter(kind=AccountKind.CITIZEN, is_active=True, person__isnull=False)
        .filter(region_filter(prefixes=warning.region_list))
        .annotate(
            today=Count(
                "messages",
                filter=Q(
                    messages__kind=notice_kinds.WARN_REGIONAL,
                    messages__created_at__gte=start,
                    messages__channel="inapp",
                ),
            ),
            this=Count(
                "messages",
                filter=Q(
                    messages__dedup_key__startswith=f"{notice_kinds.WARN_REGIONAL}:{warning.pk}:"
                ),
            ),
        )
        .filter(today__lt=per_day, this=0)
        .order_by("pk")
    )


def regional_warning_send(*, warning_id: int, batch: int = 500) -> int:
    """Send to the next recipients, at most up to the warning's cap; safe to run again (the
    dedup key per warning and person). Delivery hours are the notices app's concern."""
    warning = RegionalWarning.objects.get(pk=warning_id)
    today = clock.today()
    if (
        warning.status != ContentStatus.PUBLISHED
        or not warning.starts_on <= today <= warning.ends_on
    ):
        return 0
    sent = 0
    while True:
        with transaction.atomic():
            warning = RegionalWarning.objects.select_for_update().get(pk=warning_id)
            room = warning.recipient_cap - warning.sent_count
            if room <= 0:
                break
            users = list(recipients(warning=warning)[: min(batch, room)])
            if not users:
                break
            for user in users:
                notify(
                    kind=notice_kinds.WARN_REGIONAL,
                    context={
                        "title": warning.title_zh,
                        "body": warning.body_zh,
                        "action": warning.action_zh,
                    },
                    dedup_key=f"{notice_kinds.WARN_REGIONAL}:{warning.pk}:{user.pk}",
                    user=user,
                    link="/learn/warnings/",
                )
            warning.sent_count += len(users)
            warning.save(update_fields=["sent_count"])
            sent += len(users)
    return sent
