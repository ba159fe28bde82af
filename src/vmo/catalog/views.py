"""The public guide to every business (R164 Art 3, R162 Art 3: published for everyone)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/index.html", {"groups": selectors.businesses_by_category()})


def detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        business = selectors.business(code)
    except selectors.UnknownBusiness:
        raise Http404 from None
    if code != business.code:
        # One address per guide page: /guide/v01/ moves to /guide/V01/.
        return redirect("catalog:detail", code=business.code, permanent=True)
    return render(request, "catalog/detail.html", {"business": business})
