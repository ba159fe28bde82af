from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
