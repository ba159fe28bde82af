"""Who acts for a company, today: the one rule every page, the API and every service use.

A person acts for a company as its legal representative (on the registry's record), or as an
agent whose authorisation the office recorded and which runs today: from its first day to its
last inclusive, not revoked. Being named an agent, an authorisation not begun, ended or revoked:
nothing of the company is visible or can be done for it. Read from `registry.selectors`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from vmo.core import clock

from .choices import CompanyRole
from .models import AgentAuthorisation, Company, CompanyRepresentative, Person, Vehicle


def _current(today: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}valid_from__lte": today,
            f"{prefix}valid_until__gte": today,
            f"{prefix}revoked_at__isnull": True,
        }
    )


def company_ids_acted_for(person: Person | int | None, *, on: date | None = None) -> QuerySet:
    """The ids of the companies the person acts for on the day (today by default), as a
    subquery (`owner_company_id__in=...`): it is evaluated with the query that uses it."""
    if person is None:
        return Company.objects.none().values("pk")
    person_id = person if isinstance(person, int) else person.pk
    today = on or clock.today()
    legal = CompanyRepresentative.objects.filter(
        person_id=person_id, role=CompanyRole.LEGAL_REPRESENTATIVE
    ).values("company_id")
    authorised = AgentAuthorisation.objects.filter(_current(today), person_id=person_id).values(
        "company_id"
    )
    return Company.objects.filter(Q(pk__in=legal) | Q(pk__in=authorised)).values("pk")


def authorised_until(person: Person) -> Subquery:
    """For a query of vehicles: the last day of the person's current authorisation for the
    vehicle's owning company (NULL for a legal representative and for a person's vehicle)."""
    return Subquery(
        AgentAuthorisation.objects.filter(
            _current(clock.today()), person=person, company_id=OuterRef("owner_company_id")
        )
        .order_by("-valid_until")
        .values("valid_until")[:1]
    )


def acting_paths(person: Person | int, *, company_field: str) -> tuple[Q, Q]:
    """The same rule as `company_ids_acted_for`, as two filters on a field holding a company
    id (e.g. "vehicle__owner_company_id"), one per way of acting for it. A large table
    (violations) unions one query per filter, each a semi-join on the person's few rows, where
    the planner cannot see through the combined subquery of company ids."""
    person_id = person if isinstance(person, int) else person.pk
    legal = CompanyRepresentative.objects.filter(
        person_id=person_id, role=CompanyRole.LEGAL_REPRESENTATIVE
    ).values("company_id")
    agent = AgentAuthorisation.objects.filter(_current(clock.today()), person_id=person_id)
    agent_ids = agent.values("company_id")
    return Q(**{f"{company_field}__in": legal}), Q(**{f"{company_field}__in": agent_ids})


def people_acting_paths(company_field: str, *, on: date) -> tuple[tuple[Q, str], ...]:
    """The same rule as `company_ids_acted_for`, read from the company's side: for a query on
    rows holding a company (e.g. "owner_company" of vehicles), one (filter, path to the person)
    pair per way of acting for it on the day. Each pair joins the company's few rows, so a scan
    reaches everyone who acts for each company it finds (its legal representative and its
    current agents) in one query per pair; the filter and the values read with the path must be
    in one `filter()` call so that they share the join. An empty field: a query on companies."""
    prefix = f"{company_field}__" if company_field else ""
    legal = f"{prefix}representatives"
    agent = f"{prefix}authorisations"
    return (
        (Q(**{f"{legal}__role": CompanyRole.LEGAL_REPRESENTATIVE}), f"{legal}__person"),
        (_current(on, prefix=f"{agent}__"), f"{agent}__person"),
    )


def people_acting_for(company_id: int, *, on: date | None = None) -> QuerySet[Person]:
    """Everyone who acts for the company on the day (today by default): whom a notice about
    one of its vehicles tells (the scans use `people_acting_paths`, the same rule)."""
    today = on or clock.today()
    legal = CompanyRepresentative.objects.filter(
        company_id=company_id, role=CompanyRole.LEGAL_REPRESENTATIVE
    ).values("person_id")
    agents = AgentAuthorisation.objects.filter(_current(today), company_id=company_id).values(
        "person_id"
    )
    return Person.objects.filter(Q(pk__in=legal) | Q(pk__in=agents)).order_by("pk")


def vehicle_ids_acted_for(person: Person) -> QuerySet:
    """The ids of the vehicles the person owns or whose company they act for today, as a union
    of three indexed lookups (owner, legal representative, agent), for `pk__in=`: an OR of
    these in one WHERE would read the whole vehicle table."""
    legal, agent = acting_paths(person, company_field="owner_company_id")
    own: QuerySet[Any, Any] = Vehicle.objects.filter(owner_person_id=person.pk).values("pk")
    as_legal: QuerySet[Any, Any] = Vehicle.objects.filter(legal).values("pk").order_by()
    as_agent: QuerySet[Any, Any] = Vehicle.objects.filter(agent).values("pk").order_by()
    return own.order_by().union(as_legal, as_agent)


def companies_acted_for(person: Person | None) -> QuerySet[Company]:
    return Company.objects.filter(pk__in=company_ids_acted_for(person)).order_by("name", "pk")


def acts_for(person: Person | int | None, company_id: int | None) -> bool:
    """The person acts for this company today (False for no company or no person)."""
    if person is None or company_id is None:
        return False
    return company_ids_acted_for(person).filter(pk=company_id).exists()


def represents_in_law(person: Person | int | None, company_id: int | None) -> bool:
    """The person is the company's legal representative on the registry's record: the company
    in person, for the businesses the law keeps from agents (R164 Art 86)."""
    if person is None or company_id is None:
        return False
    person_id = person if isinstance(person, int) else person.pk
    return CompanyRepresentative.objects.filter(
        person_id=person_id, company_id=company_id, role=CompanyRole.LEGAL_REPRESENTATIVE
    ).exists()


def current_authorisations_of(person: Person) -> QuerySet[AgentAuthorisation]:
    """The person's authorisations that run today, with their company: what /me/ names."""
    return (
        AgentAuthorisation.objects.filter(_current(clock.today()), person=person)
        .select_related("company")
        .order_by("company__name", "pk")
    )


