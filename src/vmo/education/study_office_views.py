"""The officers' full-score study pages under /office/learning/full-score/: the open studies,
one person's studies with the on-site days recorded at the site (R163 Art 19), and the
findings of falsified study (R163 Arts 26(5), 31). Every view checks its capability; each
write is one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_can, officer_required
from vmo.core.forms import errors_to_form
from vmo.core.services import data_access_record

from . import selectors
from .forms import CheatingForm, FullScoreCheatingForm, OnsiteDayForm
from .services import cheating, onsite

PAGE_SIZE = 50
SCREEN = "education.full_score"


@officer_required("education.onsite")
def full_score_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.open_full_score_studies(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "education/office/full_score_list.html", {"page": page})


def _person_page(
    request: HttpRequest, person_id: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    try:
        record = selectors.person_study(person_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    # The page shows a person's records: logged like every such page, its purpose the study.
    data_access_record(
        officer=request.user, person_id=record.person.pk, screen=SCREEN, purpose="full-score study"
    )
    open_file = next((f for f in record.studies if f.study.closed_at is None), None)
    may_find = officer_can(request.user, "education.cheating")
    found = {f.enrolment_id for f in record.findings if f.enrolment_id}
    context = {
        "record": record,
        "open_file": open_file,
        "onsite_form": forms.get("onsite_form") or OnsiteDayForm(prefix="day"),
        "may_find": may_find,
        "study_form": (
            forms.get("study_form")
            or FullScoreCheatingForm(prefix="fs", days=open_file.onsite if open_file else ())
        )
        if may_find and open_file
        else None,
        "reduction_rows": [
            (
                enrolment,
                (forms.get("reduction_form") if forms.get("failed") == enrolment.pk else None)
                or CheatingForm(prefix=f"e{enrolment.pk}"),
            )
            if may_find and enrolment.pk not in found
            else (enrolment, None)
            for enrolment in record.reduction_studies
        ],
        "failed_form": next(iter(v for k, v in forms.items() if k.endswith("_form")), None),
    }
    return render(request, "education/office/full_score_person.html", context, status=status)


@officer_required("education.onsite")
def person_study(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id)


def _open_study(person_id: int) -> Any:
    try:
        record = selectors.person_study(person_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    study = next((f.study for f in record.studies if f.study.closed_at is None), None)
    if study is None:
        raise Http404
    return record, study


@require_POST
@officer_required("education.onsite")
def onsite_record(request: SignedInRequest, person_id: int) -> HttpResponse:
    _, study = _open_study(person_id)
    form = OnsiteDayForm(request.POST, prefix="day")
    if form.is_valid():
        try:
            onsite.onsite_day_record(study=study, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The on-site day was recorded."))
            return redirect("education_office:full_score_person", person_id=person_id)
    return _person_page(request, person_id, status=422, onsite_form=form)


@require_POST
@officer_required("education.cheating")
def full_score_finding(request: SignedInRequest, person_id: int) -> HttpResponse:
    record, study = _open_study(person_id)
    days = next(f.onsite for f in record.studies if f.study.pk == study.pk)
    form = FullScoreCheatingForm(request.POST, prefix="fs", days=days)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cheating.full_score_cheating_record(
                study=study,
                actor=request.user,
                kind=data["kind"],
                reason=data["reason"],
                onsite_days=[d for d in days if d.pk in data["onsite_days"]],
                online=data["online"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The finding was recorded and the person told."))
            return redirect("education_office:full_score_person", person_id=person_id)
    return _person_page(request, person_id, status=422, study_form=form)


@require_POST
@officer_required("education.cheating")
def reduction_finding(request: SignedInRequest, person_id: int, enrolment_id: int) -> HttpResponse:
    try:
        record = selectors.person_study(person_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    enrolment = next((e for e in record.reduction_studies if e.pk == enrolment_id), None)
    if enrolment is None:
        raise Http404
    form = CheatingForm(request.POST, prefix=f"e{enrolment_id}")
    if form.is_valid():
        try:
            cheating.reduction_cheating_record(
                enrolment=enrolment, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The finding was recorded and the person told."))
            return redirect("education_office:full_score_person", person_id=person_id)
    return _person_page(request, person_id, status=422, reduction_form=form, failed=enrolment_id)
