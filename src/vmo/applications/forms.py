"""The applicant's forms. They carry the answers to the engine and show its verdict: the
engine's checks (services, checks.py) are the one judge of an answer, so a form field here
never adds a second, differently worded refusal of its own."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vmo.catalog.businesses import Business
from vmo.catalog.spec import FieldKind, FileKind, FormField, Material
from vmo.registry.selectors import plate_label

from .choices import DeliveryMethod


class _EngineChecked:
    """Shown as required, but the engine judges the value (in its own words, all at once)."""

    def validate(self, value: Any) -> None:
        return None


class AnswerField(_EngineChecked, forms.CharField):
    pass


class AnswerChoiceField(_EngineChecked, forms.ChoiceField):
    pass


class Radios(forms.RadioSelect):
    """Radio buttons whose group can be linked to (from the error summary) by its first option."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


def new_key() -> str:
    return secrets.token_urlsafe(24)


class StartForm(forms.Form):
    """One press of "start" makes one draft, however often the request is sent: the key is
    made when the page is shown and the engine keeps one application per key."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, min_length=16, max_length=64)

    def __init__(self, *args: Any, vehicles: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].error_messages["min_length"] = _(
            "The form has expired; open it again."
        )
        if vehicles is not None:
            self.fields["vehicle"] = forms.TypedChoiceField(
                label=_("Vehicle"),
                coerce=int,
                widget=Radios,
                choices=[(v.pk, _vehicle_label(v)) for v in vehicles],
                error_messages={
                    "required": _("Choose the vehicle this application is for."),
                    "invalid_choice": _("Choose one of your vehicles."),
                },
            )


def _vehicle_label(vehicle: Any) -> str:
    return f"{plate_label(vehicle)} · {vehicle.brand} {vehicle.model_name}"


def _answer_field(spec: FormField) -> forms.Field:
    # Read in the language of the request that builds the form.
    label = str(spec.label)
    help_text = str(spec.help or "")
    if spec.kind == FieldKind.CHOICE:
        return AnswerChoiceField(
            label=label,
            help_text=help_text,
            required=spec.required,
            choices=[("", "—"), *spec.choices] if len(spec.choices) > 1 else list(spec.choices),
            widget=forms.Select if len(spec.choices) > 1 else Radios,
        )
    widget: forms.Widget
    if spec.kind == FieldKind.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    elif spec.kind == FieldKind.PHONE:
        widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})
    else:
        widget = forms.TextInput(attrs={"maxlength": spec.max_length})
    return AnswerField(label=label, help_text=help_text, required=spec.required, widget=widget)


class ApplicationForm(forms.Form):
    """The business's questions and, if it issues documents, how they reach the applicant."""

    def __init__(self, *args: Any, business: Business, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.business = business
        for spec in business.fields:
            self.fields[spec.name] = _answer_field(spec)
        if business.issues:
            self.fields["delivery_method"] = AnswerChoiceField(
                label=_("Delivery"),
                choices=DeliveryMethod.choices,
                widget=Radios,
            )
            self.fields["delivery_recipient"] = AnswerField(
                label=_("Recipient"),
                required=False,
                help_text=_("Only for sending by post."),
                widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": 200}),
            )
            self.fields["delivery_phone"] = AnswerField(
                label=_("Recipient's mobile number"),
                required=False,
                widget=forms.TextInput(
                    attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
                ),
            )
            self.fields["delivery_address"] = AnswerField(
                label=_("Postal address"),
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "street-address", "maxlength": 200}),
            )

    @property
    def answer_names(self) -> list[str]:
        return [spec.name for spec in self.business.fields]

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.answer_names}

    def delivery(self) -> dict[str, str] | None:
        if not self.business.issues:
            return None
        return {
            "method": self.cleaned_data.get("delivery_method") or "",
            "recipient": self.cleaned_data.get("delivery_recipient") or "",
            "phone": self.cleaned_data.get("delivery_phone") or "",
            "address": self.cleaned_data.get("delivery_address") or "",
        }

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.answer_names]

    def delivery_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("delivery_")]


class MaterialForm(forms.Form):
    """One material's upload. The content is judged by the engine (uploads.py), never the name."""

    file = forms.FileField(label=_("File"))
    issued_on = forms.DateField(
        label=_("Date on the certificate"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, material: Material, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"m-{material.code}")
        super().__init__(*args, **kwargs)
        self.material = material
        accept = []
        if FileKind.IMAGE in material.kinds:
            accept += ["image/jpeg", "image/png"]
        if FileKind.PDF in material.kinds:
            accept.append("application/pdf")
        self.fields["file"].widget.attrs["accept"] = ",".join(accept)
        self.fields["file"].label = _("File for: %(material)s") % {"material": material.name}
        if not material.issued_within_months:
            del self.fields["issued_on"]
        else:
            self.fields["issued_on"].help_text = _(
                "It must be dated within the last %(n)s months."
            ) % {"n": material.issued_within_months}
