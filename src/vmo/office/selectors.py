"""Reads of the officers' workbench. Every page's queries are here, bounded in number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vmo.accounts import selectors as account_selectors
from vmo.accounts.permissions import officer_can
from vmo.core import clock
from vmo.core import selectors as core_selectors
from vmo.core.masking import mask_id_number, mask_name
from vmo.registry import selectors as registry
from vmo.registry import validators
from vmo.registry.choices import LicenceStatus, PlateStatus, VehicleStatus
from vmo.registry.lookup import id_lookup_hash, phone_lookup_hash
from vmo.registry.selectors import points_in_cycle, status_labels
from vmo.violations import selectors as violation_selectors

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.core.models import DataAccess
    from vmo.registry.models import DriverLicence, Person, Plate, Vehicle
    from vmo.violations.models import Violation

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Tool:
    capability: str
    url_name: str
    title: Promise
    description: Promise

    @property
    def url(self) -> str:
        return reverse(self.url_name)


TOOLS: tuple[Tool, ...] = (
    Tool(
        "application.check",
        "applications_office:index",
        _("Online applications"),
        _("Queues by time limit: check, ask for corrections, decide, refuse, hand over documents."),
    ),
    Tool(
        "workbench.supervise",
        "applications_office:compliance",
        _("Time-limit compliance"),
        _("On time and late by business and officer, median working days, open overdue."),
    ),
    Tool(
        "person.view",
        "office:person_search",
        _("Find a person"),
        _("Search by ID number, phone or plate and view a person's records for a stated purpose."),
    ),
    Tool(
        "agents.authorise",
        "office_agents:home",
        _("Company agents"),
        _(
            "Record a company's authorisation of its agent, with the letter and its dates; revoke it."
        ),
    ),
    Tool(
        "audit.view",
        "office:access_log",
        _("Data-access log"),
        _("Who viewed which person's data, when and why."),
    ),
    Tool(
        "violations.view",
        "violations_office:violations",
        _("Violation records"),
        _("Search camera and on-site records; void a record entered in error, with the reason."),
    ),
    Tool(
        "violations.view",
        "violations_office:intake_batches",
        _("Camera-record intake"),
        _(
            "Each delivery from the monitoring systems: what was loaded and every refused row with its reason."
        ),
    ),
    Tool(
        "vehicles.scrap_void",
        "office:scrap_list",
        _("Compulsory scrapping"),
        _(
            "Vehicles three cycles uninspected whose owners did not cancel after the notice:"
            " declare their plates and vehicle licences void."
        ),
    ),
    Tool(
        "content.edit",
        "bulletins_office:index",
        _("Announcements and publications"),
        _(
            "Write announcements for a second editor to review; review drafts made from the records."
        ),
    ),
    Tool(
        "content.edit",
        "education_office:home",
        _("Lessons, courses and warnings"),
        _(
            "Maintain the study library and send regional warnings, each reviewed by a second editor."
        ),
    ),
    Tool(
        "education.onsite",
        "education_office:full_score_list",
        _("Full-score study at the site"),
        _(
            "Record each day a person studied on site; record falsified study, which voids what it earned."
        ),
    ),
    Tool(
        "content.edit",
        "catalog_office:manage",
        _("Regulation summaries"),
        _("Publish summaries of the regulations, each reviewed by a second editor."),
    ),
    Tool(
        "notices.view",
        "office_notices:catalogue",
        _("Notice catalogue"),
        _(
            "Every kind of notice with its trigger, texts and how many were sent; failed deliveries."
        ),
    ),
    Tool(
        "plates.manage",
        "plates_office:home",
        _("Plate-number pools"),
        _("Load number batches, withhold series, publish and reveal each day's draw seed."),
    ),
    Tool(
        "appointments.record",
        "appointments_office:sessions",
        _("Appointment sessions"),
        _("Sessions per site and day; publish sessions with a capacity; record results."),
    ),
    Tool(
        "organisations.manage",
        "checks_office:organisations",
        _("Checking organisations"),
        _(
            "Register insurers, rental firms, schools and employers; issue and revoke their API keys."
        ),
    ),
    Tool(
        "payments.reconcile",
        "payments:reconciliation",
        _("Payment reconciliation"),
        _(
            "Daily comparison with the payment gateways' statements, and the discrepancies to resolve."
        ),
    ),
)


def tools_for(user: Any) -> list[Tool]:
    return [tool for tool in TOOLS if officer_can(user, tool.capability)]


def persons_search(*, id_number: str = "", phone: str = "", plate: str = "") -> QuerySet[Person]:
    """Persons matching every criterion given (exact matches only, by keyed hash or plate)."""
    persons = registry.persons()
    if id_number:
        persons = persons.filter(id_hash=id_lookup_hash(id_number))
    if phone:
        persons = persons.filter(phone_hash=phone_lookup_hash(phone))
    if plate:
        persons = persons.filter(
            vehicles__plates__number=validators.normalise_plate(plate),
            vehicles__plates__status=PlateStatus.ACTIVE,
        )
    return persons.distinct().order_by("pk")[:SEARCH_LIMIT]


@dataclass(frozen=True)
class VehicleRow:
    vehicle: Vehicle
    plate: Plate | None
    statuses: list[tuple[str, str]]


@dataclass(frozen=True)
class PersonRecord:
    person: Person
    licence: DriverLicence | None
    licence_statuses: list[tuple[str, str]]
    points: int | None
    vehicles: list[VehicleRow]
    unhandled_violations: list[Violation]

    @property
    def unhandled_fines_fen(self) -> int:
        return sum(v.fine_fen for v in self.unhandled_violations)


def person_record(person_id: int) -> PersonRecord:
    """Everything the workbench shows about a person, in a fixed number of queries."""
    person = registry.persons().select_related("licence").get(pk=person_id)
    licence = getattr(person, "licence", None)
    vehicles = list(
        registry.vehicles()
        .filter(owner_person=person)
        .prefetch_related(registry.active_plate_prefetch())
        .order_by("registration_date", "pk")
    )
    violations = list(
        violation_selectors.unhandled_of_owner(person)
        .select_related("code")
        .order_by("-occurred_at")
    )
    return PersonRecord(
        person=person,
        licence=licence,
        licence_statuses=status_labels(licence.status, LicenceStatus) if licence else [],
        points=points_in_cycle(licence) if licence else None,
        vehicles=[
            VehicleRow(
                vehicle=v,
                plate=registry.active_plate(v),
                statuses=status_labels(v.status, VehicleStatus),
            )
            for v in vehicles
        ],
        unhandled_violations=violations,
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.OFFICE_TZ)


def data_access_log(
    *,
    officer_id: int | None = None,
    person_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[DataAccess]:
    """The data-access log, newest first; dates are office days, both ends included."""
    rows = core_selectors.data_accesses()
    if officer_id is not None:
        rows = rows.filter(officer_id=officer_id)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if date_from is not None:
        rows = rows.filter(accessed_at__gte=_day_start(date_from))
    if date_to is not None:
        rows = rows.filter(accessed_at__lt=_day_start(date_to + timedelta(days=1)))
    return rows.order_by("-accessed_at", "-id")


def persons_by_id(ids: set[int]) -> dict[int, Person]:
    return registry.persons().in_bulk(ids)


def person_id_by_id_number(id_number: str) -> int | None:
    return (
        registry.persons()
        .filter(id_hash=id_lookup_hash(id_number))
        .values_list("pk", flat=True)
        .first()
    )


def officers() -> QuerySet[User]:
    return account_selectors.officers()


# --- Company agents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorisationRow:
    pk: int
    name: str
    id_number: str
    valid_from: date
    valid_until: date
    state: str  # current, future, ended, revoked
    revoked_at: datetime | None


def _state(row: Any, today: date) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.valid_until < today:
        return "ended"
    return "future" if row.valid_from > today else "current"


def company_agents(company: Any) -> dict[str, Any]:
    """The company-agents page: who the company names, with whether each acts for it today,
    and every authorisation the office recorded; names and ID numbers masked. 2 queries."""
    today = clock.today()
    rows: list[AuthorisationRow] = []
    current: set[int] = set()
    for a in registry.authorisations_of(company):
        state = _state(a, today)
        if state == "current":
            current.add(a.person_id)
        rows.append(
            AuthorisationRow(
                pk=a.pk,
                name=mask_name(a.person.name),
                id_number=mask_id_number(a.person.id_number),
                valid_from=a.valid_from,
                valid_until=a.valid_until,
                state=state,
                revoked_at=a.revoked_at,
            )
        )
    named = [
        {
            "name": mask_name(rep.person.name),
            "id_number": mask_id_number(rep.person.id_number),
            "role": rep.get_role_display(),
            "acts": rep.role == "legal" or rep.person_id in current,
        }
        for rep in registry.named_agents_of(company)
    ]
    return {"company": company, "named": named, "authorisations": rows}


def verified_citizen(id_number: str) -> User | None:
    """The active citizen account linked to the person with this ID number: linked only once
    its identity was verified (accounts.services.identity), so an unverified one is None."""
    person = registry.person_by_id_number(id_number)
    if person is None:
        return None
    account = account_selectors.account_of_person(person_id=person.pk)
    if account is None or not account.is_citizen:
        return None
    return account
