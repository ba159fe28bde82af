"""The officers' application pages: the queues, one application with its actions, the
documents, and the supervisor's time-limit compliance. Each action calls one service, whose
guard (permissions.py) also decides which buttons the page shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.permissions import officer_can, officer_required, verified_officer_required
from vmo.core.forms import errors_to_form
from vmo.core.services import data_access_record

from . import services, workbench
from .checks import all_problems, item_versions
from .choices import CHECKABLE, DeliveryMethod
from .models import Application, Delivery
from .office_forms import (
    ComplianceForm,
    CorrectionForm,
    CounterForm,
    DeliveryForm,
    QueueFilterForm,
    RefusalForm,
)
from .permissions import Action, actor_of, allowed_actions, refusal, unpaid

PAGE_SIZE = 25
# Registered in vmo.core.models.ACCESS_SCREENS, so the person reads it in words.
SCREEN = "office.application"
SCREEN_UNMASKED = "office.application.full"


# ----- the queues -----------------------------------------------------------------------------


@verified_officer_required
def index(request: HttpRequest) -> HttpResponse:
    queues = workbench.queues_for(request.user)
    if not queues:
        raise PermissionDenied
    first = "review" if officer_can(request.user, "application.decide") else queues[0].code
    if not officer_can(request.user, "application.check"):
        first = queues[0].code
    return redirect("applications_office:queue", code=first)


@verified_officer_required
def queue(request: HttpRequest, code: str) -> HttpResponse:
    current = workbench.QUEUES.get(code)
    if current is None:
        raise Http404
    if not officer_can(request.user, current.capability):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        filters = form.query()
    rows = workbench.queue_applications(code, user=request.user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    states = workbench.deadlines(a.due_on for a in page)
    counts = workbench.queue_counts(request.user)
    context = {
        "queue": current,
        "tabs": [(q, counts.get(q.code, 0)) for q in workbench.queues_for(request.user)],
        "form": form,
        "page": page,
        "rows": [(a, states.get(a.due_on) if a.due_on else None) for a in page],
        "query": urlencode(filters),
        "may_supervise": officer_can(request.user, "workbench.supervise"),
    }
    return render(request, "applications/office/queue.html", context)


# ----- one application ------------------------------------------------------------------------


def _application(reference: str) -> Application:
    try:
        return workbench.application_for_officer(reference)
    except Application.DoesNotExist:
        raise Http404 from None


def _log_view(request: HttpRequest, application: Application, *, unmasked: bool) -> None:
    if application.person_id is None:
        return
    # Data, not words: the screen's code (in full or masked) and the application's reference;
    # the person reads the screen in their own language (core.models.ACCESS_SCREENS).
    data_access_record(
        officer=request.user,
        person_id=application.person_id,
        screen=SCREEN_UNMASKED if unmasked else SCREEN,
        purpose=application.reference,
    )


def _render_detail(
    request: HttpRequest, application: Application, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    unmasked = request.GET.get("show") == "personal"
    _log_view(request, application, unmasked=unmasked)
    problems = all_problems(application)
    versions = item_versions(application)
    asked = workbench.asked_before(application)
    actions = allowed_actions(user, application)
    held_by_other = application.claimed_by_id not in (None, user.pk)
    delivery = Delivery.objects.filter(application=application).first()
    # The template reads can.<action>; the one rule is permissions.allowed_actions.
    can = {action.value: True for action in actions}
    if Action.CORRECT in actions and "correction_form" not in forms:
        forms["correction_form"] = CorrectionForm(
            application=application, problems=problems, versions=versions, asked=asked
        )
    if Action.REFUSE in actions and "refusal_form" not in forms:
        forms["refusal_form"] = RefusalForm(application=application)
    if Action.COUNTER in actions and "counter_form" not in forms:
        forms["counter_form"] = CounterForm()
    if Action.DELIVER in actions and delivery is not None and "delivery_form" not in forms:
        forms["delivery_form"] = DeliveryForm(method=delivery.method)
    corrections: dict[int, list[Any]] = {}
    for item in application.corrections.select_related("raised_by"):
        corrections.setdefault(item.round, []).append(item)
    deadline = workbench.deadlines([application.due_on]).get(application.due_on)  # type: ignore[arg-type]
    context = {
        "application": application,
        "business": application.business,
        "deadline": deadline,
        "records": workbench.records_for(application),
        "materials": workbench.materials_for(application, problems),
        "checks": workbench.check_rows(application, problems),
        "problem_count": len(problems),
        "answers": workbench.form_answers(application, delivery, unmasked=unmasked),
        "unmasked": unmasked,
        "delivery": delivery,
        "history": workbench.history(application),
        "corrections": sorted(corrections.items()),
        "refusal_reasons": list(application.refusal_reasons.all()),
        "documents": list(application.documents.all()),
        "can": can,
        "held_by_other": held_by_other,
        "waiting_payment": unpaid(application) and application.status in CHECKABLE,
        "is_mail": delivery is not None and delivery.method == DeliveryMethod.MAIL,
        **forms,
    }
    return render(request, "applications/office/detail.html", context, status=status)


@officer_required("application.check")
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_detail(request, _application(reference))


def _back(application: Application) -> HttpResponse:
    return redirect("applications_office:detail", reference=application.reference)


def _simple_action(
    request: HttpRequest,
    reference: str,
    call: Callable[..., Any],
    done: str,
) -> HttpResponse:
    application = _application(reference)
    try:
        call(actor=actor_of(request), application=application)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"reference": application.reference})
    return _back(application)


@require_POST
@officer_required("application.check")
def claim(request: HttpRequest, reference: str) -> HttpResponse:
    return _simple_action(
        request, reference, services.application_claim, _("You are now working on %(reference)s.")
    )


@require_POST
@officer_required("application.check")
def release(request: HttpRequest, reference: str) -> HttpResponse:
    return _simple_action(
        request, reference, services.application_release, _("%(reference)s was released.")
    )


@require_POST
@officer_required("application.check")
def pass_check(request: HttpRequest, reference: str) -> HttpResponse:
    return _simple_action(
        request,
        reference,
        services.application_pass_check,
        _("%(reference)s passed the check and goes to a reviewer."),
    )


@require_POST
@officer_required("application.decide")
def approve(request: HttpRequest, reference: str) -> HttpResponse:
    """A decision is confirmed before it is made (GOV.UK): the workbench's button shows what is
    being approved; only the confirmation's own button (confirm=yes) approves."""
    if request.POST.get("confirm") != "yes":
        application = _application(reference)
        refused = refusal(request.user, application, Action.APPROVE)
        if refused is not None and not isinstance(refused, ValidationError):
            raise refused
        if refused is not None:
            for message in refused.messages:
                messages.error(request, message)
            return _back(application)
        return render(
            request, "applications/office/approve_confirm.html", {"application": application}
        )
    return _simple_action(
        request, reference, services.application_approve, _("%(reference)s was approved.")
    )


