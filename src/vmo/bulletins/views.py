"""Public pages (no sign-in): announcements and publications, their archive, feeds and CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from vmo.core import clock

from . import selectors
from .forms import AnnouncementSearchForm, PublicationSearchForm
from .models import Announcement, Publication

PAGE_SIZE = 20
ROWS_PER_PAGE = 50


def _list_context(form: Any, rows: Any, request: HttpRequest) -> dict[str, Any]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "query": urlencode(form.query()) if form.is_valid() else ""}


def announcement_list(request: HttpRequest, archive: bool = False) -> HttpResponse:
    form = AnnouncementSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.announcements_public(
        kind=data.get("kind", ""), query=data.get("q", ""), year=data.get("year"), archive=archive
    )
    context = _list_context(form, rows, request)
    context.update(archive=archive, now=clock.now())
    return render(request, "bulletins/announcement_list.html", context)


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


def publication_list(request: HttpRequest, archive: bool = False) -> HttpResponse:
    form = PublicationSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.publications_public(
        kind=data.get("kind", ""), query=data.get("q", ""), archive=archive
    )
    context = _list_context(form, rows, request)
    context["archive"] = archive
    return render(request, "bulletins/publication_list.html", context)


def _publication(pk: int) -> Publication:
    try:
        return Publication.objects.get(pk=pk)
    except Publication.DoesNotExist:
        raise Http404 from None


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
