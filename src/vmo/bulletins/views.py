"""Public pages (no sign-in): announcements and publications, their archive, feeds and CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django_filters import FilterSet

from vmo.core import clock
from vmo.core.filters import filterset_query, filterset_rows
from vmo.core.pagecache import cached_public_page

from . import selectors
from .filters import AnnouncementFilterSet, PublicationFilterSet
from .models import Announcement, Publication

PAGE_SIZE = 20
ROWS_PER_PAGE = 50


def _list(request: HttpRequest, filterset: FilterSet, template: str, **extra: Any) -> HttpResponse:
    """A public list narrowed by its FilterSet; a refused filter is named beside its field with
    the message the API gives in its 422."""
    rows = filterset_rows(filterset)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": filterset.form, "page": page, "query": filterset_query(filterset), **extra}
    return render(request, template, context)


@cached_public_page(until=selectors.announcements_next_change)
def announcement_list(request: HttpRequest, archive: bool = False) -> HttpResponse:
    filterset = AnnouncementFilterSet(
        request.GET, queryset=selectors.announcements_public(archive=archive)
    )
    return _list(
        request, filterset, "bulletins/announcement_list.html", archive=archive, now=clock.now()
    )


@cached_public_page(until=selectors.announcements_next_change)
def announcement_detail(request: HttpRequest, year: int, number: int) -> HttpResponse:
    try:
        announcement = selectors.announcement_public(year=year, number=number)
    except Announcement.DoesNotExist:
        raise Http404 from None
    items = Paginator(selectors.announcement_items(announcement), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "announcement": announcement,
        "current": selectors.announcement_is_current(announcement),
        "columns": selectors.announcement_columns(announcement),
        "items": items,
    }
    return render(request, "bulletins/announcement_detail.html", context)


@cached_public_page()
def publication_list(request: HttpRequest, archive: bool = False) -> HttpResponse:
    filterset = PublicationFilterSet(
        request.GET, queryset=selectors.publications_public(archive=archive)
    )
    return _list(request, filterset, "bulletins/publication_list.html", archive=archive)


def _publication(pk: int) -> Publication:
    try:
        return Publication.objects.get(pk=pk)
    except Publication.DoesNotExist:
        raise Http404 from None


@cached_public_page()
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(pk)
    rows = Paginator(selectors.publication_rows(publication), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "publication": publication,
        "columns": selectors.publication_columns(publication),
        "rows": rows,
    }
    return render(request, "bulletins/publication_detail.html", context)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    """A cell that Excel would run as a formula is given a leading apostrophe (CSV injection).
    A plain negative number stays a number."""
    if value.startswith(FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def publication_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The table as CSV, UTF-8 with a byte-order mark so that Excel opens Chinese correctly.
    Streamed: the rows are read in chunks, never all at once."""
    publication = _publication(pk)
    writer = csv.writer(_Echo())
    header = selectors.publication_columns(publication)

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for cells in (
            selectors.publication_rows(publication)
            .values_list("cells", flat=True)
            .iterator(chunk_size=1000)
        ):
            yield writer.writerow([_safe_cell(str(c)) for c in cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{publication.kind}-{publication.period}-{publication.data_date:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
