from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vmo.core import clock


class DiscrepancyResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: credited by an active query, or refunded at the counter."),
    )


class ReconcileRunForm(forms.Form):
    day = forms.DateField(label=_("Statement date"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day >= clock.today():
            raise forms.ValidationError(_("Only a day that has ended can be reconciled."))
        return day
