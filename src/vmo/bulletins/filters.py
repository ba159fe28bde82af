"""The filters of the public lists of announcements and publications, one FilterSet per list,
read by the page (views.py) and by the API (vmo.api.bulletins). What the public may see at all
is the selectors' concern; these only narrow it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vmo.core.filters import IntegerFilter, search

from .choices import AnnouncementKind, PublicationKind
from .models import Announcement, Publication

SEARCH_MAX = 100  # characters of a search term


class AnnouncementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), max_length=SEARCH_MAX, method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=AnnouncementKind.choices, empty_label=_("All kinds")
    )
    year = IntegerFilter(label=_("Year"), min_value=2000, max_value=2100)

    class Meta:
        model = Announcement
        fields: list[str] = []

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search(queryset, ("title", "body"), value)


class PublicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), max_length=SEARCH_MAX, method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PublicationKind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Publication
        fields: list[str] = []

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search(queryset, ("title", "period"), value)
