from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vmo.core.forms import NamesSelect

from .choices import RESULTS, Subject
from .models import Site

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SUBJECTS: list[tuple[str, Any]] = [(s.value, s.label) for s in Subject if s.value]
ALL: list[tuple[str, Any]] = [("", pgettext_lazy("filter: any value", "All"))]


class BookForm(forms.Form):
    vehicle = forms.TypedChoiceField(
        label=_("Vehicle"),
        coerce=int,
        widget=NamesSelect,
        error_messages={"invalid_choice": _("This vehicle is not registered in your name.")},
    )

    def __init__(
        self, *args: Any, vehicles: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if vehicles is None:
            del self.fields["vehicle"]
        else:
            self.fields["vehicle"].choices = vehicles  # type: ignore[attr-defined]


class RescheduleForm(forms.Form):
    session = forms.TypedChoiceField(
        label=_("New session"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the sessions listed.")},
    )

    def __init__(self, *args: Any, sessions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = sessions  # type: ignore[attr-defined]


class ResultsDayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)


# --- Officers -------------------------------------------------------------------------------


class OfficeSessionsForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"),
        required=False,
        queryset=Site.objects.all(),
        empty_label=pgettext_lazy("filter: any value", "All"),
        widget=NamesSelect,
    )
    day = forms.DateField(label=_("Day"), required=False, widget=DATE)


class SessionCreateForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.filter(active=True), widget=NamesSelect
    )
    subject = forms.ChoiceField(
        label=_("Exam subject"),
        required=False,
        choices=[("", _("None (inspection)")), *SUBJECTS],
        help_text=_("Exam sites only."),
    )
    day = forms.DateField(label=_("Day"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[(r.value, r.label) for r in RESULTS], widget=forms.RadioSelect
    )
    score = forms.IntegerField(
        label=_("Score"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Exams only: the better of the exam and its retake."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
