"""The public guide (办事指南) read off a business's definition, the one the engine runs, so
the page and the engine cannot disagree (R164 Art 3, R162 Art 3: items, conditions, basis,
procedure, time limit, fee, every material and a model form, published).

Strings are built when called, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vmo.core.money import format_fen
from vmo.core.text import join_items

from .businesses import Business
from .spec import FieldKind, FormField, Material, Review, Subject

# An app that runs a business itself may call its start page differently; the guide tries
# these before it gives up on a direct link.
_ENTRY_NAMES = ("index", "list", "mine")


def _reverse(name: str, *args: str) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def apply_url(business: Business) -> str | None:
    """Where to apply online; None when the business is done only at the service hall."""
    if business.via_engine:
        # The engine names its start page "new" (older builds: "start"); the path is fixed.
        return (
            _reverse("applications:new", business.code)
            or _reverse("applications:start", business.code)
            or f"/applications/new/{business.code}/"
        )
    if not business.online:
        return None
    url = _reverse(business.online)
    if url is None and ":" in business.online:
        namespace = business.online.split(":", 1)[0]
        for name in _ENTRY_NAMES:
            url = _reverse(f"{namespace}:{name}")
            if url:
                break
    return url


def time_limit_text(business: Business) -> str:
    days = business.time_limit_days
    if not days:
        return _("Same day")
    return ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}


def fee_text(business: Business) -> str:
    return format_fen(business.fee_fen) if business.fee_fen else _("Free")


def _join(items: list[str]) -> str:
    return join_items(items)


def _subject_step(subject: str) -> str | None:
    steps: dict[str, str] = {
        Subject.LICENCE: _("Your driving licence is taken from your account; nothing to type."),
        Subject.VEHICLE: _("Choose the vehicle, from the vehicles registered in your name."),
        Subject.NEW_VEHICLE: _("Enter the new vehicle's identification number (VIN)."),
    }
    return steps.get(subject)


def _documents_step(business: Business) -> str:
    if business.issues:
        return _(
            "The office issues the %(documents)s: collect them at the service hall, or have"
            " them posted to you (you choose when you apply)."
        ) % {"documents": _join([str(d) for d in business.issues])}
    return _("You are notified of the result in your account and by SMS; the record is updated.")


def _engine_steps(business: Business) -> list[str]:
    steps = [_("Sign in with your real-name account and start the application online.")]
    subject = _subject_step(business.subject)
    if subject:
        steps.append(subject)
    if business.fields:
        steps.append(_("Answer the questions of the form (listed below)."))
    if business.materials:
        steps.append(
            ngettext(
                "Upload the material listed below; it is checked by its content.",
                "Upload the %(count)d materials listed below; each is checked by its content.",
                len(business.materials),
            )
            % {"count": len(business.materials)}
        )
    if business.counterparty_field:
        steps.append(_("The other party confirms the application from their own account."))
    if business.fee_fen:
        steps.append(_("Pay the fee of %(fee)s online.") % {"fee": format_fen(business.fee_fen)})
    if business.review == Review.AUTOMATIC:
        steps.append(
            _(
                "The system checks the conditions against the office's records and completes the"
                " business at once."
            )
        )
    else:
        steps.append(
            _(
                "A clerk checks the application and the materials; if anything is missing or"
                " wrong you are told everything to correct at once (one-time notice)."
            )
        )
        steps.append(
            _(
                "A reviewer decides within the time limit. A refusal is given in writing, with"
                " its reasons, its legal basis and how to appeal."
            )
        )
    steps.append(_documents_step(business))
    return steps


def procedure(business: Business) -> list[str]:
    """The steps in the applicant's words: the business's own if it states them, else the
    engine's generic steps for what the definition asks."""
    if business.procedure:
        return [str(step) for step in business.procedure]
    if business.via_engine:
        return _engine_steps(business)
    if business.online:
        steps = [
            _("Sign in with your real-name account."),
            _("Open the online service (the button below) and follow its steps."),
        ]
        if business.fee_fen:
            steps.append(
                _("Pay the fee of %(fee)s online.") % {"fee": format_fen(business.fee_fen)}
            )
        steps.append(_documents_step(business))
        return steps
    return [
        _("Bring the materials to the service hall on a working day."),
        _("A clerk accepts and checks the application; the vehicle is inspected where required."),
        _("Pay the fee at the hall.") if business.fee_fen else _("There is no fee."),
        _documents_step(business),
    ]


def material_rules(material: Material) -> list[str]:
    """What the engine will check of an upload, in words."""
    rules = [
        _("Accepted: %(kinds)s.") % {"kinds": _join([str(k.label) for k in material.kinds])},
        _("At most %(size)s MB.") % {"size": f"{material.max_bytes / (1024 * 1024):g}"},
    ]
    if material.min_pixels:
        width, height = material.min_pixels
        rules.append(
            _("At least %(width)d × %(height)d pixels.") % {"width": width, "height": height}
        )
    if material.issued_within_months:
        rules.append(
            ngettext(
                "Dated within the last %(months)d month.",
                "Dated within the last %(months)d months.",
                material.issued_within_months,
            )
            % {"months": material.issued_within_months}
        )
    return rules


@dataclass(frozen=True)
class FieldView:
    label: str
    kind: str
    required: bool
    help: str
    choices: list[str]


def field_view(field: FormField) -> FieldView:
    return FieldView(
        label=str(field.label),
        kind=str(FieldKind(field.kind).label),
        required=field.required,
        help=str(field.help),
        choices=[str(label) for _value, label in field.choices],
    )
