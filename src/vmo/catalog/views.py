"""The public guide to every business (R164 Art 3, R162 Art 3: published for everyone), the
regulations people can consult and the forms to download. No sign-in anywhere here."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from vmo.core.pagecache import cached_public_page

from . import guide, selectors
from .businesses import Business
from .forms import SearchForm
from .forms_pdf import model_form_pdf

REGULATIONS_PAGE = 20


def _business_or_404(code: str) -> Business:
    try:
        return selectors.business(code)
    except selectors.UnknownBusiness:
        raise Http404 from None


@require_GET
@cached_public_page()
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    groups = selectors.businesses_by_category(query)
    context = {
        "form": form,
        "query": query,
        "groups": groups,
        "found": sum(len(items) for _category, items in groups),
    }
    return render(request, "catalog/index.html", context)


@require_GET
@cached_public_page(params=())
def detail(request: HttpRequest, code: str) -> HttpResponse:
    business = _business_or_404(code)
    if code != business.code:
        # One address per guide page: /guide/v01/ moves to /guide/V01/.
        return redirect("catalog:detail", code=business.code, permanent=True)
    context = {
        "business": business,
        "apply_url": guide.apply_url(business),
        "procedure": guide.procedure(business),
        "materials": [(m, guide.material_rules(m)) for m in business.materials],
        "fields": [guide.field_view(f) for f in business.fields],
        # The model form is the Chinese document: its name is marked as Chinese on English pages.
        "form_term": format_html('<span lang="zh-Hans">{}</span>', business.term_zh),
    }
    return render(request, "catalog/detail.html", context)


@require_GET
def form_pdf(request: HttpRequest, code: str) -> HttpResponse:
    business = _business_or_404(code)
    if code != business.code:
        return redirect("catalog:form_pdf", code=business.code, permanent=True)
    response = HttpResponse(model_form_pdf(business), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{business.code}-model-form.pdf"'
    # The sample carries the date it was printed: fresh each day, shared by every reader.
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
@cached_public_page()
def regulations(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.regulations_published(), REGULATIONS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/regulations.html", {"page": page})


@require_GET
@cached_public_page(params=())
def downloads(request: HttpRequest) -> HttpResponse:
    context = {
        "groups": selectors.businesses_by_category(),
        # Every published summary on one list: the office publishes a handful, not hundreds.
        "regulations": selectors.regulations_published()[:100],
    }
    return render(request, "catalog/downloads.html", context)
