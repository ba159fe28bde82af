"""The applicant's plate-selection pages, and the two public ones (verify a draw, results).
Thin: parse, call one service or selector, render. Anyone else's draw or reservation is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import citizen_required
from vmo.core import clock
from vmo.core.forms import errors_to_form
from vmo.core.selectors import office_config

from . import selectors, services
from .forms import ChooseForm, ComposeForm, VehicleForm, VerifyForm
from .models import Draw, Reservation

RESULTS_PAGE = 100


@citizen_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    reservations = list(selectors.reservations_for(request.user)[:50])
    context = {
        "reservations": reservations,
        "draws": selectors.latest_draws_for(request.user),
        "config": office_config(),
    }
    return render(request, "plates/index.html", context)


@citizen_required
def draw_start(request: SignedInRequest) -> HttpResponse:
    form = VehicleForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.draw_create(
                actor=request.user,
                vin=form.cleaned_data["vin"],
                model_name=form.cleaned_data["model_name"],
                plate_type=form.cleaned_data["plate_type"],
                company=form.chosen_company(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return redirect("plates:draw", public_id=draw.public_id)
    return render(request, "plates/start.html", {"form": form, "config": office_config()})


def _draw(request: HttpRequest, public_id: str) -> Draw:
    try:
        return selectors.draw_for(request.user, public_id)
    except Draw.DoesNotExist:
        raise Http404 from None


def _draw_page(
    request: HttpRequest, draw: Draw, form: ChooseForm, status: int = 200
) -> HttpResponse:
    free = selectors.still_free(list(draw.candidates))
    chosen = form.data.get("number") if form.is_bound else None
    candidates = [{"number": n, "free": n in free, "checked": n == chosen} for n in draw.candidates]
    context = {
        "draw": draw,
        "form": form,
        "candidates": candidates,
        "free_count": len(free),
        "redraws_left": selectors.redraws_left(vin=draw.vin),
        "is_today": clock.local(draw.created_at).date() == clock.today(),
    }
    return render(request, "plates/draw.html", context, status=status)


@citizen_required
def draw_detail(request: SignedInRequest, public_id: str) -> HttpResponse:
    draw = _draw(request, public_id)
    form = ChooseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reservation = services.reservation_create(
                actor=request.user, number=form.cleaned_data["number"], draw=draw
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
            return _draw_page(request, draw, form, status=422)
        messages.success(
            request,
            _("Number %(number)s is reserved for your vehicle.") % {"number": reservation.display},
        )
        return redirect("plates:reservation", pk=reservation.pk)
    return _draw_page(request, draw, form, status=422 if form.is_bound else 200)


@citizen_required
@require_POST
def draw_again(request: SignedInRequest, public_id: str) -> HttpResponse:
    draw = _draw(request, public_id)
    try:
        new = services.draw_create(
            actor=request.user,
            vin=draw.vin,
            model_name=draw.model_name,
            plate_type=draw.plate_type,
            company=draw.company,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plates:draw", public_id=draw.public_id)
    return redirect("plates:draw", public_id=new.public_id)


@citizen_required
def compose(request: SignedInRequest) -> HttpResponse:
    form = ComposeForm(request.POST if request.method == "POST" else None, user=request.user)
    availability = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "reserve":
                reservation = services.reservation_create(
                    actor=request.user,
                    number=data["number"],
                    vin=data["vin"],
                    model_name=data["model_name"],
                    plate_type=data["plate_type"],
                    company=form.chosen_company(),
                )
                messages.success(
                    request,
                    _("Number %(number)s is reserved for your vehicle.")
                    % {"number": reservation.display},
                )
                return redirect("plates:reservation", pk=reservation.pk)
            availability = services.number_check(
                actor=request.user, number=data["number"], plate_type=data["plate_type"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    status = 422 if form.errors else 200
    return render(
        request, "plates/compose.html", {"form": form, "availability": availability}, status=status
    )


def _reservation(request: HttpRequest, pk: int) -> Reservation:
    try:
        return selectors.reservation_for(request.user, pk)
    except Reservation.DoesNotExist:
        raise Http404 from None


@citizen_required
@require_GET
def reservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "plates/reservation.html", {"reservation": _reservation(request, pk)})


@citizen_required
@require_POST
def reservation_release(request: SignedInRequest, pk: int) -> HttpResponse:
    reservation = _reservation(request, pk)
    try:
        services.reservation_release(
            reservation=reservation, actor=request.user, reason="released by the applicant"
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The number has gone back to the pool."))
    return redirect("plates:reservation", pk=pk)


# --- Public pages ----------------------------------------------------------------------------


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "verification": None,
        "seeds": selectors.seeds_recent(),
    }
    status = 200
    if form.is_bound and form.is_valid():
        try:
            context["verification"] = selectors.draw_verification(form.cleaned_data["draw"])
        except Draw.DoesNotExist:
            # A mistyped number is bad input on a form, not a missing page (issue 15 finding 15).
            form.add_error("draw", _("No draw has this number."))
    if form.errors:
        status = 422
    return render(request, "plates/verify.html", context, status=status)


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    try:
        day = (
            date.fromisoformat(request.GET.get("day", ""))
            if request.GET.get("day")
            else clock.today()
        )
    except ValueError:
        day = clock.today()
        messages.error(request, _("Enter a valid date."))
    page = Paginator(selectors.selection_results(day), RESULTS_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "day": day,
        "page": page,
        "query": f"day={day:%Y-%m-%d}",
        "batches": selectors.batches()[:20],
        "pools": selectors.pool_counts(),
    }
    return render(request, "plates/results.html", context)
