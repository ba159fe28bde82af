from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vmo.core.forms import DateRangeForm, NamesSelect
from vmo.core.selectors import data_access_purpose_max
from vmo.registry import validators

from . import selectors

PURPOSE_MAX = data_access_purpose_max()
PURPOSE_HELP = _(
    "Why you need this person's data, e.g. the application or case you are handling. It is logged."
)


def _purpose_field() -> forms.CharField:
    return forms.CharField(
        label=_("Purpose"),
        max_length=PURPOSE_MAX,
        help_text=PURPOSE_HELP,
        error_messages={
            "required": _("State the purpose of your search: it is recorded with every view.")
        },
    )


class PersonSearchForm(forms.Form):
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    plate = forms.CharField(
        label=_("Plate number"),
        required=False,
        max_length=12,
        help_text=_("For example 新B12345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    purpose = _purpose_field()

    def clean_id_number(self) -> str:
        value = validators.normalise_id_number(self.cleaned_data["id_number"])
        if value:
            validators.validate_id_number(value)
        return value

    def clean_phone(self) -> str:
        value = validators.normalise_phone(self.cleaned_data["phone"])
        if value:
            validators.validate_mobile_phone(value)
        return value

    def clean_plate(self) -> str:
        value = validators.normalise_plate(self.cleaned_data["plate"])
        if value:
            validators.validate_plate_number(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        criteria = ("id_number", "phone", "plate")
        # A criterion that failed its own check is already reported; only an empty form is new.
        if not any(cleaned.get(name) for name in criteria) and not any(
            name in self.errors for name in criteria
        ):
            raise ValidationError(
                _("Enter an ID number, a mobile phone number or a plate number."),
                code="no_criteria",
            )
        return cleaned


class PurposeForm(forms.Form):
    purpose = _purpose_field()


class AccessLogFilterForm(DateRangeForm):
    field_order = ["officer", "person", "id_number", "date_from", "date_to"]

    officer = forms.ModelChoiceField(
        label=_("Officer"),
        queryset=selectors.officers(),
        required=False,
        empty_label=_("All officers"),
        # Officers' names are Chinese proper names: their options are marked so.
        widget=NamesSelect,
    )
    # Set from the ID number below (so declared before it), or carried in page links.
    person = forms.IntegerField(
        label=_("Person record"), required=False, min_value=1, widget=forms.HiddenInput
    )
    id_number = forms.CharField(
        label=_("Person's ID number"),
        required=False,
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_id_number(self) -> str:
        value = validators.normalise_id_number(self.cleaned_data["id_number"])
        if not value:
            return value
        validators.validate_id_number(value)
        person_id = selectors.person_id_by_id_number(value)
        if person_id is None:
            raise ValidationError(
                _("No person with this ID number is on record."), code="unknown_person"
            )
        self.cleaned_data["person"] = person_id
        return value

    def query(self) -> dict[str, Any]:
        """The filter as URL parameters, with the person by record id so no ID number is in a URL."""
        data = self.cleaned_data
        params = {
            "officer": data["officer"].pk if data.get("officer") else "",
            "person": data.get("person") or "",
            **self.date_query(),
        }
        return {key: value for key, value in params.items() if value != ""}
