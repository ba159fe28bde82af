"""The public check page and the holder's own list of codes. Thin: forms, services, render."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vmo.accounts.permissions import citizen_required
from vmo.core.client_address import client_ip
from vmo.registry import selectors as registry

from . import selectors, services
from .forms import CheckForm, CodeCreateForm

LIFETIME_VALUES = {
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
    "21d": timedelta(days=21),
}


def check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.POST if request.method == "POST" else None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.code_check(
                code=form.cleaned_data["code"],
                licence_tail=form.cleaned_data["licence_tail"],
                organisation=form.cleaned_data["organisation"],
                purpose=form.cleaned_data["purpose"],
                client_address=client_ip(request),
            )
        except services.CheckError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            status = 429 if exc.code == "throttled" else 200
    template = "checks/result.html" if result else "checks/check.html"
    response = render(request, template, {"form": form, "result": result}, status=status)
    if request.method == "POST":
        # The answer shows a holder's data: not for a shared desk's browser history.
        response["Cache-Control"] = "no-store"
    return response


@citizen_required
def my_codes(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    assert person is not None  # citizen_required lets only citizens with a person through
    vehicles = [(v.pk, registry.plate_label(v)) for v in registry.vehicles_of(person)]
    form = CodeCreateForm(request.POST if request.method == "POST" else None, vehicles=vehicles)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            row, code = services.code_create(
                user=request.user,
                scope=form.cleaned_data["scope"],
                lifetime=LIFETIME_VALUES[form.cleaned_data["lifetime"]],
                max_uses=form.cleaned_data["max_uses"],
                vehicle_id=form.cleaned_data["vehicle"],
            )
            created = (row, code)
            form = CodeCreateForm(vehicles=vehicles)
        except services.CheckError as exc:
            for message in exc.messages:
                form.add_error(None, message)
    codes = selectors.codes_of_holder(request.user)
    context = {"form": form, "codes": codes, "created": created, "now": services.clock.now()}
    return render(request, "checks/my_codes.html", context)


@citizen_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.code_revoke(user=request.user, pk=pk)
    return redirect("checks:my_codes")
