"""What a person may see of the violation records: one queryset, from which every page and
action of `selectors` starts, so another person's record is a 404, never a hint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When

from vmo.registry import selectors as registry

from .choices import HandlingStatus, NominationStatus
from .models import DriverNomination, PenaltyDecision, VehicleBinding, Violation

if TYPE_CHECKING:
    from vmo.registry.models import Person


def _no_owner_kept(prefix: str) -> Q:
    return Q(**{f"{prefix}owner_person__isnull": True, f"{prefix}owner_company__isnull": True})


def owner_person_paths(prefix: str = "") -> tuple[tuple[Q, str], ...]:
    """(filter, path to the person) for the two ways a record names the person who answers for
    it as its owner (RTSL Art 114): the owner when it was entered, kept on the record, or, for
    a record written without one, the vehicle's owner now. A row matches one pair at most; the
    filter and the values read with the path go in one `filter()` call. ``prefix`` reaches the
    record from another table ("violation__"). The one rule, for pages, services and scans."""
    return (
        (Q(**{f"{prefix}owner_person__isnull": False}), f"{prefix}owner_person"),
        (
            _no_owner_kept(prefix) & Q(**{f"{prefix}vehicle__owner_person__isnull": False}),
            f"{prefix}vehicle__owner_person",
        ),
    )


def owner_company_paths(prefix: str = "") -> tuple[tuple[Q, str], ...]:
    """The same for the company that answers for a record: kept on the record, or the
    vehicle's owning company now for a record written without an owner. A company's vehicle
    sold to a person leaves its records with the company."""
    return (
        (Q(**{f"{prefix}owner_company__isnull": False}), f"{prefix}owner_company"),
        (
            _no_owner_kept(prefix) & Q(**{f"{prefix}vehicle__owner_company__isnull": False}),
            f"{prefix}vehicle__owner_company",
        ),
    )


def owner_from(
    *, kept_person: int | None, kept_company: int | None, vehicle_person: int | None
) -> int | None:
    """`owner_person_paths`' rule on values read from a query (the record's kept owner person
    and company, its vehicle's owner person now)."""
    if kept_person is None and kept_company is None:
        return vehicle_person
    return kept_person


def owner_at_the_time(violation: Violation) -> int | None:
    """The person who answers for the record as its owner (`owner_person_paths`' rule)."""
    vehicle = violation.vehicle
    return owner_from(
        kept_person=violation.owner_person_id,
        kept_company=violation.owner_company_id,
        vehicle_person=vehicle.owner_person_id if vehicle is not None else None,
    )


def company_at_the_time(violation: Violation) -> int | None:
    """The company that answers for the record as its owner (`owner_company_paths`' rule)."""
    vehicle = violation.vehicle
    if violation.owner_person_id is None and violation.owner_company_id is None:
        return vehicle.owner_company_id if vehicle is not None else None
    return violation.owner_company_id


def answers_for_owner(person: Person | int | None, violation: Violation) -> bool:
    """The person answers for this record as its owner does (names the driver, pays, reads the
    decision): the owning person, or someone acting today for the owning company, at the time
    the record was entered. The one rule, so the detail page offers what the services accept."""
    person_id = person if person is None or isinstance(person, int) else person.pk
    if person_id is None:
        return False
    owner = owner_at_the_time(violation)
    if owner is not None:
        return owner == person_id
    return registry.acts_for(person_id, company_at_the_time(violation))


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
    """The ids of the records the person may see, as a union of indexed lookups: the records
    they answer for as owner (`owner_person_paths`) or for a company they act for
    (`owner_company_paths`), of vehicles bound to them from the binding on, nominations naming
    them and decisions on their licence. The cost follows the person's records, not the table:
    an OR of these in one WHERE made PostgreSQL join every violation with every vehicle."""
    # No ORDER BY in the parts of a UNION (the models' default ordering would add one).
    parts: list[QuerySet[Any, Any]] = [
        Violation.objects.filter(kept, **{f"{path}_id": person.pk}).values("pk").order_by()
        for kept, path in owner_person_paths()
    ]
    # The companies the person acts for today (legal representative, or an agent under a
    # current authorisation the office recorded): one part for each way and each path.
    for kept, path in owner_company_paths():
        for acting in registry.acting_paths(person, company_field=f"{path}_id"):
            parts.append(Violation.objects.filter(kept, acting).values("pk").order_by())
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
    return parts[0].union(*parts[1:], bound, named, decided)


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
            *(
                When(kept, **{f"{path}_id__in": registry.company_ids_acted_for(person)}, then=True)
                for kept, path in owner_company_paths()
            ),
            default=Value(False),
        ),
        decided_on_mine=Exists(
            PenaltyDecision.objects.filter(violation=OuterRef("pk"), licence__holder=person)
        ),
    ).select_related("code", "vehicle", "decision")
