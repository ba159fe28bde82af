"""The officers' violation pages, under /office/violations/: search, a record's file, voiding one entered in error, and
the intake batches with what they refused. Every view checks the capability on the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_can, officer_required
from vmo.core.forms import errors_to_form
from vmo.registry import selectors as registry_selectors
from vmo.violations import proxy_selectors, records, services
from vmo.violations import selectors as violation_selectors
from vmo.violations.choices import HandlingStatus
from vmo.violations.intake import reason_items

from .office_forms import CounterDecideForm, ProxyClearForm, ViolationSearchForm, VoidForm

PAGE_SIZE = 50


@officer_required("violations.view")
def violations(request: HttpRequest) -> HttpResponse:
    form = ViolationSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "page": None, "query": ""}
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        rows = records.violations_search(
            plate=data.get("plate", ""),
            record_id=data.get("record_id", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            code=data.get("code"),
            handling_status=data.get("handling_status"),
        )
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["query"] = urlencode(form.query()) if form.is_bound else ""
    return render(request, "violations/office/search.html", context)


def _detail(
    request: HttpRequest,
    pk: int,
    *,
    form: VoidForm | None = None,
    counter_form: CounterDecideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        file = records.violation_file(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    may_void = officer_can(request.user, "violations.void") and (
        file.violation.handling_status == HandlingStatus.UNHANDLED
    )
    unhandled = file.violation.handling_status == HandlingStatus.UNHANDLED
    may_decide = officer_can(request.user, "violations.counter") and unhandled
    context = {
        "file": file,
        "violation": file.violation,
        "may_void": may_void,
        "form": form or (VoidForm() if may_void else None),
        "may_decide": may_decide,
        "counter_form": counter_form or (CounterDecideForm() if may_decide else None),
        "online_problems": services.counter_problem_summary(violation=file.violation)
        if unhandled
        else [],
    }
    return render(request, "violations/office/detail.html", context, status=status)


@officer_required("violations.view")
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@require_POST
@officer_required("violations.void")
def violation_void(request: SignedInRequest, pk: int) -> HttpResponse:
    violation = violation_selectors.violation_get(pk=pk)
    if violation is None:
        raise Http404
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            records.violation_void(
                violation=violation,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ground=form.cleaned_data["ground"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Record %(record)s was voided.") % {"record": violation.record_id}
            )
            return redirect("violations_office:violation_detail", pk=pk)
    return _detail(request, pk, form=form, status=422)


@officer_required("violations.view")
def intake_batches(request: HttpRequest) -> HttpResponse:
    page = Paginator(records.intake_batches(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "violations/office/batches.html", {"page": page})


@officer_required("violations.view")
def intake_batch(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        batch = records.intake_batch(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    page = Paginator(records.batch_rejections(batch), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(rejection, reason_items(rejection.reasons)) for rejection in page]
    return render(
        request, "violations/office/batch.html", {"batch": batch, "page": page, "rows": rows}
    )


def _proxy_page(
    request: HttpRequest, *, failed: int | None = None, form: ProxyClearForm | None = None
) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    page = Paginator(proxy_selectors.proxy_suspects(open_only=not show_all), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    may_clear = officer_can(request.user, "violations.proxy_clear")
    rows = [
        (
            suspect,
            registry_selectors.plate_label(suspect.vehicle) if suspect.vehicle else "",
            (form if suspect.pk == failed else ProxyClearForm(prefix=f"c{suspect.pk}"))
            if may_clear and suspect.cleared_at is None
            else None,
        )
        for suspect in page
    ]
    context = {
        "page": page,
        "query": "all=1" if show_all else "",
        "rows": rows,
        "show_all": show_all,
        "failed_form": form,
    }
    return render(request, "violations/office/proxy.html", context, status=422 if failed else 200)


@officer_required("violations.view")
def proxy_list(request: HttpRequest) -> HttpResponse:
    """The anti-proxy list: drivers and vehicles whose online handling is suspended."""
    return _proxy_page(request)


@require_POST
@officer_required("violations.proxy_clear")
def proxy_clear(request: SignedInRequest, pk: int) -> HttpResponse:
    suspect = proxy_selectors.proxy_suspect_get(pk=pk)
    if suspect is None:
        raise Http404
    form = ProxyClearForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            services.proxy_suspect_clear(
                suspect=suspect, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The case was cleared; online handling is open again."))
            return redirect("violations_office:proxy_list")
    return _proxy_page(request, failed=pk, form=form)


@require_POST
@officer_required("violations.counter")
def violation_counter_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """Counter handling: the officer decides the record on the licence of the driver present."""
    violation = violation_selectors.violation_get(pk=pk)
    if violation is None:
        raise Http404
    form = CounterDecideForm(request.POST)
    if form.is_valid():
        try:
            decision = services.violation_counter_decide(
                violation=violation,
                actor=request.user,
                driver_id_number=form.cleaned_data["driver_id_number"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Penalty decision %(number)s was made: %(points)d points.")
                % {"number": decision.number, "points": decision.points},
            )
            return redirect("violations_office:violation_detail", pk=pk)
    return _detail(request, pk, counter_form=form, status=422)
