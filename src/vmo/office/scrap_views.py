"""The compulsory-scrapping worklist and its confirmation (/office/vehicles/scrap/): the list,
a check-answers page whose button declares the certificates void, and the confirmation page.
The rules and the writes are in office.scrap; every view checks the capability."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_required
from vmo.core import clock
from vmo.core.forms import errors_to_form
from vmo.registry import selectors as registry
from vmo.registry.choices import VehicleStatus

from . import scrap

CAPABILITY = "vehicles.scrap_void"


class ConfirmForm(forms.Form):
    """Nothing to type: the page shows the facts and the button confirms them; the form
    carries the service's refusal into the error summary."""


@require_GET
@officer_required(CAPABILITY)
def scrap_list(request: HttpRequest) -> HttpResponse:
    day = clock.today()
    cases = scrap.scrap_worklist(day)
    context = {
        "due": [c for c in cases if c.due(day)],
        "waiting": [c for c in cases if not c.due(day)],
        "period_days": scrap.PERIOD_DAYS,
        "today": day,
    }
    return render(request, "office/scrap_list.html", context)


@require_http_methods(["GET", "POST"])
@officer_required(CAPABILITY)
def scrap_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    day = clock.today()
    case = scrap.scrap_case(vehicle_id=pk, day=day)
    if case is None:
        raise Http404
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            _vehicle, announcement = scrap.scrap_void_confirm(vehicle_id=pk, actor=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
            status = 422
        else:
            url = reverse("office:scrap_done", kwargs={"pk": pk})
            return redirect(f"{url}?announcement={announcement.pk}" if announcement else url)
    context = {"case": case, "form": form, "due": case.due(day), "today": day}
    return render(request, "office/scrap_confirm.html", context, status=status)


@require_GET
@officer_required(CAPABILITY)
def scrap_done(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = (
        registry.vehicles().filter(pk=pk).prefetch_related(registry.last_plate_prefetch()).first()
    )
    if vehicle is None or not registry.has_letter(vehicle.status, VehicleStatus.SCRAP_VOID):
        raise Http404
    announcement = request.GET.get("announcement", "")
    context = {
        "vehicle": vehicle,
        "plate": registry.last_plate_label(vehicle),
        "announcement": int(announcement) if announcement.isdigit() else None,
    }
    return render(request, "office/scrap_done.html", context)