@require_POST
@officer_required("application.decide")
def complete(request: HttpRequest, reference: str) -> HttpResponse:
    return _simple_action(
        request,
        reference,
        services.application_complete,
        _("%(reference)s is completed and the records are updated."),
    )


def _form_action(
    request: HttpRequest,
    application: Application,
    form: Any,
    form_name: str,
    call: Callable[[], Any],
    done: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            call()
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, done % {"reference": application.reference})
            return _back(application)
    return _render_detail(request, application, status=422, **{form_name: form})


@require_POST
@officer_required("application.check")
def request_correction(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(reference)
    form = CorrectionForm(
        request.POST,
        application=application,
        problems=all_problems(application),
        versions=item_versions(application),
        asked=workbench.asked_before(application),
    )
    return _form_action(
        request,
        application,
        form,
        "correction_form",
        lambda: services.application_request_correction(
            actor=actor_of(request), application=application, items=form.items()
        ),
        _("The applicant was asked for every correction in one notice (%(reference)s)."),
    )


@require_POST
@officer_required("application.decide")
def refuse(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(reference)
    form = RefusalForm(request.POST, application=application)
    return _form_action(
        request,
        application,
        form,
        "refusal_form",
        lambda: services.application_refuse(
            actor=actor_of(request), application=application, reasons=form.reasons()
        ),
        _("%(reference)s was refused; the written notice was issued."),
    )


@require_POST
@officer_required("application.check")
def to_counter(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(reference)
    form = CounterForm(request.POST)
    return _form_action(
        request,
        application,
        form,
        "counter_form",
        lambda: services.application_to_counter(
            actor=actor_of(request), application=application, reason=form.cleaned_data["reason"]
        ),
        _("%(reference)s is now handled at the counter; the applicant was told."),
    )


@require_POST
@officer_required("application.check")
def delivery_update(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(reference)
    delivery = Delivery.objects.filter(application=application).first()
    if delivery is None:
        raise Http404
    form = DeliveryForm(request.POST, method=delivery.method)
    return _form_action(
        request,
        application,
        form,
        "delivery_form",
        lambda: services.delivery_update(
            actor=actor_of(request),
            application=application,
            status=form.cleaned_data["status"],
            tracking_number=form.cleaned_data.get("tracking_number", ""),
        ),
        _("The delivery of %(reference)s was updated."),
    )


# ----- the supervisor -------------------------------------------------------------------------


@officer_required("workbench.supervise")
def compliance(request: HttpRequest) -> HttpResponse:
    form = ComplianceForm(request.GET)
    result = None
    if form.is_valid():
        result = workbench.compliance(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    return render(
        request,
        "applications/office/compliance.html",
        {"form": form, "result": result, "queues_url": reverse("applications_office:index")},
    )
