"""What an officer sees of one application: records, materials, checks, history, answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vmo.core.masking import mask_address, mask_name, mask_phone
from vmo.core.reasons import reason_text
from vmo.core.text import join_clauses
from vmo.registry import selectors as registry
from vmo.registry.choices import LicenceStatus, VehicleStatus
from vmo.registry.selectors import points_in_cycle, status_labels
from vmo.violations import selectors as violation_selectors

from ..checks import Problem
from ..models import Application, ApplicationFile

if TYPE_CHECKING:
    from vmo.catalog.businesses.base import LegalRef
    from vmo.registry.models import DriverLicence, Plate, Vehicle
    from vmo.violations.models import Violation

# ----- one application ------------------------------------------------------------------------


def application_for_officer(reference: str) -> Application:
    return Application.objects.select_related(
        "person", "licence", "vehicle", "company", "claimed_by", "checked_by", "decided_by"
    ).get(reference=reference)


@dataclass
class Records:
    """The applicant's records that bear on the application."""

    licence: DriverLicence | None = None
    licence_statuses: list[tuple[str, str]] = field(default_factory=list)
    points: int | None = None
    vehicle: Vehicle | None = None
    plate: Plate | None = None
    vehicle_statuses: list[tuple[str, str]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def records_for(application: Application) -> Records:
    records = Records()
    licence = application.licence or (
        getattr(application.person, "licence", None) if application.person else None
    )
    if licence is not None:
        records.licence = licence
        records.licence_statuses = status_labels(licence.status, LicenceStatus)
        records.points = points_in_cycle(licence)
    vehicle = application.vehicle
    if vehicle is not None:
        records.vehicle = vehicle
        records.plate = registry.active_plate(vehicle)
        records.vehicle_statuses = status_labels(vehicle.status, VehicleStatus)
        records.violations = list(
            violation_selectors.unhandled_of_vehicle(vehicle)
            .select_related("code")
            .order_by("-occurred_at")[:50]
        )
    return records


def file_url(application: Application, stored: ApplicationFile) -> str:
    """The applicant-side file view, which lets officers with application.check in."""
    try:
        return reverse("applications:file", args=[application.reference, stored.pk])
    except NoReverseMatch:
        return f"/applications/{application.reference}/files/{stored.pk}/"


@dataclass(frozen=True)
class MaterialRow:
    code: str
    name: str
    required: bool
    current: ApplicationFile | None
    url: str
    is_image: bool
    problem: str
    older: list[tuple[int, str]]


def materials_for(application: Application, problems: list[Problem]) -> list[MaterialRow]:
    by_material: dict[str, list[ApplicationFile]] = defaultdict(list)
    for stored in application.files.all():  # ordered by material, newest version first
        by_material[stored.material].append(stored)
    failing = {p.item: p.message for p in problems}
    rows = []
    for material in application.business.materials:
        versions = by_material.get(material.code, [])
        current = next((v for v in versions if v.current), None)
        rows.append(
            MaterialRow(
                code=material.code,
                name=str(material.name),
                required=material.required,
                current=current,
                url=file_url(application, current) if current else "",
                is_image=bool(current and current.content_type.startswith("image/")),
                problem=failing.get(f"material:{material.code}", ""),
                older=[(v.version, file_url(application, v)) for v in versions if not v.current],
            )
        )
    return rows


@dataclass(frozen=True)
class CheckRow:
    item: str
    kind: str
    label: str
    ok: bool
    message: str
    # A condition's legal basis: the page shows the Chinese title (marked so) and, in
    # English, the English one beside it.
    basis: LegalRef | None


def check_rows(application: Application, problems: list[Problem]) -> list[CheckRow]:
    """Every condition, form field and material of the business, passed or failed."""
    business = application.business
    failing: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        failing[problem.item].append(problem)
    rows = []
    for condition in business.conditions:
        item = f"condition:{condition.code}"
        rows.append(
            CheckRow(
                item,
                "condition",
                str(condition.text),
                item not in failing,
                join_clauses(p.message for p in failing[item]),
                condition.basis,
            )
        )
    for spec in business.fields:
        item = f"field:{spec.name}"
        rows.append(
            CheckRow(
                item,
                "field",
                str(spec.label),
                item not in failing,
                join_clauses(p.message for p in failing[item]),
                None,
            )
        )
    for material in business.materials:
        item = f"material:{material.code}"
        rows.append(
            CheckRow(
                item,
                "material",
                str(material.name),
                item not in failing,
                join_clauses(p.message for p in failing[item]),
                None,
            )
        )
    return rows


def asked_before(application: Application) -> dict[tuple[str, int], int]:
    """(item, version) -> the round it was last asked in."""
    asked: dict[tuple[str, int], int] = {}
    for item, version, round_ in application.corrections.values_list(
        "item", "item_version", "round"
    ):
        asked[(item, version)] = max(round_, asked.get((item, version), 0))
    return asked


# ----- display helpers ------------------------------------------------------------------------

ACTIONS: dict[str, Promise] = {
    "start": _("draft started"),
    "update": _("form answers saved"),
    "material": _("material uploaded"),
    "submit": _("submitted"),
    "accept": _("accepted; time limit set"),
    "paid": _("fee paid"),
    "correction": _("corrections asked for"),
    "claim": _("claimed by an officer"),
    "release": _("released"),
    "check": _("check passed"),
    "approve": _("approved"),
    "complete": _("completed"),
    "refuse": _("refused"),
    "withdraw": _("withdrawn"),
    "close": _("closed: no longer needed"),
    "counter": _("moved to counter handling"),
    "delivery": _("delivery updated"),
}


def action_label(action: str) -> str:
    short = action.removeprefix("application.")
    return str(ACTIONS.get(short, short))


@dataclass(frozen=True)
class HistoryRow:
    occurred_at: Any
    what: str
    who: str
    reason: str


def history(application: Application) -> list[HistoryRow]:
    """The history for officers, each line crediting who acted in the reader's language: an
    officer by name and role (accounts.naming, from the event's stored name and role code), the
    applicant as such, the engine as the system; never an account's username, nor the label
    stored in the actor's language when it happened."""
    from vmo.accounts.naming import event_actor_html
    from vmo.core.selectors import events_for

    def who(event: Any) -> str:
        if event.actor_id is not None and event.actor_id == application.applicant_id:
            return str(_("the applicant"))
        if event.actor_id is not None and event.actor_id == application.counterparty_id:
            return str(_("the other party (buyer)"))
        return event_actor_html(event)

    return [
        HistoryRow(e.occurred_at, action_label(e.action), who(e), reason_text(e.reason))
        for e in events_for(application)
    ]


@dataclass(frozen=True)
class Answer:
    label: str
    value: str
    personal: bool


def _mask(value: str, kind: str) -> str:
    if not value:
        return value
    if kind == "phone":
        return mask_phone(value)
    return mask_address(value, keep=min(6, max(1, len(value) // 3)))


def form_answers(application: Application, delivery: Any, *, unmasked: bool) -> list[Answer]:
    """The form's answers and the delivery details; personal ones masked unless asked for."""
    data = application.data
    answers = []
    for spec in application.business.fields:
        value = str(data.get(spec.name, "") or "")
        if spec.kind == "choice":
            value = str(dict(spec.choices).get(value, value))
        shown = value if unmasked or not spec.personal else _mask(value, str(spec.kind))
        answers.append(Answer(str(spec.label), shown, spec.personal))
    if delivery is not None:
        answers.append(Answer(str(_("Delivery")), str(delivery.get_method_display()), False))
        for label, value, kind in (
            (_("Recipient"), delivery.recipient, "name"),
            (_("Recipient's phone"), delivery.phone, "phone"),
            (_("Postal address"), delivery.address, "address"),
        ):
            if value:
                shown = (
                    value
                    if unmasked
                    else (mask_name(value) if kind == "name" else _mask(value, kind))
                )
                answers.append(Answer(str(label), shown, True))
    return answers
