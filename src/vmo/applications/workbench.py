"""Reads of the officers' workbench: the queues, the deadline states, what an officer sees
of one application, the deadline scan's candidates and the time-limit compliance figures.
Every function here runs a fixed number of queries, whatever the number of applications."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vmo.accounts.models import User
from vmo.accounts.permissions import officer_can, roles_with
from vmo.core import clock
from vmo.core.masking import mask_address, mask_name, mask_phone
from vmo.core.workdays import WorkingDays, add_working_days
from vmo.registry import selectors as registry
from vmo.registry.choices import LicenceStatus, VehicleStatus
from vmo.registry.selectors import points_in_cycle
from vmo.violations.choices import HandlingStatus
from vmo.violations.models import Violation

from .checks import Problem
from .choices import CHECKABLE, FINISHED, OPEN, UNDECIDED
from .models import Application, ApplicationFile

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Plate, Vehicle

NEAR_DAYS = 1


@dataclass(frozen=True)
class Deadline:
    due_on: date | None
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < clock.today()

    @property
    def days_overdue(self) -> int:
        return max(0, -(self.days_left or 0))

    @property
    def near(self) -> bool:
        return not self.overdue and self.days_left is not None and self.days_left <= NEAR_DAYS


def deadlines(due_dates: Iterable[date | None], today: date | None = None) -> dict[date, Deadline]:
    today = today or clock.today()
    wanted = {d for d in due_dates if d is not None}
    calendar = WorkingDays([today, *wanted])
    return {d: Deadline(d, calendar.between(today, d)) for d in wanted}


def near_limit(today: date | None = None) -> date:
    """The last due date that counts as near: one working day from today."""
    return add_working_days(today or clock.today(), NEAR_DAYS)


# ----- the queues -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    code: str
    title: Promise
    description: Promise
    capability: str


QUEUES: dict[str, Queue] = {
    q.code: q
    for q in (
        Queue(
            "check",
            _("To check"),
            _("Submitted or resubmitted, paid or free of charge: check the materials."),
            "application.check",
        ),
        Queue(
            "review",
            _("To decide"),
            _("Checked by a clerk: approve, refuse or ask for corrections."),
            "application.decide",
        ),
        Queue(
            "mine",
            _("Claimed by me"),
            _("Applications you are working on."),
            "application.check",
        ),
        Queue(
            "counter",
            _("Counter handling"),
            _("Moved to the service hall (R164 Art 74): the applicant completes them in person."),
            "application.check",
        ),
        Queue(
            "delivery",
            _("Documents to hand over"),
            _("Completed applications whose documents are not yet collected or delivered."),
            "application.check",
        ),
    )
}


def queues_for(user: Any) -> list[Queue]:
    return [q for q in QUEUES.values() if officer_can(user, q.capability)]


def queue_applications(
    code: str,
    *,
    user: Any,
    business: str = "",
    due: str = "",
    claimed: str = "",
) -> QuerySet[Application]:
    """One queue, soonest deadline first; ``due`` is "overdue" or "near", ``claimed`` "me" or
    "none"."""
    rows = Application.objects.select_related("person", "claimed_by")
    if code == "check":
        rows = rows.filter(status__in=CHECKABLE, counter_reason="").filter(
            Q(fee_fen=0) | Q(paid_at__isnull=False)
        )
    elif code == "review":
        rows = rows.filter(status="review", counter_reason="")
    elif code == "mine":
        rows = rows.filter(claimed_by=user, status__in=(*OPEN, "correction"))
    elif code == "counter":
        rows = rows.exclude(counter_reason="").filter(status__in=(*OPEN, "correction"))
    elif code == "delivery":
        rows = rows.filter(status="completed", delivery__isnull=False).exclude(
            delivery__status__in=("collected", "delivered")
        )
    else:
        raise KeyError(code)
    if business:
        rows = rows.filter(business_code=business)
    today = clock.today()
    if due == "overdue":
        rows = rows.filter(due_on__lt=today)
    elif due == "near":
        rows = rows.filter(due_on__gte=today, due_on__lte=near_limit(today))
    if claimed == "me":
        rows = rows.filter(claimed_by=user)
    elif claimed == "none":
        rows = rows.filter(claimed_by__isnull=True)
    return rows.order_by(F("due_on").asc(nulls_last=True), "submitted_at", "pk")


def queue_counts(user: Any) -> dict[str, int]:
    """How many are in each queue the officer may see: one query per queue, a handful."""
    return {q.code: queue_applications(q.code, user=user).count() for q in queues_for(user)}


# ----- one application ------------------------------------------------------------------------


def application_for_officer(reference: str) -> Application:
    return Application.objects.select_related(
        "person", "licence", "vehicle", "company", "claimed_by", "checked_by", "decided_by"
    ).get(reference=reference)


def status_labels(letters: str, choices: Any) -> list[tuple[str, str]]:
    labels = dict(choices.choices)
    return [(letter, str(labels.get(letter, letter))) for letter in letters]


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
            Violation.objects.filter(vehicle=vehicle, handling_status=HandlingStatus.UNHANDLED)
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
    basis: str


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
                "; ".join(p.message for p in failing[item]),
                condition.basis.zh,
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
                "; ".join(p.message for p in failing[item]),
                "",
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
                "; ".join(p.message for p in failing[item]),
                "",
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


# ----- the deadline scan ----------------------------------------------------------------------


def deadline_alerts(today: date | None = None) -> QuerySet[Application]:
    """Undecided applications due within one working day, or overdue, in one query."""
    today = today or clock.today()
    return (
        Application.objects.filter(status__in=UNDECIDED, due_on__lte=near_limit(today))
        .select_related("claimed_by")
        .order_by("due_on", "pk")
    )


def supervisors() -> list[User]:
    """The officers who watch time limits: whoever may supervise the workbench."""
    return list(
        User.objects.filter(
            kind="officer", role__in=roles_with("workbench.supervise"), is_active=True
        )
    )


# ----- time-limit compliance ------------------------------------------------------------------


@dataclass
class ComplianceRow:
    key: Any
    label: str
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return self.on_time + self.late

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.finished) if self.finished else None


@dataclass
class Compliance:
    by_business: list[ComplianceRow]
    by_officer: list[ComplianceRow]
    total: ComplianceRow


def compliance(date_from: date, date_to: date) -> Compliance:
    """Applications finished (completed, or refused) in the range, on time when finished by
    their due date, and the open ones already overdue. [U] An application counts for the
    reviewer who decided it; "finished" is the completion, or the refusal, as the applicant
    has their answer only then."""
    from vmo.catalog.businesses import BUSINESSES

    finished_day = TruncDate(Coalesce("completed_at", "decided_at"), tzinfo=clock.OFFICE_TZ)
    accepted_day = TruncDate("accepted_at", tzinfo=clock.OFFICE_TZ)
    grouped = list(
        Application.objects.filter(status__in=FINISHED, accepted_at__isnull=False)
        .annotate(fin=finished_day, acc=accepted_day)
        .filter(fin__gte=date_from, fin__lte=date_to)
        .values("business_code", "decided_by", "acc", "fin")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(fin__lte=F("due_on"))),
        )
    )
    today = clock.today()
    overdue = list(
        Application.objects.filter(status__in=OPEN, due_on__lt=today)
        .values("business_code", "claimed_by")
        .annotate(n=Count("id"))
    )
    officer_ids = {r["decided_by"] for r in grouped} | {r["claimed_by"] for r in overdue}
    names = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(pk__in={i for i in officer_ids if i})
    }
    calendar = WorkingDays([d for r in grouped for d in (r["acc"], r["fin"])])

    def business_label(code: str) -> str:
        business = BUSINESSES.get(code)
        return f"{code} {business.name}" if business else code

    def officer_label(pk: int | None) -> str:
        return names.get(pk, "") if pk else str(_("(system, automatic)"))

    businesses: dict[Any, ComplianceRow] = {}
    officers: dict[Any, ComplianceRow] = {}
    total = ComplianceRow(None, str(_("All")))
    for r in grouped:
        days = calendar.between(r["acc"], r["fin"])
        rows = (
            businesses.setdefault(
                r["business_code"],
                ComplianceRow(r["business_code"], business_label(r["business_code"])),
            ),
            officers.setdefault(
                r["decided_by"], ComplianceRow(r["decided_by"], officer_label(r["decided_by"]))
            ),
            total,
        )
        for row in rows:
            row.on_time += r["on_time"]
            row.late += r["n"] - r["on_time"]
            row.days += [days] * r["n"]
    for r in overdue:
        businesses.setdefault(
            r["business_code"],
            ComplianceRow(r["business_code"], business_label(r["business_code"])),
        ).open_overdue += r["n"]
        if r["claimed_by"]:
            officers.setdefault(
                r["claimed_by"], ComplianceRow(r["claimed_by"], officer_label(r["claimed_by"]))
            ).open_overdue += r["n"]
        total.open_overdue += r["n"]
    return Compliance(
        by_business=sorted(businesses.values(), key=lambda row: str(row.key)),
        by_officer=sorted(officers.values(), key=lambda row: row.label),
        total=total,
    )


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
    "counter": _("moved to counter handling"),
    "delivery": _("delivery updated"),
}


def action_label(action: str) -> str:
    short = action.removeprefix("application.")
    return str(ACTIONS.get(short, short))


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
