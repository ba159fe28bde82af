"""The officers' page of company agents, under /office/agents/: the office records a company's
authorisation of its agent (the letter judged by the same upload checks as an applicant's
materials), and revokes it. Every view checks the capability on the server; one service each."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from vmo.accounts.permissions import officer_required
from vmo.applications.uploads import UploadRefused, check_upload
from vmo.applications.views import file_response
from vmo.catalog.spec import Material
from vmo.core.services import data_access_record
from vmo.registry import selectors as registry
from vmo.registry import services as registry_services

from . import selectors
from .agent_forms import AuthoriseForm, CompanySearchForm, RevokeForm

CAPABILITY = "agents.authorise"
LETTER_SCREEN = "office.agent_letter"
# The letter is judged as an applicant's material is: an image or a PDF, by its content.
LETTER = Material(
    code="authorisation_letter",
    name=gettext_lazy("Letter of authorisation"),
    description=gettext_lazy("The company's signed and sealed letter naming its agent."),
    example=gettext_lazy("A letter on the company's paper with its seal and the agent's name."),
)


def _page(request: HttpRequest, *, search: CompanySearchForm, **extra: Any) -> HttpResponse:
    company = extra.get("company")
    context: dict[str, Any] = {"search": search, **extra}
    if company is not None:
        context.update(selectors.company_agents(company))
        context.setdefault("form", AuthoriseForm())
    return render(request, "office/agents.html", context)


def _company_url(company: Any) -> str:
    return f"{reverse('office_agents:home')}?{urlencode({'uscc': company.uscc})}"


@officer_required(CAPABILITY)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    search = CompanySearchForm(request.GET if "uscc" in request.GET else None)
    company = None
    if search.is_bound and search.is_valid():
        company = registry.company_by_uscc(search.cleaned_data["uscc"])
        if company is None:
            search.add_error("uscc", _("No company with this code is on record."))
    return _page(request, search=search, company=company)


@officer_required(CAPABILITY)
@require_POST
def authorise(request: HttpRequest, company_id: int) -> HttpResponse:
    try:
        company = registry.company_get(pk=company_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = AuthoriseForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        account = selectors.verified_citizen(data["id_number"])
        if account is None:
            form.add_error(
                "id_number",
                _(
                    "No verified online account has this ID number: the agent signs up and has"
                    " the account verified first."
                ),
            )
        try:
            checked = check_upload(data["letter"], LETTER)
        except UploadRefused as refused:
            for message in refused.messages:
                form.add_error("letter", message)
        if account is not None and account.person is not None:
            # The dates and the agent are judged even when the letter was refused: one answer
            # names every problem.
            problems = registry_services.authorisation_problems(
                company=company,
                person=account.person,
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
            for field, errors in problems.items():
                for message in errors:
                    form.add_error(field, message)
        if account is not None and account.person is not None and not form.errors:
            try:
                registry_services.agent_authorise(
                    actor=request.user,  # type: ignore[arg-type]
                    company=company,
                    person=account.person,
                    letter=checked.content,
                    letter_content_type=checked.content_type,
                    letter_extension=checked.extension,
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("The authorisation is recorded."))
                return redirect(_company_url(company))
    search = CompanySearchForm({"uscc": company.uscc})
    search.is_valid()
    return _page(request, search=search, company=company, form=form)


@officer_required(CAPABILITY)
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        authorisation = registry.authorisation_get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = RevokeForm(request.POST, pk=pk)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the revocation."))
        return redirect(_company_url(authorisation.company))
    try:
        registry_services.agent_revoke(
            actor=request.user,  # type: ignore[arg-type]
            authorisation=authorisation,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The authorisation is revoked: the agent's access has ended."))
    return redirect(_company_url(authorisation.company))


@officer_required(CAPABILITY)
@require_GET
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        authorisation = registry.authorisation_get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    # The letter names the agent: the look is logged for them, as any officer's look is.
    data_access_record(
        officer=request.user,
        person_id=authorisation.person_id,
        screen=LETTER_SCREEN,
        purpose=authorisation.company.uscc,
    )
    extension = ".pdf" if authorisation.letter_content_type == "application/pdf" else ".jpg"
    if authorisation.letter_content_type == "image/png":
        extension = ".png"
    return file_response(  # type: ignore[return-value]  # a FileResponse streams
        authorisation.letter,
        content_type=authorisation.letter_content_type,
        filename=f"authorisation-{authorisation.pk}{extension}",
    )
