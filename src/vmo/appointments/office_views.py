"""The officers' appointment pages: sessions per site and day, new sessions with a capacity
(appointments.manage), and results per booking (appointments.record). Names and ID numbers are
shown masked: recording a result needs the booking, not the person's data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_can, officer_required
from vmo.core.forms import errors_to_form
from vmo.core.masking import mask_id_number, mask_name
from vmo.registry.selectors import plate_label

from . import selectors, services
from .forms import OfficeSessionsForm, ResultForm, SessionCreateForm
from .models import Booking, Session
from .results import result_record

PAGE_SIZE = 50


@officer_required("appointments.record")
def sessions(request: HttpRequest) -> HttpResponse:
    form = OfficeSessionsForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        rows = selectors.sessions_for(site=data.get("site"), day=data.get("day"))
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": params.urlencode(),
        "may_manage": officer_can(request.user, "appointments.manage"),
    }
    return render(request, "appointments/office_sessions.html", context)


@officer_required("appointments.manage")
def session_create(request: SignedInRequest) -> HttpResponse:
    form = SessionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The session is published."))
            return redirect("appointments_office:session", pk=session.pk)
    status = 422 if form.errors else 200
    return render(request, "appointments/office_session_create.html", {"form": form}, status=status)


def _rows(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "booking": b,
            "name": mask_name(b.person.name),
            "id_number": mask_id_number(b.person.id_number),
            "plate": plate_label(b.vehicle),
        }
        for b in selectors.session_bookings(session)
    ]


def _session_page(
    request: HttpRequest,
    session: Session,
    *,
    failed: dict[int, ResultForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = _rows(session)
    failed = failed or {}
    for row in rows:
        pk = row["booking"].pk
        row["form"] = failed.get(pk) or ResultForm(prefix=f"b{pk}")
    context = {
        "session": session,
        "rows": rows,
        "may_record": officer_can(request.user, "appointments.record"),
    }
    return render(request, "appointments/office_session.html", context, status=status)


@officer_required("appointments.record")
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("site"), pk=pk)
    return _session_page(request, session)


@require_POST
@officer_required("appointments.record")
def result(request: SignedInRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("session__site"), pk=pk)
    form = ResultForm(request.POST, prefix=f"b{pk}")
    if form.is_valid():
        try:
            result_record(actor=request.user, booking=booking, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Result recorded for booking %(reference)s.") % {"reference": booking.reference},
            )
            return redirect("appointments_office:session", pk=booking.session_id)
    return _session_page(request, booking.session, failed={pk: form}, status=422)
