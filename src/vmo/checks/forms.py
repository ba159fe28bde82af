from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vmo.core.forms import NamesSelect

from .models import Scope

LIFETIMES = [
    ("1h", _("1 hour")),
    ("1d", _("1 day")),
    ("7d", _("7 days")),
    ("21d", _("21 days")),
]


class CodeCreateForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What the checker may see"), choices=Scope.choices, widget=forms.RadioSelect
    )
    vehicle = forms.TypedChoiceField(
        label=_("Vehicle (only for the vehicle scope)"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=NamesSelect,  # plates: marked Chinese on English pages
    )
    lifetime = forms.ChoiceField(label=_("Valid for"), choices=LIFETIMES)
    max_uses = forms.IntegerField(
        label=_("Number of checks allowed"), min_value=1, max_value=20, initial=1
    )

    def __init__(self, *args: object, vehicles: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["vehicle"].choices = [("", "—"), *vehicles]  # type: ignore[attr-defined]


class CheckForm(forms.Form):
    code = forms.CharField(
        label=_("Check code"),
        max_length=40,
        help_text=_("12 letters and digits, given to you by the holder."),
    )
    licence_tail = forms.CharField(
        label=_("Last 6 characters of the licence file number"),
        max_length=6,
        min_length=6,
        help_text=_("The file number is printed on the holder's driving licence."),
    )
    organisation = forms.CharField(label=_("Your organisation"), max_length=120)
    purpose = forms.CharField(label=_("Why you are checking"), max_length=200)
