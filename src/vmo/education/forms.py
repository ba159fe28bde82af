from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import CheatingKind
from .models import Course, Lesson, RegionalWarning


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "code",
            "title_zh",
            "title_en",
            "summary_zh",
            "summary_en",
            "purpose",
            "pass_mark",
            "quiz_questions",
        ]


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "code",
            "kind",
            "minimum_minutes",
            "title_zh",
            "title_en",
            "body_zh",
            "body_en",
            "transcript_zh",
            "transcript_en",
        ]
        help_texts = {
            "body_zh": _(
                "HTML is allowed: p, h2, h3, ul, ol, li, strong, em. Anything else is removed."
            ),
        }


class RegionalWarningForm(forms.ModelForm):
    class Meta:
        model = RegionalWarning
        fields = [
            "kind",
            "title_zh",
            "title_en",
            "body_zh",
            "body_en",
            "action_zh",
            "action_en",
            "regions",
            "starts_on",
            "ends_on",
            "recipient_cap",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "regions": _(
                "Region codes of the ID numbers, separated by spaces: 6523 for the whole "
                "prefecture, 652301 for Changji city."
            ),
        }


class OnsiteDayForm(forms.Form):
    """One day of on-site full-score study (R163 Art 19), as the officer at the site saw it."""

    day = forms.DateField(
        label=_("Date of the study"), widget=forms.DateInput(attrs={"type": "date"})
    )
    site = forms.CharField(
        label=_("Study site"),
        max_length=80,
        help_text=_("The site of the office where the person studied."),
    )
    starts_at = forms.TimeField(
        label=pgettext_lazy("time of day", "From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=pgettext_lazy("time of day", "Until"),
        help_text=_("More than three continuous hours count as a day."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )


class CheatingForm(forms.Form):
    """A finding of falsified study (R163 Art 31)."""

    kind = forms.ChoiceField(
        label=_("What was falsified"), choices=CheatingKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("What you found and how"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FullScoreCheatingForm(CheatingForm):
    onsite_days = forms.TypedMultipleChoiceField(
        label=_("On-site days found falsified"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    online = forms.BooleanField(label=_("The online study so far"), required=False)

    def __init__(self, *args: Any, days: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["onsite_days"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (d.pk, f"{d.day:%Y-%m-%d} · {d.site}") for d in days if d.finding_id is None
        ]
