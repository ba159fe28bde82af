"""Reads of announcements and publications. What the public may see is decided here, by the
times themselves (not by whether the publishing job has run yet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Q, QuerySet

from vmo.core import clock
from vmo.core.selectors import events_for

from .choices import APPROVED_STATES, AnnouncementState, PublicationState
from .columns import ANNOUNCEMENT_COLUMNS, PUBLICATION_COLUMNS, Column, labels
from .models import Announcement, AnnouncementItem, Publication, PublicationRow

if TYPE_CHECKING:
    from vmo.core.models import Event


def _public_q(now: datetime) -> Q:
    approved = Q(state__in=APPROVED_STATES, publish_at__lte=now)
    # Withdrawn after it was public: it stays in the archive, marked withdrawn.
    withdrawn = Q(state=AnnouncementState.WITHDRAWN, published_at__isnull=False)
    return approved | withdrawn


def _current_q(now: datetime) -> Q:
    return (
        Q(state__in=APPROVED_STATES, publish_at__lte=now)
        & ~Q(state=AnnouncementState.EXPIRED)
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    )


def announcements_public(*, archive: bool = False) -> QuerySet[Announcement]:
    """Current announcements (or, in the archive, every one that was ever public), newest first.
    Lists narrow it with filters.AnnouncementFilterSet."""
    now = clock.now()
    rows = Announcement.objects.filter(_public_q(now) if archive else _current_q(now))
    return rows.order_by("-publish_at", "-pk")


def announcements_next_change() -> datetime | None:
    """The next moment an approved announcement becomes public or expires by its own time (the
    public pages change then with nobody publishing: their cache is kept only until then)."""
    now = clock.now()
    approved = Q(state__in=APPROVED_STATES)
    moments = Announcement.objects.aggregate(
        starts=Min("publish_at", filter=approved & Q(publish_at__gt=now)),
        ends=Min("expire_at", filter=approved & Q(expire_at__gt=now)),
    )
    due = [m for m in moments.values() if m is not None]
    return min(due) if due else None


def announcement_public(*, year: int, number: int) -> Announcement:
    """The announcement at its stable link; DoesNotExist if it is not (or not yet) public."""
    return Announcement.objects.filter(_public_q(clock.now())).get(year=year, number=number)


def announcement_is_current(announcement: Announcement) -> bool:
    return Announcement.objects.filter(_current_q(clock.now()), pk=announcement.pk).exists()


def announcement_items(announcement: Announcement) -> QuerySet[AnnouncementItem]:
    return announcement.items.order_by("position")


def announcement_columns(announcement: Announcement) -> list[str]:
    columns = ANNOUNCEMENT_COLUMNS.get(announcement.kind, ())
    return labels([c.key for c in columns], columns)


def announcements_for_office(*, state: str = "", kind: str = "") -> QuerySet[Announcement]:
    rows = Announcement.objects.select_related("created_by", "reviewed_by")
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-updated_at", "-pk")


def announcement_counts() -> dict[str, int]:
    return dict(Announcement.objects.values_list("state").annotate(n=Count("id")).order_by())


def history(subject: Announcement | Publication) -> QuerySet[Event]:
    return events_for(subject).order_by("occurred_at", "id")


def publications_public(*, archive: bool = False) -> QuerySet[Publication]:
    """Current tables (the archive adds superseded and withdrawn ones), newest first. Lists
    narrow it with filters.PublicationFilterSet."""
    rows = Publication.objects.all()
    if not archive:
        rows = rows.filter(state=PublicationState.PUBLISHED)
    return rows.order_by("-published_at", "-pk")


def publication_rows(publication: Publication) -> QuerySet[PublicationRow]:
    return publication.rows.order_by("position")


def publication_columns(publication: Publication) -> list[str]:
    return labels(publication.columns, PUBLICATION_COLUMNS.get(publication.kind, ()))


def publication_kind_columns(kind: str) -> tuple[Column, ...]:
    return PUBLICATION_COLUMNS.get(kind, ())


@dataclass(frozen=True)
class Latest:
    announcements: list[Announcement]
    publications: list[Publication]


def latest(*, count: int = 5) -> Latest:
    """For the home page: the newest current announcements and publications."""
    return Latest(
        announcements=list(announcements_public()[:count]),
        publications=list(publications_public()[:count]),
    )
