"""Every write of publications: built from the records on their schedule, or uploaded by an
editor as a CSV table; withdrawn, never deleted. Each write is an event in the history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.pagecache import public_pages_changed
from vmo.core.services import event_record

from . import builders, uploads
from .choices import PublicationState, Source
from .columns import PUBLICATION_COLUMNS
from .models import Publication, PublicationRow

if TYPE_CHECKING:
    from vmo.accounts.models import User

ROW_BATCH = 1000
CATCH_UP_DAYS = 3  # daily tables missed while the worker was down are built on the next run


def _title(kind: str, period: str) -> str:
    # Stored in Chinese for the archive; pages render Publication.display_title from the codes.
    with translation.override("zh-hans"):
        return Publication(kind=kind, period=period)._generated_title()


def _store(
    *,
    kind: str,
    period: str,
    data_date: date,
    rows: Iterable[list[str]],
    source: str,
    actor: User | None = None,
    title: str = "",
    note: str = "",
) -> Publication:
    """Publish a table; a current one for the same period is superseded (kept, not shown as
    current). Call inside a transaction."""
    previous = list(
        Publication.objects.select_for_update().filter(
            kind=kind, period=period, state=PublicationState.PUBLISHED
        )
    )
    for old in previous:
        old.state = PublicationState.SUPERSEDED
        old.save(update_fields=["state"])
        event_record(
            actor=actor,
            subject=old,
            action="publication.supersede",
            before={"state": PublicationState.PUBLISHED},
            after={"state": PublicationState.SUPERSEDED},
        )
    publication = Publication.objects.create(
        kind=kind,
        period=period,
        title=(title or _title(kind, period))[:200],
        data_date=data_date,
        note=note,
        source=source,
        columns=[c.key for c in PUBLICATION_COLUMNS[kind]],
        published_at=clock.now(),
        created_by=actor,
    )
    batch: list[PublicationRow] = []
    count = 0
    for count, cells in enumerate(rows, start=1):
        batch.append(PublicationRow(publication=publication, position=count, cells=cells))
        if len(batch) >= ROW_BATCH:
            PublicationRow.objects.bulk_create(batch)
            batch = []
    PublicationRow.objects.bulk_create(batch)
    publication.row_count = count
    publication.save(update_fields=["row_count"])
    event_record(
        actor=actor,
        subject=publication,
        action="publication.publish",
        after={"kind": kind, "period": period, "rows": count, "source": source},
    )
    public_pages_changed()
    return publication


def _periods(schedule: builders.Schedule, day: date) -> list[builders.Period]:
    if schedule.every == "daily":
        return [
            builders.day_period(day - timedelta(days=back)) for back in range(1, CATCH_UP_DAYS + 1)
        ]
    if schedule.every == "monthly":
        return [builders.month_period(day.replace(day=1) - timedelta(days=1))]
    return [builders.Period(day.isoformat(), day, day)]


def _current_rows(kind: str) -> list[list[str]] | None:
    current = (
        Publication.objects.filter(kind=kind, state=PublicationState.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    if current is None:
        return None
    return list(current.rows.order_by("position").values_list("cells", flat=True))


@transaction.atomic
def publications_generate(*, day: date | None = None) -> list[Publication]:
    """Build every table that is due on `day` and not yet published: yesterday's (and the two
    days before, if missed) daily tables, last month's monthly ones, and tables that publish a
    change (fee standards) when they differ from the current one. Idempotent."""
    day = day or clock.today()
    made = []
    for schedule in builders.SCHEDULES:
        for period in _periods(schedule, day):
            if (
                schedule.every != "on_change"
                and Publication.objects.filter(
                    kind=schedule.kind, period=period.key, state=PublicationState.PUBLISHED
                ).exists()
            ):
                continue
            rows = builders.in_office_language(schedule.build, period)
            if rows is None:
                continue  # its source does not exist yet (see builders)
            if schedule.every == "on_change" and rows == _current_rows(schedule.kind):
                continue
            made.append(
                _store(
                    kind=schedule.kind,
                    period=period.key,
                    data_date=period.data_date,
                    rows=rows,
                    source=Source.RECORDS,
                )
            )
    return made


@transaction.atomic
def publication_upload(
    *, actor: User, kind: str, data_date: date, title: str, note: str, data: bytes
) -> Publication:
    """An editor's table, checked row by row; every problem is listed and nothing is saved
    unless every row is right. A second upload for the same kind and data date replaces it."""
    errors: dict[str, list[str]] = {}
    if kind not in builders.UPLOADED_KINDS:
        errors["kind"] = [_("Tables of this kind are built from the records, not uploaded.")]
    if data_date > clock.today():
        errors["data_date"] = [_("The data date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    rows, problems = uploads.parse(kind, data)
    if problems:
        raise ValidationError({"file": problems})
    return _store(
        kind=kind,
        period=data_date.isoformat(),
        data_date=data_date,
        rows=rows,
        source=Source.UPLOAD,
        actor=actor,
        title=title.strip(),
        note=note.strip(),
    )


@transaction.atomic
def publication_withdraw(*, actor: User, publication: Publication, reason: str) -> Publication:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for withdrawing it.")]})
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.state == PublicationState.WITHDRAWN:
        raise ValidationError(_("This table is already withdrawn."), code="wrong_state")
    before = publication.state
    publication.state = PublicationState.WITHDRAWN
    publication.withdrawn_at, publication.withdraw_reason = clock.now(), reason.strip()
    publication.save(update_fields=["state", "withdrawn_at", "withdraw_reason"])
    event_record(
        actor=actor,
        subject=publication,
        action="publication.withdraw",
        before={"state": before},
        after={"state": PublicationState.WITHDRAWN},
        reason=reason.strip(),
    )
    public_pages_changed()
    return publication
