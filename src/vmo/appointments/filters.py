"""The filter of the open sessions list, one FilterSet read by the citizens' page
(views.sessions) and by the API (vmo.api.appointments), so the two never drift."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vmo.core.forms import NamesSelect

from .choices import AppointmentKind
from .forms import DATE, SUBJECTS
from .models import Session, Site


class SessionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=AppointmentKind.choices,
        empty_label=pgettext_lazy("filter: any value", "All"),
    )
    site = django_filters.ModelChoiceFilter(
        label=_("Site"),
        queryset=Site.objects.filter(active=True),
        empty_label=pgettext_lazy("filter: any value", "All"),
        widget=NamesSelect,
    )
    day = django_filters.DateFilter(label=_("Day"), widget=DATE)
    subject = django_filters.ChoiceFilter(
        label=_("Exam subject"),
        choices=SUBJECTS,
        empty_label=pgettext_lazy("filter: any value", "All"),
    )

    class Meta:
        model = Session
        fields: list[str] = []
