"""The citizen's violation pages. Thin: parse, call one selector or service, render.
What a citizen may see is decided by selectors.violations_visible_to; anything else is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vmo.accounts.permissions import citizen_required
from vmo.core.forms import errors_to_form
from vmo.payments.devices import payer_of
from vmo.registry import selectors as registry
from vmo.registry.selectors import plate_label

from . import selectors, services
from .forms import BindingConfirmForm, BindingStartForm, NominateForm
from .models import BindingCode, DriverNomination, PenaltyDecision, VehicleBinding, Violation
from .pdf import decision_pdf

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Person


def _actor(request: HttpRequest) -> User:
    # Signed in: citizen_required lets no one else through.
    return cast("User", request.user)


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    assert person is not None  # citizen_required lets only citizens with a person through
    return person


def _errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@citizen_required
@require_GET
def violation_list(request: HttpRequest) -> HttpResponse:
    page = selectors.violation_page(_person(request), request.GET.get("page"))
    return render(request, "violations/list.html", {"page": page, "rows": page.object_list})


def _detail(request: HttpRequest, pk: int) -> selectors.Detail:
    try:
        return selectors.violation_detail(request.user, pk)
    except Violation.DoesNotExist:
        raise Http404 from None


@citizen_required
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk)
    form = NominateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_create(
                violation=detail.row.violation,
                actor=_actor(request),
                driver_id_number=form.cleaned_data["driver_id_number"],
                driver_name=form.cleaned_data["driver_name"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The driver has been asked to confirm."))
            return redirect("violations:detail", pk=pk)
    return render(request, "violations/detail.html", {"detail": detail, "form": form})


@citizen_required
@require_POST
def violation_handle(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk)
    try:
        decision = services.violation_handle(violation=detail.row.violation, actor=_actor(request))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(
            request,
            _("Handled. Penalty decision %(number)s has been issued.")
            % {"number": decision.number},
        )
    return redirect("violations:detail", pk=pk)


def _decision(request: HttpRequest, pk: int) -> PenaltyDecision:
    try:
        return selectors.decision_for(_person(request), pk)
    except (Violation.DoesNotExist, PenaltyDecision.DoesNotExist):
        raise Http404 from None


@citizen_required
@require_POST
def fine_pay(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    return_url = request.build_absolute_uri(reverse("violations:fine_return", args=[pk]))
    try:
        url = services.fine_pay_start(
            decision=decision, actor=_actor(request), return_url=return_url, payer=payer_of(request)
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("violations:detail", pk=pk)
    return HttpResponseRedirect(url)


@citizen_required
@require_GET
def fine_return(request: HttpRequest, pk: int) -> HttpResponse:
    decision = services.fine_payment_refresh(decision=_decision(request, pk))
    if decision.paid_at is not None:
        messages.success(request, _("Payment received. The fine is paid."))
    else:
        messages.info(
            request,
            _("The payment has not been confirmed yet. This page shows it as soon as it is."),
        )
    return redirect("violations:detail", pk=pk)


@citizen_required
@require_GET
def decision_download(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    if not selectors.may_read_decision(request.user, decision):
        raise Http404
    response = HttpResponse(decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{decision.number}.pdf"'
    return response


# --- Bound vehicles (W03) -----------------------------------------------------------------


@citizen_required
def bindings(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    form = BindingStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vehicle = registry.vehicle_by_plate(form.cleaned_data["plate_number"])
        if vehicle is None:
            form.add_error("plate_number", _("No vehicle with this plate number is on record."))
        else:
            try:
                services.binding_code_send(person=person, vehicle=vehicle)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                return redirect("violations:binding_confirm", vehicle_id=vehicle.pk)
    rows = [(b, plate_label(b.vehicle)) for b in selectors.bindings_of(person)]
    return render(request, "violations/bindings.html", {"form": form, "rows": rows})


@citizen_required
def binding_confirm(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    person = _person(request)
    # Only a person who asked for a code for this vehicle gets this page.
    if not BindingCode.objects.filter(person=person, vehicle_id=vehicle_id).exists():
        raise Http404
    vehicle = registry.vehicle_get(pk=vehicle_id)
    form = BindingConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.binding_create(
                person=person, vehicle=vehicle, owner_code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The vehicle is bound to you."))
            return redirect("violations:bindings")
    return render(
        request,
        "violations/binding_confirm.html",
        {"form": form, "plate": plate_label(vehicle)},
    )


@citizen_required
@require_POST
def binding_end(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        binding = selectors.binding_of(_person(request), pk)
    except VehicleBinding.DoesNotExist:
        raise Http404 from None
    try:
        services.binding_end(binding=binding, actor=_actor(request))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("The binding has ended."))
    return redirect("violations:bindings")


# --- Nominations addressed to me ------------------------------------------------------------


@citizen_required
@require_GET
def nominations(request: HttpRequest) -> HttpResponse:
    rows = selectors.nominations_for(_person(request))
    return render(request, "violations/nominations.html", {"nominations": rows})


@citizen_required
@require_POST
def nomination_answer(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        nomination = selectors.pending_nomination_for(_person(request), pk)
    except DriverNomination.DoesNotExist:
        raise Http404 from None
    try:
        if request.POST.get("answer") == "confirm":
            decision = services.nomination_confirm(nomination=nomination, actor=_actor(request))
            messages.success(
                request,
                _("Confirmed. Penalty decision %(number)s has been issued.")
                % {"number": decision.number},
            )
            return redirect("violations:detail", pk=nomination.violation_id)
        services.nomination_decline(nomination=nomination, actor=_actor(request))
        messages.success(request, _("You declined. The owner has been told."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("violations:nominations")
