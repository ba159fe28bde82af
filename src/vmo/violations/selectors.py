"""Reads of violations for citizens. One queryset decides what a person may see; every page
and action starts from it, so another person's record is a 404, never a hint."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Case, Q, QuerySet, When
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.payments import selectors as payment_selectors
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry

from . import rules
from .choices import DECISION_SUBJECT, FINE_PURPOSE, HandlingStatus, NominationStatus
from .models import DriverNomination, PenaltyDecision, VehicleBinding, Violation, ViolationCode
from .proxy_selectors import proxy_problems

# What a person may see is its own module; read from here like every other read.
from .visibility import (  # noqa: F401
    answers_for_owner,
    company_at_the_time,
    owner_at_the_time,
    owner_company_paths,
    owner_from,
    owner_person_paths,
    violations_visible_to,
    visible_violation_ids,
    with_reader_facts,
)

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Person


# --- What a person may do with a record -------------------------------------------------------


def violation_day(*, violation: Violation) -> date:
    return clock.local(violation.occurred_at).date()


def handler_role(*, violation: Violation, person: Person) -> str | None:
    """'owner', 'bound' (a binding made before the violation, W03) or None."""
    vehicle = violation.vehicle
    if vehicle is None:
        return None
    if owner_at_the_time(violation) == person.pk:
        return "owner"
    bound = VehicleBinding.objects.filter(
        person=person,
        vehicle=vehicle,
        ended_at__isnull=True,
        bound_at__lt=violation.occurred_at,
    ).exists()
    return "bound" if bound else None


def handling_problems(
    *, violation: Violation, licence: DriverLicence | None, points_now: int
) -> list[rules.Problem]:
    """The rule set of rules.py for this record and this licence, plus the checks on dates."""
    config = office_config()
    vehicle = violation.vehicle
    problems = rules.online_handling_problems(
        source=violation.source,
        code_online=violation.code.online_handleable,
        fine_fen=violation.fine_fen,
        points=violation.points,
        driver_points_now=points_now,
        licence_status=licence.status if licence else None,
        licence_valid_to=licence.valid_to if licence else None,
        licence_classes=licence.class_list if licence else [],
        vehicle_type=vehicle.vehicle_type if vehicle else "",
        today=clock.today(),
        fine_limit_fen=config.online_fine_limit_fen,
    )
    if licence is not None and violation_day(violation=violation) < licence.first_issue_date:
        problems.append(
            rules.Problem(
                "before_licence",
                _("The violation happened before your licence was first issued."),
            )
        )
    return problems


def decision_amount(*, decision: PenaltyDecision, on: date | None = None) -> rules.AmountDue:
    return rules.amount_due(
        fine_fen=decision.fine_fen, due=decision.payment_due, on=on or clock.today()
    )


def licences_starting_cycle(*, day: date) -> QuerySet[DriverLicence]:
    """Licences whose new cycle starts on `day` and that have points on record (set-based)."""
    anniversary = Q(first_issue_date__month=day.month, first_issue_date__day=day.day)
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        # A licence first issued on 29 February starts its cycles on the 28th in common years.
        anniversary |= Q(first_issue_date__month=2, first_issue_date__day=29)
    with_points = registry.points_entries().values("licence_id")
    return (
        registry.licences()
        .filter(anniversary, first_issue_date__lt=day, pk__in=with_points)
        .order_by("pk")
    )


@dataclass
class Row:
    violation: Violation
    role: str  # owner, bound, named, decided, company
    problems: list[rules.Problem] = field(default_factory=list)
    amount: rules.AmountDue | None = None

    @property
    def handled(self) -> bool:
        return self.violation.handling_status == HandlingStatus.HANDLED

    @property
    def decision(self) -> PenaltyDecision | None:
        return getattr(self.violation, "decision", None)

    @property
    def online_ok(self) -> bool:
        return not self.handled and not self.problems


def _role(violation: Any, person: Person) -> str:
    if owner_at_the_time(violation) == person.pk:
        return "owner"
    if violation.bound_before:
        return "bound"
    if violation.named_pending:
        return "named"
    if violation.for_company and not violation.decided_on_mine:
        return "company"
    return "decided"


def _assess(
    row: Row, *, licence: DriverLicence | None, points: dict[date, int], today: date
) -> None:
    violation = row.violation
    decision = row.decision
    if decision is not None and decision.paid_at is None and decision.fine_fen:
        row.amount = decision_amount(decision=decision, on=today)
    if row.handled or violation.handling_status != HandlingStatus.UNHANDLED:
        return
    if row.role in ("owner", "bound", "named"):
        now = 0
        if licence is not None:
            start = registry_rules.cycle_start(
                licence.first_issue_date, violation_day(violation=violation)
            )
            now = points.get(start, 0)
        row.problems = handling_problems(violation=violation, licence=licence, points_now=now)


# The records still to deal with first, then the rest; newest first within each.
LIST_ORDER = (
    Case(When(handling_status=HandlingStatus.UNHANDLED, then=0), default=1),
    "-occurred_at",
    "-pk",
)
LIST_PAGE_SIZE = 20


def _rows(person: Person, violations: Iterable[Violation]) -> list[Row]:
    licence = registry.licence_of(person)
    points = registry.points_by_cycle(licence)
    today = clock.today()
    rows = []
    for violation in violations:
        row = Row(violation=violation, role=_role(violation, person))
        _assess(row, licence=licence, points=points, today=today)
        rows.append(row)
    return rows


class AssessedRecords(Sequence[Any]):
    """The person's records (LIST_ORDER) as a sequence that a paginator (the page's or the
    API's) counts and slices: some vehicles have dozens of records and a few hundreds, so the
    count and the slice's ids are read on the bare records, and only the slice's rows are
    annotated, read and judged (`_rows`), each passed through ``each`` (the API's item)."""

    def __init__(self, person: Person, *, each: Callable[[Row], Any] | None = None) -> None:
        self.person = person
        self.each = each
        self.ids = (
            Violation.objects.filter(pk__in=visible_violation_ids(person))
            .exclude(handling_status=HandlingStatus.DELETED)
            .order_by(*LIST_ORDER)
            .values_list("pk", flat=True)
        )
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.ids.count()
        return self._count

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        chosen = list(self.ids[index])
        records = with_reader_facts(Violation.objects.filter(pk__in=chosen), self.person)
        rows = _rows(self.person, records.order_by(*LIST_ORDER))
        return [self.each(row) for row in rows] if self.each else rows


def violation_page(person: Person, number: str | int | None) -> Page:
    """One page of the person's records (LIST_ORDER), each row with whether it can be handled
    online and why not; a fixed number of queries whatever the number of records."""
    return Paginator(AssessedRecords(person), LIST_PAGE_SIZE).get_page(number)


@dataclass
class Detail:
    row: Row
    can_handle: bool
    can_nominate: bool
    can_pay: bool
    awaiting_driver: bool
    pending_nomination: DriverNomination | None
    order: Any


def violation_detail(user: Any, pk: int) -> Detail:
    """One record the user may see (Violation.DoesNotExist otherwise) and what they can do."""
    person = user.person
    violation = violations_visible_to(person).get(pk=pk)
    licence = registry.licence_of(person)
    row = Row(violation=violation, role=_role(violation, person))
    _assess(row, licence=licence, points=registry.points_by_cycle(licence), today=clock.today())
    decision = row.decision
    unhandled = violation.handling_status == HandlingStatus.UNHANDLED
    if unhandled and row.role in ("owner", "bound", "named"):
        row.problems += proxy_problems(person=person, vehicle=violation.vehicle)
    pending = (
        violation.nominations.filter(status=NominationStatus.PENDING)
        .select_related("driver", "nominated_by__person")
        .first()
        if getattr(violation, "awaiting_driver", False)  # annotated by violations_visible_to
        else None
    )
    # The same rule as services.fine_pay_start: the handler, the owner, or whoever acts for
    # the owning company today (for_company is annotated by that one rule), whatever role the
    # record shows first: a company's agent bound to its car sees it as "bound".
    answers_for_owner = row.role == "owner" or bool(getattr(violation, "for_company", False))
    may_pay = decision is not None and (
        decision.decided_by_id == user.pk
        or answers_for_owner
        or decision.licence.holder_id == user.person_id
    )
    order = None
    if decision is not None:
        order = payment_selectors.order_for_subject(
            subject_type=DECISION_SUBJECT,
            subject_id=str(decision.pk),
            purpose=FINE_PURPOSE,
        )
    return Detail(
        row=row,
        can_handle=unhandled and row.role in ("owner", "bound") and pending is None,
        can_nominate=unhandled and answers_for_owner and pending is None,
        can_pay=bool(may_pay and decision and decision.paid_at is None and decision.fine_fen),
        awaiting_driver=pending is not None,
        pending_nomination=pending,
        order=order,
    )


def decision_for(person: Person, pk: int) -> PenaltyDecision:
    """The decision of a record the person may see (DoesNotExist otherwise)."""
    violation = violations_visible_to(person).get(pk=pk)
    return PenaltyDecision.objects.select_related("violation__code", "licence__holder").get(
        violation=violation
    )


def may_read_decision(user: Any, decision: PenaltyDecision) -> bool:
    """The decision is for its handler, the licence holder and the vehicle's owner (for a
    company's vehicle, whoever acts for the company today) only: a driver who merely sees the
    record through a binding may not read the owner's decision."""
    violation = decision.violation
    owner = answers_for_owner(user.person_id, violation)
    return (
        decision.decided_by_id == user.pk or user.person_id == decision.licence.holder_id or owner
    )


def bindings_of(person: Person) -> QuerySet[VehicleBinding]:
    return (
        VehicleBinding.objects.filter(person=person)
        .select_related("vehicle")
        .prefetch_related(registry.active_plate_prefetch("vehicle__plates"))
        .order_by("ended_at", "-bound_at")
    )


def binding_of(person: Person, pk: int) -> VehicleBinding:
    """A binding the person is a party to: the driver or the owner."""
    return VehicleBinding.objects.select_related("vehicle").get(
        Q(person=person) | Q(vehicle__owner_person=person), pk=pk
    )


def nominations_for(person: Person) -> QuerySet[DriverNomination]:
    """Nominations naming the person, pending first."""
    return (
        DriverNomination.objects.filter(driver=person)
        .select_related("violation__code", "violation__vehicle", "nominated_by__person")
        .order_by("-status", "-created_at")
    )


def pending_nomination_for(person: Person, pk: int) -> DriverNomination:
    return DriverNomination.objects.select_related("violation").get(
        pk=pk, driver=person, status=NominationStatus.PENDING
    )


def has_unhandled(person: Person) -> bool:
    """Any record the person must still handle: on their vehicles, bound vehicles, as the named
    driver (R163 Art 25: learning to reduce points needs every one handled)."""
    return violations_visible_to(person).filter(handling_status=HandlingStatus.UNHANDLED).exists()


# --- Reads for other apps ----------------------------------------------------------------------
# Other apps read violations through these (never violations.models, see pyproject.toml).


def unhandled_of_vehicle(vehicle: Any) -> QuerySet[Violation]:
    """The vehicle's records not handled yet."""
    return Violation.objects.filter(vehicle=vehicle, handling_status=HandlingStatus.UNHANDLED)


def unhandled_of_owner(person: Person) -> QuerySet[Violation]:
    """Records not handled yet that the person answers for as their vehicle's owner (the owner
    when each was entered: a sale leaves the seller's records with the seller)."""
    parts: list[QuerySet[Any, Any]] = [
        Violation.objects.filter(q, **{f"{path}_id": person.pk}).values("pk").order_by()
        for q, path in owner_person_paths()
    ]
    kept, now = parts
    return Violation.objects.filter(
        pk__in=kept.union(now), handling_status=HandlingStatus.UNHANDLED
    )


def violation_get(*, pk: int) -> Violation | None:
    return Violation.objects.filter(pk=pk).first()


# Query sets for reads that filter, annotate or aggregate in ways only one caller needs (the
# published statistics, the warnings scans): the caller's SQL, violations' rows.


def violations() -> QuerySet[Violation]:
    return Violation.objects.all()


def penalty_decisions() -> QuerySet[PenaltyDecision]:
    return PenaltyDecision.objects.all()


def violation_codes() -> QuerySet[ViolationCode]:
    return ViolationCode.objects.all()
