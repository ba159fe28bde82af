"""The applicant's pages. Thin: parse, call one selector or service, render. Anyone else's
application is a 404 (selectors.application_of); every change goes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vmo.accounts.permissions import citizen_required
from vmo.catalog.spec import Subject
from vmo.core.forms import errors_to_form
from vmo.payments import services as payments
from vmo.payments.devices import payer_of
from vmo.registry.selectors import plate_label

from . import selectors, services
from .checks import Incomplete
from .choices import EDITABLE
from .forms import ApplicationForm, MaterialForm, StartForm, new_key
from .models import Application
from .permissions import actor_of

PAGE_SIZE = 20


def _mine(request: HttpRequest, reference: str) -> Application:
    try:
        return selectors.application_of(request.user, reference)
    except Application.DoesNotExist:
        raise Http404 from None


def _say(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _back(application: Application) -> HttpResponse:
    return redirect("applications:detail", reference=application.reference)


@citizen_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(a, selectors.next_step(a), plate_label(a.vehicle)) for a in page.object_list]
    return render(request, "applications/index.html", {"page": page, "rows": rows})


@citizen_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    business = selectors.startable(code)
    if business is None:
        raise Http404
    person = request.user.person  # type: ignore[union-attr]
    vehicles = selectors.vehicles_of(person) if business.subject == Subject.VEHICLE else None
    # From a reserved number (V02): the form starts with the VIN and model of the reservation
    # named in the link, or of the only one the applicant holds.
    reservation, reservations = (
        selectors.reservation_to_start(request.user, request.GET.get("reservation", ""))
        if business.subject == Subject.NEW_VEHICLE
        else (None, [])
    )
    initial_answers = (
        {"vin": reservation.vin, "model_name": reservation.model_name} if reservation else {}
    )
    form = StartForm(
        request.POST or None, vehicles=vehicles, initial={"idempotency_key": new_key()}
    )
    # A licence has one record: an open application for it is shown before anything is typed.
    open_application = (
        selectors.open_application(
            business.code, licence=getattr(person, "licence", None), vehicle=None
        )
        if business.subject == Subject.LICENCE
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                actor=actor_of(request),
                business_code=business.code,
                idempotency_key=form.cleaned_data["idempotency_key"],
                vehicle_id=form.cleaned_data.get("vehicle"),
                initial=initial_answers,
            )
        except ValidationError as exc:
            errors_to_form(form, exc, rename={"licence": "__all__", "open_application": "__all__"})
            open_application = selectors.open_application(
                business.code,
                licence=getattr(person, "licence", None)
                if business.subject == Subject.LICENCE
                else None,
                vehicle=selectors.vehicle_of(person, form.cleaned_data.get("vehicle")),
            )
        else:
            return _back(application)
    options: list[Any] = []
    checks: list[tuple[Any, list[selectors.ConditionResult]]]
    if vehicles is not None:
        checks = [(v, selectors.eligibility(business, person, v)) for v in vehicles]
        options = list(zip(form["vehicle"], checks, strict=True)) if vehicles else []
    else:
        checks = [(None, selectors.eligibility(business, person))]
    return render(
        request,
        "applications/start.html",
        {
            "business": business,
            "form": form,
            "checks": checks,
            "options": options,
            "vehicles": vehicles,
            "reservation": reservation,
            "reservations": reservations,
            "open_application": open_application,
        },
    )


def _detail_page(
    request: HttpRequest,
    application: Application,
    *,
    form: ApplicationForm | None = None,
    bound: MaterialForm | None = None,
) -> HttpResponse:
    page = selectors.page_for(application, user=request.user)
    if form is None:
        initial = {**application.data, **selectors.delivery_initial(page.delivery)}
        form = ApplicationForm(business=page.business, initial=initial)
    uploads = [
        bound
        if bound is not None and bound.material.code == row.material.code
        else MaterialForm(material=row.material)
        for row in page.materials
    ]
    return render(
        request,
        "applications/detail.html",
        {
            "page": page,
            "application": application,
            "form": form,
            "materials": list(zip(page.materials, uploads, strict=True)),
            "upload_errors": bound.material.code if bound is not None and bound.errors else "",
        },
    )


@citizen_required
@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail_page(request, _mine(request, reference))


@citizen_required
@require_POST
def update(request: HttpRequest, reference: str) -> HttpResponse:
    application = _mine(request, reference)
    form = ApplicationForm(request.POST, business=application.business)
    if form.is_valid():
        try:
            services.application_update(
                actor=actor_of(request),
                application=application,
                data=form.answers(),
                delivery=form.delivery(),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # the wrong state: nothing to show beside a field
                _say(request, exc)
                return _back(application)
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your answers are saved."))
            return _back(application)
    return _detail_page(request, application, form=form)


@citizen_required
@require_POST
def upload(request: HttpRequest, reference: str, material: str) -> HttpResponse:
    application = _mine(request, reference)
    spec = next((m for m in application.business.materials if m.code == material), None)
    if spec is None:
        raise Http404
    form = MaterialForm(request.POST, request.FILES, material=spec)
    if form.is_valid():
        try:
            services.material_upload(
                actor=actor_of(request),
                application=application,
                material_code=spec.code,
                upload=form.cleaned_data["file"],
                issued_on=form.cleaned_data.get("issued_on"),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                _say(request, exc)
                return _back(application)
            errors_to_form(form, exc)
        else:
            messages.success(request, _("%(material)s is uploaded.") % {"material": spec.name})
            return _back(application)
    return _detail_page(request, application, bound=form)


def _answers_page(
    request: HttpRequest, application: Application, *, problems: Any = None
) -> HttpResponse:
    answers = selectors.answers_for(application, user=request.user, problems=problems)
    return render(
        request,
        "applications/check.html",
        {"answers": answers, "application": application, "refused": problems is not None},
    )


@citizen_required
@require_GET
def check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check your answers: everything given, with Change links, and every problem at once."""
    return _answers_page(request, _mine(request, reference))


