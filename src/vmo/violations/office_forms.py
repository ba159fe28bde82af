"""Forms of the officers' violation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vmo.core.forms import DateRangeForm
from vmo.registry import validators
from vmo.violations.choices import HandlingStatus
from vmo.violations.records import REASON_MAX, VoidGround
from vmo.violations.selectors import violation_codes


class _CodeChoiceField(forms.ModelChoiceField):
    """Codes with their description in the page's language (the registry keeps both)."""

    def label_from_instance(self, obj: Any) -> str:
        english = (get_language() or "").startswith("en")
        return f"{obj.code} {obj.description_en if english else obj.description_zh}"


class ViolationSearchForm(DateRangeForm):
    field_order = ["plate", "record_id", "date_from", "date_to", "code", "handling_status"]

    plate = forms.CharField(
        label=_("Plate number"),
        required=False,
        max_length=12,
        help_text=_("For example 新B12345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    record_id = forms.CharField(
        label=_("Record id"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = _CodeChoiceField(
        label=_("Violation code"),
        queryset=violation_codes().order_by("code"),
        required=False,
        empty_label=_("All codes"),
        to_field_name="code",
    )
    handling_status = forms.TypedChoiceField(
        label=_("Handling status"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any status")), *HandlingStatus.choices],
    )

    def clean_plate(self) -> str:
        value = validators.normalise_plate(self.cleaned_data["plate"])
        if value:
            validators.validate_plate_number(value)
        return value

    def query(self) -> dict[str, Any]:
        """The criteria as URL parameters, for the page links."""
        data = self.cleaned_data
        params = {
            "plate": data.get("plate") or "",
            "record_id": data.get("record_id") or "",
            **self.date_query(),
            "code": data["code"].code if data.get("code") else "",
            "handling_status": ""
            if data.get("handling_status") is None
            else data["handling_status"],
        }
        return {key: value for key, value in params.items() if value != ""}


class VoidForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground (RP Article 22)"),
        choices=VoidGround.choices,
        initial=VoidGround.WRONG_PLATE,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("What was verified, and how. It is kept in the record's history."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for voiding this record.")},
    )


class ProxyClearForm(forms.Form):
    reason = forms.CharField(
        label=_("What you checked"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the vehicles belong to the driver's family; seen in person."),
    )


class CounterDecideForm(forms.Form):
    driver_id_number = forms.CharField(
        label=_("ID number of the driver present"),
        max_length=18,
        help_text=_("Check the identity document; the decision goes on this person's licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label=_("Note for the file (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
