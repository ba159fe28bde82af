from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vmo.registry import validators


class NominateForm(forms.Form):
    driver_name = forms.CharField(
        label=_("The driver's name"),
        max_length=30,
        help_text=_("As on their ID card."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    driver_id_number = forms.CharField(
        label=_("The driver's ID number"),
        max_length=18,
        help_text=_(
            "The driver confirms from their own account; the record is then handled on their"
            " licence."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class BindingStartForm(forms.Form):
    plate_number = forms.CharField(
        label=_("Plate number"),
        max_length=10,
        help_text=_("For example 新B12345. A code is sent to the owner's mobile phone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_plate_number(self) -> str:
        value = validators.normalise_plate(self.cleaned_data["plate_number"])
        try:
            validators.validate_plate_number(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return value


class BindingConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the owner"),
        max_length=6,
        min_length=6,
        help_text=_("The 6-digit code the owner received by SMS."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )
