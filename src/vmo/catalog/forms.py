"""Forms of the guide (search) and of the editors' regulation pages. They parse input; the
services judge it and report every problem at once."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .selectors import SEARCH_MAX
from .services import RegulationText, check_text


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or code"),
        required=False,
        max_length=SEARCH_MAX,
        help_text=lazy(
            lambda: format_html(
                str(_("For example: {chinese}, renewal, plates, D02.")),
                chinese=format_html('<span lang="zh-Hans">{}</span>', "换证"),
            ),
            SafeString,
        )(),
    )


class RegulationForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    issuer_zh = forms.CharField(label=_("Issued by (Chinese)"), max_length=100, required=False)
    issuer_en = forms.CharField(label=_("Issued by (English)"), max_length=100, required=False)
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=100,
        required=False,
        help_text=_("For example: 公安部令第164号"),
    )
    effective_on = forms.DateField(
        label=_("In force from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    summary_zh = forms.CharField(
        label=_("Summary (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Short paragraphs and lists; allowed: p, ul, ol, li, strong, em, a, h3, h4."),
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    official_url = forms.CharField(
        label=_("Link to the official text"), max_length=500, required=False
    )

    def clean(self) -> dict:
        # The service's rules too, so a bad date and a missing title are reported together;
        # the service checks them again when it saves.
        cleaned = super().clean() or {}
        for field, messages in check_text(text=self.text().cleaned()).items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def text(self) -> RegulationText:
        data = self.cleaned_data
        return RegulationText(
            title_zh=data.get("title_zh", ""),
            title_en=data.get("title_en", ""),
            issuer_zh=data.get("issuer_zh", ""),
            issuer_en=data.get("issuer_en", ""),
            document_number=data.get("document_number", ""),
            effective_on=data.get("effective_on"),
            summary_zh=data.get("summary_zh", ""),
            summary_en=data.get("summary_en", ""),
            official_url=data.get("official_url", ""),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
