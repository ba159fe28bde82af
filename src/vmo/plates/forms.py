from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vmo.registry import selectors as registry
from vmo.registry.validators import normalise_vin, validate_vin

from .choices import PoolPlateType

if TYPE_CHECKING:
    from vmo.registry.models import Company

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def companies_for(user: Any) -> list[Company]:
    """Companies the citizen acts for today (legal representative or a current authorisation)."""
    return list(registry.companies_acted_for(getattr(user, "person", None)))


class VehicleForm(forms.Form):
    vin = forms.CharField(
        label=_("VIN"),
        max_length=17,
        help_text=_("17 characters, from the vehicle's certificate of conformity (合格证)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    model_name = forms.CharField(
        label=_("Model"), max_length=60, help_text=_("As printed on the certificate.")
    )
    plate_type = forms.ChoiceField(label=_("Plate type"), choices=PoolPlateType.choices)
    company = forms.TypedChoiceField(
        label=_("Applying for"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.companies = {c.pk: c for c in companies_for(user)}
        if self.companies:
            field = self.fields["company"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("myself"))] + [(pk, c.name) for pk, c in self.companies.items()]
        else:
            del self.fields["company"]

    def clean_vin(self) -> str:
        vin = normalise_vin(self.cleaned_data["vin"])
        validate_vin(vin)
        return vin

    def chosen_company(self) -> Company | None:
        pk = self.cleaned_data.get("company")
        return self.companies.get(pk) if pk else None


class ComposeForm(VehicleForm):
    number = forms.CharField(
        label=_("Plate number"),
        max_length=12,
        help_text=_("The whole number with the office prefix, e.g. 新BQ2468."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ChooseForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        error_messages={"required": _("Choose one of the numbers.")},
    )


class PoolLoadForm(forms.Form):
    plate_type = forms.ChoiceField(label=_("Plate type"), choices=PoolPlateType.choices)
    numbers = forms.CharField(
        label=_("Numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One number a line, or CSV with the number in the first column."),
    )
    upload = forms.FileField(label=_("Or a file (CSV or text, UTF-8)"), required=False)
    note = forms.CharField(label=_("Note for the announcement"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("The file is larger than 2 MB; split it."))
            try:
                data["numbers"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("numbers") or "").strip():
            raise ValidationError(_("Paste the numbers or choose a file."))
        return data


class WithheldForm(forms.Form):
    pattern = forms.CharField(
        label=_("Pattern"),
        max_length=20,
        help_text=_("? is any one character, * any run of characters, e.g. 新B8888? or 新B*000."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class VerifyForm(forms.Form):
    draw = forms.CharField(
        label=_("Draw number"), max_length=32, help_text=_("As shown on the draw page.")
    )
