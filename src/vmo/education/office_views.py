"""The editors' pages under /office/learning/: courses written in the app and regional warnings,
each reviewed by an editor who did not work on it (vmo.core.review), and the attempt log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_can, officer_required
from vmo.core.review import review_context

from .choices import ContentStatus
from .forms import CourseForm, LessonForm, RegionalWarningForm
from .models import Course, RegionalWarning, StudyAttempt
from .services import library, regional


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
