"""The forms of the company-agents page: find the company, record an authorisation, revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vmo.accounts.forms import AccessibleForm
from vmo.registry import validators

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompanySearchForm(AccessibleForm):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        help_text=_("18 characters, from the company's business licence."),
        validators=[validators.validate_uscc],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_uscc(self) -> str:
        return str(self.cleaned_data["uscc"]).strip().upper()


class AuthoriseForm(AccessibleForm):
    id_number = forms.CharField(
        label=_("The agent's ID number"),
        max_length=18,
        help_text=_(
            "As on the ID card shown. The agent must have an online account verified as theirs."
        ),
        validators=[validators.validate_id_number],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    letter = forms.FileField(
        label=_("The company's letter of authorisation"),
        help_text=_("A scan or photo (JPEG, PNG or PDF, at most 5 MB), signed and sealed."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_until = forms.DateField(
        label=_("Valid until"), help_text=_("The last day, as the letter says."), widget=DATE_WIDGET
    )

    def clean_id_number(self) -> str:
        return str(self.cleaned_data["id_number"]).strip().upper()


class RevokeForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, pk: int = 0, **kwargs: Any) -> None:
        # One form per authorisation on the page: each needs its own ids.
        super().__init__(*args, prefix=f"r{pk}", **kwargs)
