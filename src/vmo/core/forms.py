"""The one way a service's refusal reaches a form: each problem beside its field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
