"""The one way a service's refusal reaches a form: each problem beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def errors_to_form(
    form: forms.Form, exc: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Every message of `exc` onto `form`: a field's under that field (``rename`` maps a
    service's name to the form's), the rest above the form."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        target = (rename or {}).get(name, name)
        for error in errors:
            form.add_error(
                None if target == NON_FIELD_ERRORS or target not in form.fields else target, error
            )


def _has_han(text: object) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in str(text))


class NamesSelect(forms.Select):
    """A select whose options are proper names (sites, plates, a language's own name): an
    option written in Chinese is marked lang="zh-Hans", so English pages read it right."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if _has_han(label):
            option["attrs"] = {**option["attrs"], "lang": "zh-Hans"}
        return option


class DateRangeForm(forms.Form):
    """A list filter's "from" and "to" days: either may be left out, the end not before the
    start. A subclass names where the two stand among its own fields in `field_order`."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def date_query(self) -> dict[str, str]:
        """The two days as URL parameters for the page links, "" where left out."""
        data = self.cleaned_data
        return {
            name: data[name].isoformat() if data.get(name) else ""
            for name in ("date_from", "date_to")
        }
