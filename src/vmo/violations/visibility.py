"""What a person may see of the violation records: one queryset, from which every page and
action of `selectors` starts, so another person's record is a 404, never a hint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When

from vmo.registry import selectors as registry

from .choices import HandlingStatus, NominationStatus
from .models import DriverNomination, PenaltyDecision, VehicleBinding, Violation

if TYPE_CHECKING:
    from vmo.registry.models import Person


def owner_at_the_time(violation: Violation) -> int | None:
    """The person who owned the vehicle when the record was entered (kept on the record), or,
    for a record written without it, the vehicle's owner now: a sale does not hand the seller's
    records to the buyer."""
    if violation.owner_person_id is not None:
        return violation.owner_person_id
    return violation.vehicle.owner_person_id if violation.vehicle is not None else None


def answers_for_owner(person: Person | int | None, violation: Violation) -> bool:
    """The person answers for this record as its owner does (names the driver, pays, reads the
    decision): the owner when it was entered, kept on the record; for a record written without
    one (a company's vehicle), whoever answers for the vehicle's owner now. The one rule, so the
    detail page offers what the services accept."""
    person_id = person if person is None or isinstance(person, int) else person.pk
    if violation.owner_person_id is not None:
        return person_id is not None and violation.owner_person_id == person_id
    return registry.acts_for_owner_of(person_id, violation.vehicle)


def _bound_before(person: Person) -> Exists:
    return Exists(
        VehicleBinding.objects.filter(
            person=person,
            vehicle=OuterRef("vehicle"),
            ended_at__isnull=True,
            bound_at__lt=OuterRef("occurred_at"),
        )
    )


def _named(person: Person, statuses: list[str]) -> Exists:
    return Exists(
        DriverNomination.objects.filter(
            violation=OuterRef("pk"), driver=person, status__in=statuses
        )
    )


def visible_violation_ids(person: Person) -> QuerySet[Any]:
    """The ids of the records the person may see, as a union of seven indexed lookups (the
    records of their vehicles while theirs, vehicles bound to them from the binding on, nominations naming them,
    decisions on their licence, vehicles of the companies they act for), so the cost follows the person's records, not the table.
    An OR of these in one WHERE made PostgreSQL join every violation with every vehicle."""
    # No ORDER BY in the parts of a UNION (the models' default ordering would add one).
    # The owner when the record was entered (after a sale the seller's records stay theirs);
    # a record written without it follows the vehicle's owner now.
    owned: QuerySet[Any, Any] = (
        Violation.objects.filter(owner_person=person).values("pk").order_by()
    )
    owned_now: QuerySet[Any, Any] = (
        Violation.objects.filter(owner_person__isnull=True, vehicle__owner_person=person)
        .values("pk")
        .order_by()
    )
    bound: QuerySet[Any, Any] = (
        Violation.objects.filter(
            vehicle__bindings__person=person,
            vehicle__bindings__ended_at__isnull=True,
            occurred_at__gt=F("vehicle__bindings__bound_at"),
        )
        .values("pk")
        .order_by()
    )
    named: QuerySet[Any, Any] = (
        DriverNomination.objects.filter(
            driver=person, status__in=[NominationStatus.PENDING, NominationStatus.CONFIRMED]
        )
        .values("violation_id")
        .order_by()
    )
    decided: QuerySet[Any, Any] = (
        PenaltyDecision.objects.filter(licence__holder=person).values("violation_id").order_by()
    )
    # The vehicles of the companies the person acts for today (legal representative, or an
    # agent under a current authorisation the office recorded): one part for each way.
    legal, agent = registry.acting_paths(person, company_field="vehicle__owner_company_id")
    as_legal: QuerySet[Any, Any] = Violation.objects.filter(legal).values("pk").order_by()
    as_agent: QuerySet[Any, Any] = Violation.objects.filter(agent).values("pk").order_by()
    return owned.union(owned_now, bound, named, decided, as_legal, as_agent)


def violations_visible_to(person: Person) -> QuerySet[Violation]:
    """Records of the person's vehicles, of vehicles bound to them (from the binding on), those
    they were named the driver of, and those decided on their licence: one fetch by the ids of
    visible_violation_ids, the annotations computed for those rows only."""
    return with_reader_facts(
        Violation.objects.filter(pk__in=visible_violation_ids(person)).exclude(
            handling_status=HandlingStatus.DELETED
        ),
        person,
    )


def with_reader_facts(records: QuerySet[Violation], person: Person) -> QuerySet[Violation]:
    """The records with what the list and the detail say of them for this reader (bound before,
    named, awaiting the driver, a company's, decided on their licence); for records already
    known to be visible to them (a page's ids), without asking the union again."""
    return records.annotate(
        bound_before=_bound_before(person),
        named_pending=_named(person, [NominationStatus.PENDING]),
        named_any=_named(person, [NominationStatus.PENDING, NominationStatus.CONFIRMED]),
        awaiting_driver=Exists(
            DriverNomination.objects.filter(
                violation=OuterRef("pk"), status=NominationStatus.PENDING
            )
        ),
        for_company=Case(
            When(
                vehicle__owner_company_id__in=registry.company_ids_acted_for(person),
                then=Value(True),
            ),
            default=Value(False),
        ),
        decided_on_mine=Exists(
            PenaltyDecision.objects.filter(violation=OuterRef("pk"), licence__holder=person)
        ),
    ).select_related("code", "vehicle", "decision")
