"""Public pages and the citizen's own pages. Thin: call a selector, render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vmo.accounts.permissions import citizen_required
from vmo.bulletins.selectors import announcements_next_change
from vmo.bulletins.selectors import latest as latest_bulletins
from vmo.catalog.selectors import businesses_by_category
from vmo.core.pagecache import cached_public_page
from vmo.core.selectors import data_accesses_for_person
from vmo.status.selectors import status_for_person

if TYPE_CHECKING:
    from vmo.registry.models import Person

DATA_ACCESS_PER_PAGE = 20


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    assert person is not None  # citizen_required lets only citizens with a person through
    return person


@cached_public_page(until=announcements_next_change)
def home(request: HttpRequest) -> HttpResponse:
    context = {"groups": businesses_by_category(), "latest": latest_bulletins(count=5)}
    return render(request, "portal/home.html", context)


@citizen_required
def my_status(request: HttpRequest) -> HttpResponse:
    status = status_for_person(_person(request))
    return render(request, "portal/my_status.html", {"status": status})


@citizen_required
def data_access(request: HttpRequest) -> HttpResponse:
    rows = data_accesses_for_person(_person(request).pk)
    page = Paginator(rows, DATA_ACCESS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/data_access.html", {"page": page})
