"""Announcements drafted from the records: one draft per kind listing what no earlier
announcement of the kind holds. Editors then review the drafts like any other (services.py,
vmo.core.review); nothing here publishes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from .choices import AnnouncementKind, Source
from .html import sanitise
from .models import Announcement, AnnouncementItem
from .record_lists import LISTS

MAX_ITEMS = 1000  # records in one generated draft; the next run drafts the rest


@transaction.atomic
def announcement_drafts_generate(
    *, day: date | None = None, kinds: Iterable[str] | None = None
) -> list[Announcement]:
    """Draft one announcement per kind (all, or those named: a decision that makes records to
    announce drafts its own kind at once) listing the records that no earlier announcement of
    the kind holds (at most MAX_ITEMS; the next run takes the rest). Editors review the drafts.
    Running it twice drafts nothing new: the unique item constraint backs the query."""
    day = day or clock.today()
    now = clock.now()
    only = set(kinds) if kinds is not None else None
    drafts = []
    for kind, spec in LISTS.items():
        if only is not None and kind not in only:
            continue
        held = AnnouncementItem.objects.filter(
            kind=kind, subject_type=spec.subject_type, released=False
        ).values("subject_id")
        records = list(spec.candidates(day).exclude(pk__in=held)[:MAX_ITEMS])
        if not records:
            continue
        # Stored text is written in the office's language, whoever triggers the run.
        with translation.override("zh-hans"):
            label = str(AnnouncementKind(kind).label)
            title = _("%(kind)s (records as of %(day)s)") % {"kind": label, "day": day.isoformat()}
            body = sanitise(f"<p>{spec.intro}</p>")
            rows = [spec.cells(record) for record in records]
        announcement = Announcement.objects.create(
            kind=kind,
            title=title[:200],
            body=body,
            source=Source.RECORDS,
            data_date=day,
            expire_at=None,
            created_at=now,
            updated_at=now,
        )
        AnnouncementItem.objects.bulk_create(
            AnnouncementItem(
                announcement=announcement,
                kind=kind,
                position=position,
                subject_type=spec.subject_type,
                subject_id=record.pk,
                cells=cells,
            )
            for position, (record, cells) in enumerate(zip(records, rows, strict=True), start=1)
        )
        event_record(
            actor=None,
            subject=announcement,
            action="announcement.generate",
            after={"kind": kind, "items": len(records), "data_date": day.isoformat()},
        )
        drafts.append(announcement)
    return drafts
