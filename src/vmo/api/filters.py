"""A list endpoint backed by the same FilterSet as its page (NetBox's pattern, with ninja):
the query parameters of the schema are derived from the FilterSet, and `request.GET` is
validated by the FilterSet itself, so a filter the page refuses is refused here with the same
message, in the API's error shape (422 {"errors": [...]})."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import create_model

from vmo.core.filters import filterset_problems


def _parameter(filter_: django_filters.Filter) -> tuple[Any, Any]:
    """The schema entry of one filter: its type and description for the OpenAPI schema. The
    values are checked by the FilterSet, not by pydantic, so the messages are the page's."""
    field = filter_.field
    extra: dict[str, Any] = {}
    if isinstance(field, forms.ModelChoiceField):
        # The rows change; the schema names the type, the FilterSet checks the id exists.
        extra["format"] = "id"
    elif isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        extra["enum"] = [value for value, _label in choices if value != ""]
    if isinstance(field, forms.CharField) and field.max_length:
        extra["maxLength"] = field.max_length
    if isinstance(field, forms.IntegerField):
        for key, bound in (("minimum", field.min_value), ("maximum", field.max_value)):
            if bound is not None:
                extra[key] = bound
    return (
        str | None,
        Field(None, description=str(filter_.label or ""), json_schema_extra=extra or None),
    )


def filterset_schema(
    filterset_class: type[django_filters.FilterSet],
    *,
    name: str,
    extra: dict[str, tuple[Any, Any]] | None = None,
) -> type[Schema]:
    """The ninja query schema of a FilterSet's filters (plus parameters of the endpoint's own,
    such as `archive`)."""
    fields = {key: _parameter(f) for key, f in filterset_class.base_filters.items()}
    fields.update(extra or {})
    return create_model(name, __base__=Schema, **fields)  # type: ignore[call-overload]


def filtered(
    filterset_class: type[django_filters.FilterSet], request: HttpRequest, queryset: QuerySet[Any]
) -> QuerySet[Any]:
    """The rows the FilterSet keeps; every refused filter raised at once (422)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    problems = filterset_problems(filterset)
    if problems is not None:
        raise problems
    return filterset.qs