def company_by_uscc(uscc: str) -> Company | None:
    return Company.objects.filter(uscc=uscc.strip().upper()).first()


def company_get(*, pk: int) -> Company:
    """Company.DoesNotExist when there is none."""
    return Company.objects.get(pk=pk)


def named_agents_of(company: Company) -> QuerySet[CompanyRepresentative]:
    """Everyone the company names, legal representative first, with their person."""
    return (
        CompanyRepresentative.objects.filter(company=company)
        .select_related("person")
        .order_by("-role", "pk")  # "legal" before "agent"
    )


def authorisations_of(company: Company) -> QuerySet[AgentAuthorisation]:
    """Every authorisation the office recorded for the company, latest first."""
    return AgentAuthorisation.objects.filter(company=company).select_related("person")


def authorisation_get(*, pk: int) -> AgentAuthorisation:
    """AgentAuthorisation.DoesNotExist when there is none."""
    return AgentAuthorisation.objects.select_related("company", "person").get(pk=pk)


def authorisation_is_current(authorisation: AgentAuthorisation, *, on: date | None = None) -> bool:
    today = on or clock.today()
    return (
        authorisation.revoked_at is None
        and authorisation.valid_from <= today <= authorisation.valid_until
    )


def vehicles_acted_for(person: Person) -> QuerySet[Vehicle]:
    """The vehicles the person owns or whose owning company they act for today, each with its
    active plate prefetched."""
    from .selectors import active_plate_prefetch

    return (
        Vehicle.objects.filter(pk__in=vehicle_ids_acted_for(person))
        .prefetch_related(active_plate_prefetch())
        .order_by("pk")
    )


def vehicle_acted_for(person: Person, *, pk: int | None) -> Vehicle | None:
    """One of `vehicles_acted_for`, or None (none asked, or not the person's)."""
    if not pk:
        return None
    return vehicles_acted_for(person).filter(pk=pk).first()
