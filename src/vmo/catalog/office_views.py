"""The editors' pages for the regulation summaries, under /office/catalog/. Every view checks the
capability on the server; the services refuse what the rules forbid (editing a text that is
not a draft, reviewing one's own work)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_can, officer_required
from vmo.core.forms import errors_to_form
from vmo.core.review import review_context
from vmo.core.selectors import events_for

from . import selectors, services
from .choices import RegulationState
from .forms import ReasonForm, RegulationForm
from .models import RegulationSummary

PAGE_SIZE = 30
S = RegulationState


# Editors and reviewers: either capability opens the pages; each action checks its own.
content_officer = officer_required("content.edit", "content.review")


def _regulation(pk: int) -> RegulationSummary:
    try:
        return RegulationSummary.objects.select_related("created_by", "reviewed_by").get(pk=pk)
    except RegulationSummary.DoesNotExist:
        raise Http404 from None


@content_officer
def manage(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", S.PUBLISHED)
    if state not in S.values:
        state = S.PUBLISHED
    page = Paginator(selectors.regulations_for_office(state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.regulation_counts()
    tabs = [(s.value, s.label, counts.get(s.value, 0)) for s in S]
    context = {"page": page, "state": state, "tabs": tabs, "query": urlencode({"state": state})}
    return render(request, "catalog/manage/index.html", context)


@officer_required("content.edit")
def create(request: SignedInRequest) -> HttpResponse:
    form = RegulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            regulation = services.regulation_create(actor=request.user, text=form.text())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("catalog_office:manage_detail", pk=regulation.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "catalog/manage/form.html", {"form": form}, status=status)


@officer_required("content.edit")
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    regulation = _regulation(pk)
    if regulation.state != S.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("catalog_office:manage_detail", pk=pk)
    initial = {name: getattr(regulation, name) for name in RegulationForm.base_fields}
    form = RegulationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.regulation_update(actor=request.user, regulation=regulation, text=form.text())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("catalog_office:manage_detail", pk=pk)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "regulation": regulation}
    return render(request, "catalog/manage/form.html", context, status=status)


def _detail(
    request: HttpRequest,
    regulation: RegulationSummary,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    user = request.user
    context = {
        "regulation": regulation,
        "history": events_for(regulation).order_by("occurred_at", "id")[:200],
        "may_edit": officer_can(user, "content.edit") and regulation.state == S.DRAFT,
        **review_context(
            user=user,
            item=regulation,
            in_review=regulation.state == S.IN_REVIEW,
            can_review=officer_can(user, "content.review"),
        ),
        "may_withdraw": officer_can(user, "content.review") and regulation.state == S.PUBLISHED,
        "return_form": extra.get("return_form") or ReasonForm(prefix="return"),
        "withdraw_form": extra.get("withdraw_form") or ReasonForm(prefix="withdraw"),
        "action_errors": extra.get("action_errors", []),
    }
    return render(request, "catalog/manage/detail.html", context, status=status)


@content_officer
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _regulation(pk))


def _act(
    request: HttpRequest, regulation: RegulationSummary, action: Callable[[], object], done: str
) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        return _detail(request, regulation, status=409, action_errors=exc.messages)
    messages.success(request, done)
    return redirect("catalog_office:manage_detail", pk=regulation.pk)


@require_POST
@officer_required("content.edit")
def submit(request: SignedInRequest, pk: int) -> HttpResponse:
    regulation = _regulation(pk)
    return _act(
        request,
        regulation,
        lambda: services.regulation_submit(actor=request.user, regulation=regulation),
        _("Sent for review."),
    )


@require_POST
@officer_required("content.review")
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    regulation = _regulation(pk)
    return _act(
        request,
        regulation,
        lambda: services.regulation_approve(actor=request.user, regulation=regulation),
        _("Approved and published."),
    )


def _with_reason(
    request: HttpRequest, pk: int, prefix: str, service: Callable[..., object], done: str
) -> HttpResponse:
    regulation = _regulation(pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _detail(request, regulation, status=422, **{f"{prefix}_form": form})
    try:
        service(actor=request.user, regulation=regulation, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _detail(request, regulation, status=409, action_errors=exc.messages)
    messages.success(request, done)
    return redirect("catalog_office:manage_detail", pk=pk)


@require_POST
@officer_required("content.review")
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(
        request, pk, "return", services.regulation_return, _("Returned to the author.")
    )


@require_POST
@officer_required("content.review")
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(
        request,
        pk,
        "withdraw",
        services.regulation_withdraw,
        _("Taken off the public page; it is a draft again."),
    )
