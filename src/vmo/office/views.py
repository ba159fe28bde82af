"""The officers' workbench. Every view checks the officer's capability on the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from vmo.accounts.permissions import officer_can, officer_required, verified_officer_required
from vmo.core.services import data_access_record

from . import selectors
from .forms import AccessLogFilterForm, PersonSearchForm, PurposeForm

ACCESS_LOG_PAGE_SIZE = 50
PERSON_DETAIL_SCREEN = "office.person_detail"


@verified_officer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "office/home.html", {"tools": selectors.tools_for(request.user)})


@officer_required("person.view")
def person_search(request: HttpRequest) -> HttpResponse:
    # POST keeps ID and phone numbers out of URLs, and so out of proxy and server logs.
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = list(
            selectors.persons_search(
                id_number=data["id_number"], phone=data["phone"], plate=data["plate"]
            )
        )
    return render(request, "office/person_search.html", {"form": form, "results": results})


@officer_required("person.view")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    form = PurposeForm(request.GET if "purpose" in request.GET else None)
    if not (form.is_bound and form.is_valid()):
        return render(
            request, "office/purpose_required.html", {"form": form, "person_id": person_id}
        )
    purpose = form.cleaned_data["purpose"]
    try:
        record = selectors.person_record(person_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    data_access_record(
        officer=request.user,
        person_id=record.person.pk,
        screen=PERSON_DETAIL_SCREEN,
        purpose=purpose,
    )
    return render(
        request,
        "office/person_detail.html",
        {
            "record": record,
            "purpose": purpose,
            "may_study": officer_can(request.user, "education.onsite"),
        },
    )


@officer_required("audit.view")
def access_log(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # The filter form posts, so an ID number typed in it never appears in a URL;
        # the result page is addressed by the person's record id instead.
        form = AccessLogFilterForm(request.POST)
        if form.is_valid():
            return redirect(f"{reverse('office:access_log')}?{urlencode(form.query())}")
    else:
        form = AccessLogFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "rows": []}
    if form.is_valid():
        data = form.cleaned_data
        rows = selectors.data_access_log(
            officer_id=data["officer"].pk if data.get("officer") else None,
            person_id=data.get("person"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        page = Paginator(rows, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        person_ids = {row.person_id for row in page} | (
            {data["person"]} if data.get("person") else set()
        )
        persons = selectors.persons_by_id(person_ids)
        context.update(
            page=page,
            rows=[(row, persons.get(row.person_id)) for row in page],
            query=urlencode(form.query()),
            filtered_person=persons.get(data["person"]) if data.get("person") else None,
        )
    return render(request, "office/access_log.html", context)
