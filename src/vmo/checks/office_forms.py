"""Forms of the officers' pages for organisations and their keys."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vmo.registry.validators import validate_uscc

from .models import OrganisationKind, Scope


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Registered name"), max_length=120)
    # No kind chosen in advance: the officer picks one, or the form says so.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *OrganisationKind.choices])
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        validators=[validate_uscc],
        help_text=_("18 characters, as on the business licence."),
    )
    contact = forms.CharField(
        label=_("Contact (optional)"),
        max_length=200,
        required=False,
        help_text=_("A person, phone or e-mail the office can reach about the keys."),
    )


class KeyIssueForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=60, help_text=_("E.g. the system that will use the key.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Checks the key may run"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
