"""The check-your-answers page: everything the applicant gave, each with where to change it,
and every problem the engine's own checks (checks.all_problems) find, the same list
application_submit refuses with. A complete application is the only one with a submit button."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vmo.catalog.businesses import Business
from vmo.catalog.spec import FieldKind
from vmo.core import clock
from vmo.core.masking import mask_phone
from vmo.registry import selectors as registry

from ..checks import Problem, all_problems, anchor_of
from ..choices import DeliveryMethod
from ..models import Application, Delivery
from ..permissions import Action, allowed_actions


@dataclass(frozen=True)
class AnswerRow:
    key: str
    value: str
    # The anchor on the application's page where it is changed; "" if it cannot be.
    change: str
    problem: bool = False


@dataclass(frozen=True)
class ProblemRow:
    message: str
    anchor: str


@dataclass
class Answers:
    application: Application
    business: Business
    plate: str
    problems: list[ProblemRow]
    answers: list[AnswerRow]
    delivery: list[AnswerRow]
    materials: list[AnswerRow]
    submittable: bool

    @property
    def complete(self) -> bool:
        return not self.problems


def _value(spec: Any, raw: str) -> str:
    if not raw:
        return ""
    if spec.kind == FieldKind.CHOICE:
        return str(dict(spec.choices).get(raw, raw))
    return raw


def _delivery_value(delivery: Delivery | None) -> str:
    if delivery is None or delivery.method == DeliveryMethod.PICKUP:
        return str(DeliveryMethod.PICKUP.label)
    parts = [str(DeliveryMethod.MAIL.label), delivery.recipient, mask_phone(delivery.phone)]
    return " · ".join([*(p for p in parts if p), delivery.address])


def answers_for(
    application: Application, *, user: Any, problems: list[Problem] | None = None
) -> Answers:
    """The page's rows in a fixed number of queries. ``problems``: those the submission was
    just refused with (the same list, not computed twice); else the checks run now."""
    if problems is None:
        problems = all_problems(application)
    business = application.business
    failing = {p.item for p in problems}
    data = application.data
    answers = [
        AnswerRow(
            key=str(spec.label),
            value=_value(spec, str(data.get(spec.name, "") or "")),
            change=f"answer-{spec.name}",
            problem=f"field:{spec.name}" in failing,
        )
        for spec in business.fields
    ]
    delivery = []
    if business.issues:
        found = Delivery.objects.filter(application=application).first()
        delivery = [AnswerRow(_("Delivery"), _delivery_value(found), "delivery")]
    current = {f.material: f for f in application.files.filter(current=True)}
    materials = []
    for material in business.materials:
        stored = current.get(material.code)
        if stored is None:
            value = _("Not uploaded") if material.required else _("Not uploaded (optional)")
        else:
            value = _("Version %(version)s, uploaded %(day)s") % {
                "version": stored.version,
                "day": f"{clock.local(stored.uploaded_at):%Y-%m-%d}",
            }
            if stored.issued_on:
                value += " · " + _("dated %(day)s") % {"day": f"{stored.issued_on:%Y-%m-%d}"}
        materials.append(
            AnswerRow(
                str(material.name),
                value,
                f"material-{material.code}",
                f"material:{material.code}" in failing,
            )
        )
    return Answers(
        application=application,
        business=business,
        plate=registry.plate_label(application.vehicle),
        problems=[ProblemRow(p.message, anchor_of(p.item)) for p in problems],
        answers=answers,
        delivery=delivery,
        materials=materials,
        submittable=Action.SUBMIT in allowed_actions(user, application),
    )
