"""Public reads of announcements and publications (no sign-in): the same selectors as the
pages, so the API never shows what the pages would not, and the same FilterSets
(vmo.bulletins.filters), so it accepts and refuses the filters the pages do.

No `from __future__ import annotations` here: ninja reads the Query[...] annotations at run time.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from vmo.bulletins import selectors
from vmo.bulletins.filters import AnnouncementFilterSet, PublicationFilterSet

from .auth import client_throttle
from .errors import ApiError, not_found_message
from .filters import filtered, filterset_schema
from .pagination import BoundedPagination
from .schemas import ErrorOut

if TYPE_CHECKING:
    from vmo.bulletins.models import Announcement, Publication

router = Router(tags=["announcements and publications"], auth=None)
THROTTLE = client_throttle("bulletins", "120/m")
ROWS_MAX = 500


ARCHIVE = {
    "archive": (bool, Field(False, description="Include expired and withdrawn ones too.")),
}
AnnouncementFilter = filterset_schema(
    AnnouncementFilterSet, name="AnnouncementFilter", extra=ARCHIVE
)


class AnnouncementOut(Schema):
    id: int
    year: int
    number: int
    kind: str
    kind_name: str
    title: str
    publish_at: datetime
    expire_at: datetime | None
    withdrawn: bool
    url: str = Field(..., description="The stable public page.")

    @staticmethod
    def resolve_kind_name(obj: "Announcement") -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_withdrawn(obj: "Announcement") -> bool:
        return obj.state == "withdrawn"

    @staticmethod
    def resolve_url(obj: "Announcement") -> str:
        return reverse("bulletins:announcement_detail", args=[obj.year, obj.number])


class AnnouncementDetailOut(AnnouncementOut):
    body_html: str = Field(..., description="Sanitised HTML (a small set of tags, no scripts).")
    data_date: date | None
    columns: list[str]
    items: list[list[str]] = Field(..., description="The listed records, masked (first 500).")

    @staticmethod
    def resolve_items(obj: "Announcement") -> list[list[str]]:
        return obj.items_out  # type: ignore[attr-defined]

    items_total: int

    @staticmethod
    def resolve_body_html(obj: "Announcement") -> str:
        return obj.body


PublicationFilter = filterset_schema(PublicationFilterSet, name="PublicationFilter", extra=ARCHIVE)


class PublicationOut(Schema):
    id: int
    kind: str
    kind_name: str
    title: str
    period: str
    data_date: date
    published_at: datetime
    state: str
    row_count: int
    url: str
    csv_url: str

    @staticmethod
    def resolve_kind_name(obj: "Publication") -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_url(obj: "Publication") -> str:
        return reverse("bulletins:publication_detail", args=[obj.pk])

    @staticmethod
    def resolve_csv_url(obj: "Publication") -> str:
        return reverse("bulletins:publication_csv", args=[obj.pk])


class PublicationDetailOut(PublicationOut):
    note: str
    columns: list[str]
    rows: list[list[str]] = Field(..., description="The first 500 rows; the CSV has them all.")

    @staticmethod
    def resolve_rows(obj: "Publication") -> list[list[str]]:
        return obj.rows_out  # type: ignore[attr-defined]


@router.get(
    "/announcements",
    response={200: list[AnnouncementOut], 422: ErrorOut, 429: ErrorOut},
    summary="Announcements in force (or the archive)",
    url_name="announcement_list",
    throttle=THROTTLE,
)
@paginate(BoundedPagination)
def announcement_list(
    request: HttpRequest,
    filters: Query[AnnouncementFilter],  # type: ignore[valid-type]
) -> QuerySet["Announcement"]:
    rows = selectors.announcements_public(archive=filters.archive)  # type: ignore[attr-defined]
    return filtered(AnnouncementFilterSet, request, rows)


@router.get(
    "/announcements/{announcement_id}",
    response={200: AnnouncementDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="One announcement with its list of records",
    url_name="announcement_detail",
    throttle=THROTTLE,
)
def announcement_detail(request: HttpRequest, announcement_id: int) -> "Announcement":
    announcement = selectors.announcements_public(archive=True).filter(pk=announcement_id).first()
    if announcement is None:
        raise ApiError(404, "not_found", not_found_message())
    items = selectors.announcement_items(announcement)
    # Read by the detail schema beside the model's own fields.
    announcement.columns = selectors.announcement_columns(announcement)  # type: ignore[attr-defined]
    announcement.items_total = items.count()  # type: ignore[attr-defined]
    announcement.items_out = list(items.values_list("cells", flat=True)[:ROWS_MAX])  # type: ignore[attr-defined]
    return announcement


@router.get(
    "/publications",
    response={200: list[PublicationOut], 422: ErrorOut, 429: ErrorOut},
    summary="Current publications (or the archive)",
    url_name="publication_list",
    throttle=THROTTLE,
)
@paginate(BoundedPagination)
def publication_list(
    request: HttpRequest,
    filters: Query[PublicationFilter],  # type: ignore[valid-type]
) -> QuerySet["Publication"]:
    rows = selectors.publications_public(archive=filters.archive)  # type: ignore[attr-defined]
    return filtered(PublicationFilterSet, request, rows)


@router.get(
    "/publications/{publication_id}",
    response={200: PublicationDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="One publication with its first rows",
    url_name="publication_detail",
    throttle=THROTTLE,
)
def publication_detail(request: HttpRequest, publication_id: int) -> "Publication":
    publication = selectors.publications_public(archive=True).filter(pk=publication_id).first()
    if publication is None:
        raise ApiError(404, "not_found", not_found_message())
    rows = selectors.publication_rows(publication).values_list("cells", flat=True)[:ROWS_MAX]
    # Read by the detail schema beside the model's own fields.
    publication.columns = selectors.publication_columns(publication)
    publication.rows_out = list(rows)  # type: ignore[attr-defined]
    return publication