@citizen_required
@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    application = _mine(request, reference)
    try:
        application = services.application_submit(actor=actor_of(request), application=application)
    except Incomplete as exc:  # nothing changed: the check-your-answers page lists every item
        return _answers_page(request, application, problems=exc.problems)
    except ValidationError as exc:
        if application.status in EDITABLE:
            _say(request, exc)
        else:  # a second press of the button: the first one counted
            messages.info(
                request,
                _("There is nothing to submit: the application is %(status)s.")
                % {"status": application.get_status_display()},
            )
        return _back(application)
    messages.success(request, _("Your application is received."))
    return _back(application)


@citizen_required
@require_POST
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    application = _mine(request, reference)
    try:
        services.application_withdraw(actor=actor_of(request), application=application)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The application is withdrawn."))
    return _back(application)


@citizen_required
@require_POST
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    """The fee's order, then the payment page; the payer comes back to this application."""
    application = _mine(request, reference)
    try:
        order = services.fee_order(
            actor=actor_of(request),
            application=application,
            return_to=reverse("applications:detail", args=[application.reference]),
        )
        if order.is_settled:
            messages.info(request, _("The fee is already paid."))
            return _back(application)
        url = payments.order_start(
            order=order,
            return_url=request.build_absolute_uri(
                reverse("payments:order_return", args=[order.reference])
            ),
            payer=payer_of(request),
        )
    except ValidationError as exc:
        _say(request, exc)
        return _back(application)
    return HttpResponseRedirect(url)


# ----- files: the applicant, or an officer who checks applications ---------------------------


def file_response(stored: Any, *, content_type: str, filename: str) -> FileResponse:
    """A stored file as a download: PDFs as attachments, nothing sniffed, nothing cached."""
    response = FileResponse(
        stored.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # An uploaded file is never a page of this site: no scripts, no forms, no frames.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "accounts:login")
    return None


@require_GET
def material_file(request: HttpRequest, reference: str, file_id: int) -> HttpResponseBase:
    if (login := _signed_in(request)) is not None:
        return login
    try:
        stored = selectors.file_for(request.user, reference, file_id)
    except Application.DoesNotExist:
        raise Http404 from None
    return file_response(
        stored.file,
        content_type=stored.content_type,
        filename=f"{reference}-{stored.material}-v{stored.version}{stored.extension}",
    )


@require_GET
def document(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    if (login := _signed_in(request)) is not None:
        return login
    try:
        found = selectors.document_for(request.user, reference, document_id)
    except Application.DoesNotExist:
        raise Http404 from None
    return file_response(
        found.file,
        content_type="application/pdf",
        filename=f"{reference}-{found.kind}-{found.pk}.pdf",
    )
