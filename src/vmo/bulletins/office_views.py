"""The editors' pages under /office/bulletins/. Every view checks the capability on the server;
the services refuse what the rules forbid (reviewing one's own work, times in the past)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_can, officer_required
from vmo.core.forms import errors_to_form
from vmo.core.review import review_context

from . import selectors, services
from .choices import AnnouncementState
from .forms import AnnouncementForm, ApproveForm, ReasonForm, ScheduleForm, UploadForm
from .models import Announcement, Publication
from .uploads import MAX_BYTES, expected_header

PAGE_SIZE = 30
S = AnnouncementState


# Editors and reviewers: either capability opens the pages; each action checks its own.
content_officer = officer_required("content.edit", "content.review")


def _announcement(pk: int) -> Announcement:
    try:
        return Announcement.objects.select_related("created_by", "reviewed_by").get(pk=pk)
    except Announcement.DoesNotExist:
        raise Http404 from None


@content_officer
def index(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", S.DRAFT)
    if state not in S.values:
        state = S.DRAFT
    rows = selectors.announcements_for_office(state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.announcement_counts()
    tabs = [(s.value, s.label, counts.get(s.value, 0)) for s in S]
    context = {"page": page, "state": state, "tabs": tabs, "query": urlencode({"state": state})}
    return render(request, "bulletins/office/index.html", context)


@officer_required("content.edit")
def create(request: SignedInRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = services.announcement_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                publish_at=data["publish_at"],
                expire_at=data["expire_at"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("bulletins_office:detail", pk=announcement.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "bulletins/office/form.html", {"form": form}, status=status)


@officer_required("content.edit")
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    announcement = _announcement(pk)
    if announcement.state != S.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("bulletins_office:detail", pk=pk)
    initial = {
        "title": announcement.title,
        "body": announcement.body,
        "publish_at": announcement.publish_at,
        "expire_at": announcement.expire_at,
    }
    form = AnnouncementForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.announcement_update(
                actor=request.user,
                announcement=announcement,
                title=data["title"],
                body=data["body"],
                publish_at=data["publish_at"],
                expire_at=data["expire_at"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("bulletins_office:detail", pk=pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "bulletins/office/form.html",
        {"form": form, "announcement": announcement},
        status=status,
    )


def _detail(
    request: HttpRequest, announcement: Announcement, *, status: int = 200, **forms_: Any
) -> HttpResponse:
    user = request.user
    may_edit = officer_can(user, "content.edit")
    items = Paginator(selectors.announcement_items(announcement), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "announcement": announcement,
        "columns": selectors.announcement_columns(announcement),
        "items": items,
        "history": selectors.history(announcement),
        "may_edit": may_edit and announcement.state == S.DRAFT,
        "may_submit": may_edit and announcement.state == S.DRAFT,
        **review_context(
            user=user,
            item=announcement,
            in_review=announcement.state == S.IN_REVIEW,
            can_review=officer_can(user, "content.review"),
        ),
        "may_schedule": may_edit and announcement.state in (S.SCHEDULED, S.PUBLISHED),
        "may_withdraw": may_edit and announcement.state != S.WITHDRAWN,
        "approve_form": forms_.get("approve_form") or ApproveForm(),
        "return_form": forms_.get("return_form") or ReasonForm(prefix="return"),
        "schedule_form": forms_.get("schedule_form")
        or ScheduleForm(
            initial={"publish_at": announcement.publish_at, "expire_at": announcement.expire_at}
        ),
        "withdraw_form": forms_.get("withdraw_form") or ReasonForm(prefix="withdraw"),
        "action_errors": forms_.get("action_errors", []),
    }
    return render(request, "bulletins/office/detail.html", context, status=status)


@content_officer
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _announcement(pk))


def _done(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("bulletins_office:detail", pk=pk)


@require_POST
@officer_required("content.edit")
def submit(request: SignedInRequest, pk: int) -> HttpResponse:
    announcement = _announcement(pk)
    try:
        services.announcement_submit(actor=request.user, announcement=announcement)
    except ValidationError as exc:
        return _detail(request, announcement, status=422, action_errors=exc.messages)
    return _done(request, pk, _("Sent for review. Another editor must approve it."))


@require_POST
@officer_required("content.review")
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    announcement = _announcement(pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            done = services.announcement_approve(
                actor=request.user, announcement=announcement, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            return _detail(
                request, announcement, status=422, approve_form=form, action_errors=exc.messages
            )
        if done.state == S.PUBLISHED:
            return _done(request, pk, _("Approved and published."))
        return _done(request, pk, _("Approved; it will be published at its time."))
    return _detail(request, announcement, status=422, approve_form=form)


def _with_reason(
    request: SignedInRequest, pk: int, prefix: str, service: Callable[..., object], done: str
) -> HttpResponse:
    """An action that needs the officer's reason: a refusal stands beside the reason field."""
    announcement = _announcement(pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(
                actor=request.user, announcement=announcement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return _done(request, pk, done)
    return _detail(request, announcement, status=422, **{f"{prefix}_form": form})


@require_POST
@officer_required("content.review")
def return_(request: SignedInRequest, pk: int) -> HttpResponse:
    return _with_reason(
        request,
        pk,
        "return",
        services.announcement_return,
        _("Returned to the author with your reason."),
    )


@require_POST
@officer_required("content.edit")
def schedule(request: SignedInRequest, pk: int) -> HttpResponse:
    announcement = _announcement(pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.announcement_schedule(
                actor=request.user,
                announcement=announcement,
                publish_at=form.cleaned_data["publish_at"],
                expire_at=form.cleaned_data["expire_at"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return _done(request, pk, _("The times were changed."))
    return _detail(request, announcement, status=422, schedule_form=form)


@require_POST
@officer_required("content.edit")
def withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    return _with_reason(
        request,
        pk,
        "withdraw",
        services.announcement_withdraw,
        _("Withdrawn. It stays in the archive."),
    )


@content_officer
def publications(request: HttpRequest) -> HttpResponse:
    rows = selectors.publications_public(archive=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bulletins/office/publications.html", {"page": page})


@officer_required("content.edit")
def publication_upload(request: SignedInRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            publication = services.publication_upload(
                actor=request.user,
                kind=data["kind"],
                data_date=data["data_date"],
                title=data["title"],
                note=data["note"],
                data=data["file"].read(MAX_BYTES + 1),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The table was published."))
            return redirect("bulletins:publication_detail", pk=publication.pk)
    status = 422 if form.is_bound and form.errors else 200
    kinds = [(label, expected_header(kind)) for kind, label in UploadForm.KIND_CHOICES]
    return render(
        request, "bulletins/office/upload.html", {"form": form, "kinds": kinds}, status=status
    )


@require_POST
@officer_required("content.edit")
def publication_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    publication = Publication.objects.filter(pk=pk).first()
    if publication is None:
        raise Http404
    form = ReasonForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.publication_withdraw(
                actor=request.user, publication=publication, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The table was withdrawn. It stays in the archive."))
    else:
        messages.error(request, _("Give the reason for withdrawing it."))
    return redirect("bulletins_office:publications")
