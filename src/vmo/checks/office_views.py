"""The officers' pages for the organisations that use the check API (capability
organisations.manage; the call log also for audit.view). Thin: form, service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_required
from vmo.core.forms import errors_to_form

from . import org_selectors, org_services
from .office_forms import KeyIssueForm, OrganisationForm

CAP = "organisations.manage"
CALLS_PAGE_SIZE = 50


@officer_required(CAP)
def organisations(request: HttpRequest) -> HttpResponse:
    rows = org_selectors.organisations_listed()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "checks/office/organisations.html", {"page": page})


@officer_required(CAP)
def register(request: SignedInRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            row = org_services.organisation_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": row.name})
            return redirect("checks_office:organisation", pk=row.pk)
    status = 422 if form.errors else 200
    return render(request, "checks/office/register.html", {"form": form}, status=status)


def _detail(request: HttpRequest, pk: int, form: KeyIssueForm, status: int = 200) -> HttpResponse:
    organisation = org_selectors.organisation_get(pk=pk)
    context: dict[str, Any] = {
        "organisation": organisation,
        "keys": org_selectors.keys_of(organisation),
        "form": form,
    }
    return render(request, "checks/office/organisation.html", context, status=status)


@officer_required(CAP)
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, KeyIssueForm())


@require_POST
@officer_required(CAP)
def key_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    form = KeyIssueForm(request.POST)
    if form.is_valid():
        try:
            row, raw = org_services.key_issue(
                actor=request.user,
                organisation_id=pk,
                label=form.cleaned_data["label"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            # The confirmation page is the only place the key is ever shown: never cached.
            context = {"organisation": row.organisation, "key": row, "raw": raw}
            response = render(request, "checks/office/key_issued.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return _detail(request, pk, form, status=422)


@require_POST
@officer_required(CAP)
def key_revoke(request: SignedInRequest, pk: int, key_id: int) -> HttpResponse:
    row = org_services.key_revoke(actor=request.user, organisation_id=pk, key_id=key_id)
    messages.success(
        request,
        _("Key %(prefix)s… is revoked: it is refused from now on.") % {"prefix": row.prefix},
    )
    return redirect("checks_office:organisation", pk=pk)


@officer_required(CAP, "audit.view")
def calls(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = org_selectors.organisation_get(pk=pk)
    page = Paginator(org_selectors.calls_of(organisation), CALLS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"organisation": organisation, "page": page}
    return render(request, "checks/office/calls.html", context)


@officer_required(CAP, "audit.view")
def refused_calls(request: HttpRequest) -> HttpResponse:
    page = Paginator(org_selectors.refused_calls(), CALLS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    limit, window = org_services.key_refusal_limit()
    context = {"page": page, "limit": limit, "minutes": window // 60}
    return render(request, "checks/office/refused_calls.html", context)
