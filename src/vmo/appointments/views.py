"""The citizens' appointment pages and the public results. Thin: parse, call one selector or
service, render. A citizen sees and changes only their own bookings (anything else is a 404)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import citizen_required
from vmo.core import clock
from vmo.core.forms import errors_to_form
from vmo.core.templatetags.vmo import zh_name
from vmo.registry import selectors as registry
from vmo.registry.selectors import plate_label

from . import checks, selectors, services
from .choices import AppointmentKind
from .filters import SessionFilterSet
from .forms import BookForm, RescheduleForm, ResultsDayForm
from .models import Booking, Session

if TYPE_CHECKING:
    from vmo.registry.models import Person

PAGE_SIZE = 20


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    assert person is not None  # citizen_required lets only citizens with a person through
    return person


def session_label(session: Session) -> str:
    subject = f" · {session.get_subject_display()}" if session.subject else ""
    # The site's Chinese name marked as such: the label is read on English pages too.
    return format_html(
        "{} {}–{} · {}{} · {}",
        f"{session.day:%Y-%m-%d}",
        f"{session.start_time:%H:%M}",
        f"{session.end_time:%H:%M}",
        zh_name(session.site.name),
        subject,
        _("%(count)s places left") % {"count": session.remaining},
    )


@citizen_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    rows = [
        (b, selectors.booking_actions(b)) for b in selectors.bookings_of(_person(request))[:100]
    ]
    return render(request, "appointments/mine.html", {"rows": rows})


@citizen_required
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    filterset = SessionFilterSet(request.GET or None, queryset=selectors.sessions_open())
    form, page = filterset.form, None
    if not filterset.is_bound or filterset.is_valid():
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    applied = sum(1 for name in filterset.filters if request.GET.get(name))
    return render(
        request,
        "appointments/sessions.html",
        {"form": form, "page": page, "query": params.urlencode(), "filters_applied": applied},
    )


@citizen_required
def book(request: SignedInRequest, session_id: int) -> HttpResponse:
    person = _person(request)
    session = get_object_or_404(Session.objects.select_related("site"), pk=session_id)
    vehicles = None
    if session.kind == AppointmentKind.INSPECTION:
        vehicles = [(v.pk, plate_label(v)) for v in selectors.vehicles_to_inspect(person)]
    form = BookForm(request.POST if request.method == "POST" else None, vehicles=vehicles)
    if request.method == "POST" and form.is_valid():
        vehicle = None
        if vehicles is not None:
            vehicle = registry.vehicle_get(pk=form.cleaned_data["vehicle"])
        try:
            services.booking_create(
                actor=request.user, person=person, session=session, vehicle=vehicle
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Booked. A confirmation has been sent to you."))
            return redirect("appointments:mine")
    context = {
        "form": form,
        "session": session,
        "deadline": clock.local(checks.cancel_deadline(session)),
        "learner": selectors.active_learner(person)
        if session.kind == AppointmentKind.EXAM
        else None,
        "no_vehicles": vehicles == [],
    }
    return render(request, "appointments/book.html", context, status=422 if form.errors else 200)


def _own(request: HttpRequest, pk: int) -> Booking:
    try:
        return selectors.booking_of(_person(request), pk)
    except Booking.DoesNotExist:
        raise Http404 from None


@citizen_required
@require_POST
def cancel(request: SignedInRequest, pk: int) -> HttpResponse:
    booking = _own(request, pk)
    try:
        services.booking_cancel(actor=request.user, person=_person(request), booking=booking)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("appointments:mine")


@citizen_required
def reschedule(request: SignedInRequest, pk: int) -> HttpResponse:
    booking = _own(request, pk)
    options = [
        s
        for s in selectors.sessions_open(kind=booking.kind, subject=booking.subject)[:50]
        if s.pk != booking.session_id
    ]
    form = RescheduleForm(
        request.POST or None, sessions=[(s.pk, session_label(s)) for s in options]
    )
    if request.method == "POST" and form.is_valid():
        target = Session.objects.get(pk=form.cleaned_data["session"])
        try:
            services.booking_reschedule(
                actor=request.user, person=_person(request), booking=booking, session=target
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The booking is moved."))
            return redirect("appointments:mine")
    context = {"form": form, "booking": booking, "actions": selectors.booking_actions(booking)}
    return render(
        request, "appointments/reschedule.html", context, status=422 if form.errors else 200
    )


@require_GET
def exam_results(request: HttpRequest) -> HttpResponse:
    """Public: exam results of a day, names and ID numbers masked (R162 Art 52)."""
    form = ResultsDayForm(request.GET if "day" in request.GET else {"day": clock.today()})
    day: date | None = form.cleaned_data["day"] if form.is_valid() else None
    rows = selectors.exam_results(day) if day else []
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "appointments/exam_results.html",
        {"form": form, "day": day, "page": page, "query": f"day={day:%Y-%m-%d}" if day else ""},
    )
