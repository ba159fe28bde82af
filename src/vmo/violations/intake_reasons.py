"""Why an intake row was refused: stored as codes with parameters, rendered in the reader's language.

A reason is kept as {field, code, params} so a rejection written today reads in whichever
language the officer or the camera client uses later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vmo.registry import validators

FIELD_LABELS: dict[str, Promise] = {
    "record_id": _("record id"),
    "occurred_at": _("time of the violation"),
    "place": _("place"),
    "device": _("device"),
    "plate_number": _("plate number"),
    "plate_type": _("plate type"),
    "code": _("violation code"),
    "speed_kmh": _("measured speed"),
    "limit_kmh": _("speed limit"),
    "evidence": _("evidence"),
}

REASON_MESSAGES: dict[str, Promise] = {
    "missing": _("The %(label)s is missing."),
    "unknown_code": _("Violation code %(value)s is not in the office's code table."),
    "plate_type": _("Plate type %(value)s is not a two-digit GA 24 plate-type code."),
    "time_invalid": _(
        "The time %(value)s cannot be read: use ISO 8601, e.g. 2026-03-01T09:30:00+08:00."
    ),
    "time_future": _("The time %(value)s is in the future."),
    "limitation": _(
        "The violation of %(value)s was not discovered within two years (until %(until)s): it"
        " is no longer punished (Administrative Penalty Law Art 36)."
    ),
    "record_id": _("A record id has 1 to 40 letters, digits, hyphens or underscores."),
    "too_long": _("The %(label)s is longer than %(limit)s characters."),
    "control_characters": _(
        "The place, device or evidence contains control characters such as tabs or line breaks."
    ),
    "speed_invalid": _("The %(label)s must be a whole number of km/h from 1 to 400."),
    "speed_not_over": _(
        "A speeding record needs a measured speed above the limit: %(speed)s km/h is not above"
        " %(limit)s km/h."
    ),
    "evidence": _(
        "Evidence is a list of 1 to 10 image references, each at most 300 characters and"
        " without the character |."
    ),
    "duplicate_in_file": _("Record id %(value)s already appears on line %(line)s of this file."),
    "duplicate_earlier_in_file": _("Record id %(value)s already appears earlier in this file."),
    "unreadable": _("This line is not a JSON object."),
    "columns": _("This line has %(found)s fields where the header has %(expected)s."),
}

Reason = dict[str, Any]


def reason(code: str, field: str | None = None, **params: Any) -> Reason:
    return {"field": field, "code": code, "params": params}


def reason_message(item: Reason) -> str:
    """The message of a stored reason, in the active language."""
    code, params = item.get("code", ""), dict(item.get("params") or {})
    if code == "plate":
        # The registry validator's own message, made again from the stored value.
        try:
            validators.validate_plate_number(
                params.get("value", ""), new_energy=params.get("new_energy")
            )
            if params.get("plate_type"):
                validators.validate_plate_type(params["value"], params["plate_type"])
        except ValidationError as exc:
            return " ".join(str(m) for m in exc.messages)
        return gettext("The plate number is not valid.")
    template = REASON_MESSAGES.get(code)
    if template is None:
        return str(code)
    label = FIELD_LABELS.get(item.get("field") or "")
    return str(template) % {"label": str(label) if label else "", **params}


def reason_items(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """Reasons in the API's error style: field, code, message."""
    return [
        {"field": r.get("field"), "code": r.get("code"), "message": reason_message(r)}
        for r in reasons
    ]
