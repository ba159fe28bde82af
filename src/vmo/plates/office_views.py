"""The office's plate-selection pages (capability plates.manage): pools and their counts,
loading a batch, withheld series, the day seeds' commitments and their reveal."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_required
from vmo.core import clock
from vmo.core.forms import errors_to_form

from . import selectors, services
from .forms import PoolLoadForm, WithheldForm
from .models import DaySeed, WithheldSeries

CAP = "plates.manage"


@officer_required(CAP)
def home(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    seeds = {s.day: s for s in selectors.seeds_recent()}
    context = {
        "pools": selectors.pool_counts(),
        "page": Paginator(selectors.batches(), 20).get_page(request.GET.get("page")),
        "today": seeds.get(today),
        "tomorrow": seeds.get(today + timedelta(days=1)),
        "seeds": [s for s in seeds.values() if s.day < today],
        "today_date": today,
    }
    return render(request, "plates/office/home.html", context)


@officer_required(CAP)
def pool_load(request: SignedInRequest) -> HttpResponse:
    form = PoolLoadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.pool_batch_load(
                actor=request.user,
                plate_type=form.cleaned_data["plate_type"],
                text=form.cleaned_data["numbers"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("%(count)d numbers loaded.") % {"count": batch.size})
            return redirect("plates_office:home")
    status = 422 if form.errors else 200
    return render(request, "plates/office/load.html", {"form": form}, status=status)


@officer_required(CAP)
def withheld(request: SignedInRequest) -> HttpResponse:
    form = WithheldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withheld_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The series is withheld."))
            return redirect("plates_office:withheld")
    rows = WithheldSeries.objects.filter(active=True)
    status = 422 if form.errors else 200
    return render(
        request, "plates/office/withheld.html", {"form": form, "rows": rows}, status=status
    )


@require_POST
@officer_required(CAP)
def withheld_lift(request: SignedInRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(WithheldSeries, pk=pk, active=True)
    services.withheld_deactivate(actor=request.user, series=series)
    messages.success(request, _("The series is no longer withheld."))
    return redirect("plates_office:withheld")


@require_POST
@officer_required(CAP)
def seed_commit(request: SignedInRequest) -> HttpResponse:
    services.seed_commit(day=clock.today() + timedelta(days=1), actor=request.user)
    messages.success(request, _("Tomorrow's commitment is published."))
    return redirect("plates_office:home")


@require_POST
@officer_required(CAP)
def seed_reveal(request: SignedInRequest, pk: int) -> HttpResponse:
    seed = get_object_or_404(DaySeed, pk=pk)
    try:
        services.seed_reveal(seed=seed, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The seed is revealed."))
    return redirect("plates_office:home")
