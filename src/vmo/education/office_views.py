"""The officers' pages under /office/learning/: courses written in the app and regional warnings,
each reviewed by an editor who did not work on it (vmo.core.review), and the attempt log; the
full-score study at the site (R163 Art 19: the on-site days an officer records) and the
findings of falsified study (R163 Arts 26(5), 31). Each write is one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_can, officer_required
from vmo.core.forms import errors_to_form
from vmo.core.review import review_context
from vmo.core.services import data_access_record

from . import selectors
from .choices import ContentStatus
from .forms import (
    CheatingForm,
    CourseForm,
    FullScoreCheatingForm,
    LessonForm,
    OnsiteDayForm,
    RegionalWarningForm,
)
from .models import Course, RegionalWarning, StudyAttempt
from .services import cheating, library, onsite, regional


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@officer_required("content.edit")
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "education/office/home.html",
        {
            "courses": Course.objects.select_related("author", "reviewed_by")[:200],
            "warnings": RegionalWarning.objects.select_related("author")[:50],
            "attempts": StudyAttempt.objects.select_related("person")[:50],
            "may_review": officer_can(request.user, "content.review"),
        },
    )


@officer_required("content.edit")
def course_new(request: SignedInRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = library.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("education_office:course", pk=course.pk)
    return render(request, "education/office/form.html", {"form": form, "title": _("New course")})


@officer_required("content.edit")
def course_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk)
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            library.lesson_add(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Lesson added."))
            return redirect("education_office:course", pk=pk)
    return render(
        request,
        "education/office/course.html",
        {
            "course": course,
            "lessons": course.lessons.all(),
            "form": form,
            **review_context(
                user=request.user,
                item=course,
                in_review=course.status == ContentStatus.IN_REVIEW,
                can_review=officer_can(request.user, "content.review"),
            ),
        },
    )


@officer_required("content.edit")
@require_POST
def course_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    try:
        library.course_submit(course=get_object_or_404(Course, pk=pk), actor=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("education_office:course", pk=pk)


@officer_required("content.review")
@require_POST
def course_publish(request: SignedInRequest, pk: int) -> HttpResponse:
    try:
        library.course_publish(course=get_object_or_404(Course, pk=pk), actor=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Published."))
    return redirect("education_office:course", pk=pk)


@officer_required("content.edit")
def warning_new(request: SignedInRequest) -> HttpResponse:
    form = RegionalWarningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            regional.regional_warning_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Saved as a draft."))
            return redirect("education_office:home")
    return render(
        request, "education/office/form.html", {"form": form, "title": _("New regional warning")}
    )


@officer_required("content.edit")
@require_POST
def warning_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    try:
        regional.regional_warning_submit(
            warning=get_object_or_404(RegionalWarning, pk=pk), actor=request.user
        )
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("education_office:home")


@officer_required("content.review")
@require_POST
def warning_publish(request: SignedInRequest, pk: int) -> HttpResponse:
    from .tasks import regional_warning_send

    try:
        regional.regional_warning_publish(
            warning=get_object_or_404(RegionalWarning, pk=pk), actor=request.user
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        transaction.on_commit(lambda: regional_warning_send.delay(pk))
        messages.success(request, _("Published; sending to the regions."))
    return redirect("education_office:home")


# --- Full-score study at the site -------------------------------------------------------------

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
    study = _open_study(person_id)[1]
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
