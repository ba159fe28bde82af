"""What every list's FilterSet shares (django-filter, NetBox's pattern): one filter definition
per list, read by its page and by its API endpoint, so the two never drift. The page renders
`filterset.form`; the API validates `request.GET` with the same FilterSet (vmo.api.filters)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter takes decimals)."""

    field_class = forms.IntegerField


def search(queryset: QuerySet[Any], fields: tuple[str, ...], value: str) -> QuerySet[Any]:
    """Rows with the words in any of the fields (case-insensitive)."""
    value = value.strip()
    if not value:
        return queryset
    where = Q()
    for name in fields:
        where |= Q(**{f"{name}__icontains": value})
    return queryset.filter(where)


def filterset_rows(filterset: django_filters.FilterSet) -> QuerySet[Any]:
    """For a page: the filtered rows, or the whole list with the refused filters named beside
    their fields (a person reads the message and corrects it; the API answers 422 instead)."""
    if not filterset.is_valid():
        return filterset.queryset
    return filterset.qs


def filterset_problems(filterset: django_filters.FilterSet) -> ValidationError | None:
    """Every refused filter by field, as services refuse (None when all are fine)."""
    if filterset.is_valid():
        return None
    return ValidationError(filterset.form.errors.as_data())


def filterset_query(filterset: django_filters.FilterSet) -> str:
    """The accepted filters as a query string, for the page links of a list."""
    if not filterset.is_valid():
        return ""
    data = filterset.form.cleaned_data
    return urlencode({k: v for k, v in data.items() if v not in (None, "")})
