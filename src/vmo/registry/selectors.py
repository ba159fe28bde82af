"""Every read of the office's records that other apps need. Other apps read the registry through
this module and write it through `registry.services`; they never import `registry.models`
(an import-linter contract in pyproject.toml holds them to it).

**The plate of a vehicle**, one rule everywhere: the vehicle's one active plate (the database
allows at most one, `one_active_plate_per_vehicle`), in its display form ``京·A12345``. A vehicle
without an active plate (cancelled, plates void, not yet plated) is named by its VIN, so a
person reading a page or a notice can always tell which vehicle is meant. `active_plate` gives
the row itself; lists prefetch it with `active_plate_prefetch` so each vehicle costs no query.

**Status letters** are named in `registry.choices` (`LicenceStatus`, `VehicleStatus`): the same
letter means different things on a licence and on a vehicle ("G" is a cancelled licence but a
vehicle with violations not handled), so code names the letter, never writes it bare. The
groups below name the sets several apps test for.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum

from vmo.core import clock
from vmo.core.plates import plate_text

from . import rules
from .choices import LicenceStatus, PlateStatus, VehicleStatus, status_labels
from .company_selectors import (
    acting_paths,
    acts_for,
    authorisation_get,
    authorisation_is_current,
    authorisations_of,
    authorised_until,
    companies_acted_for,
    company_by_uscc,
    company_get,
    company_ids_acted_for,
    current_authorisations_of,
    named_agents_of,
    people_acting_for,
    people_acting_paths,
    represents_in_law,
    vehicle_acted_for,
    vehicle_ids_acted_for,
    vehicles_acted_for,
)
from .deferrals import renewal_deferral_in_force_q
from .full_score_selectors import (
    cycle_points_accumulated,
    full_score_episode,
    full_score_latest,
    full_scores_since,
    licence_full_score_cycles,
)
from .lookup import id_lookup_hash, phone_lookup_hash
from .models import (
    DriverLicence,
    Person,
    Plate,
    PointsEntry,
    TemporaryPlate,
    Vehicle,
)

__all__ = [
    "LICENCE_CANCELLED",
    "LICENCE_GONE",
    "VEHICLE_CANCELLED",
    "VEHICLE_GONE",
    "LicenceStatus",
    "VehicleStatus",
    "active_plate",
    "active_plate_prefetch",
    "acting_paths",
    "acts_for",
    "authorisation_get",
    "authorisation_is_current",
    "authorisations_of",
    "authorised_until",
    "companies_acted_for",
    "company_by_uscc",
    "company_get",
    "company_ids_acted_for",
    "current_authorisations_of",
    "cycle_points_accumulated",
    "full_score_episode",
    "full_score_latest",
    "full_scores_since",
    "has_letter",
    "id_lookup_hash",
    "letters_q",
    "licence_full_score_cycles",
    "named_agents_of",
    "people_acting_for",
    "people_acting_paths",
    "renewal_deferral_in_force_q",
    "phone_lookup_hash",
    "plate_label",
    "represents_in_law",
    "status_labels",
    "vehicle_acted_for",
    "vehicle_ids_acted_for",
    "vehicles_acted_for",
]

# --- Status letters by name (status_labels, in choices.py, names each) -----------------------

# A licence that no longer lets anyone drive and will not come back by itself.
LICENCE_CANCELLED = frozenset(
    {LicenceStatus.ANNULLED, LicenceStatus.REVOKED, LicenceStatus.CANCELLED}
)
# Licences that no longer concern this office's reminders: the cancelled ones and those
# transferred out.
LICENCE_GONE = LICENCE_CANCELLED | {LicenceStatus.TRANSFERRED_OUT}
# A vehicle whose registration is cancelled (by the owner or compulsorily).
VEHICLE_CANCELLED = frozenset({VehicleStatus.CANCELLED, VehicleStatus.FORCIBLY_CANCELLED})
# Vehicles that no longer concern this office's reminders: cancelled, transferred out, or past
# the scrapping age (certificates void).
VEHICLE_GONE = VEHICLE_CANCELLED | {VehicleStatus.TRANSFERRED_OUT, VehicleStatus.SCRAP_VOID}


def has_letter(letters: str, letter: LicenceStatus | VehicleStatus) -> bool:
    """Whether a status (or flags) string holds the named letter."""
    return str(letter) in letters


def letters_q(*letters: LicenceStatus | VehicleStatus, field: str = "status") -> Q:
    """Rows whose status (or flags, or a related row's: ``field="licence__status"``) holds any
    of the named letters. Negate it to exclude them."""
    q = Q()
    for letter in letters:
        q |= Q(**{f"{field}__contains": str(letter)})
    return q


# --- Plates -----------------------------------------------------------------------------------

ACTIVE_PLATES_ATTR = "active_plates"
ALL_PLATES_ATTR = "plates_newest_first"


def active_plates() -> QuerySet[Plate]:
    return Plate.objects.filter(status=PlateStatus.ACTIVE)


def active_plate_prefetch(lookup: str = "plates") -> Prefetch[Any]:
    """Prefetch the active plate of each vehicle of a list (``"vehicle__plates"`` from a row
    that points at a vehicle); `active_plate` and `plate_label` then read it without a query."""
    return Prefetch(lookup, queryset=active_plates(), to_attr=ACTIVE_PLATES_ATTR)


def active_plate(vehicle: Vehicle | None) -> Plate | None:
    """The plate the vehicle carries now, or None (see the module's rule)."""
    if vehicle is None:
        return None
    prefetched = getattr(vehicle, ACTIVE_PLATES_ATTR, None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return active_plates().filter(vehicle=vehicle).first()


def plate_label(vehicle: Vehicle | None) -> str:
    """How pages and notices name a vehicle: its active plate (``京·A12345``), else its VIN."""
    if vehicle is None:
        return ""
    plate = active_plate(vehicle)
    return plate.display if plate else vehicle.vin


def last_plate_prefetch() -> Prefetch[Any]:
    """Prefetch every plate of each vehicle, newest first, for `last_plate_label`."""
    return Prefetch(
        "plates", queryset=Plate.objects.order_by("-issued_on", "-pk"), to_attr=ALL_PLATES_ATTR
    )


def last_plate_label(vehicle: Vehicle) -> str:
    """The plate the vehicle carries or last carried, even void (the published lists of
    cancelled vehicles name them by it), else its VIN. Needs `last_plate_prefetch`."""
    plates = getattr(vehicle, ALL_PLATES_ATTR)
    return plates[0].display if plates else vehicle.vin


def plate_labels(vehicle_ids: list[int]) -> dict[int, str]:
    """`plate_label` of many vehicles by id, in two queries whatever their number."""
    labels = {p.vehicle_id: p.display for p in active_plates().filter(vehicle_id__in=vehicle_ids)}
    missing = set(vehicle_ids) - set(labels)
    if missing:
        labels.update(Vehicle.objects.filter(pk__in=missing).values_list("pk", "vin"))
    return labels


def plate_display(number: str) -> str:
    """The display form of a bare plate number read from a query (``京A12345`` → ``京·A12345``)."""
    return plate_text(number)


def vehicle_by_plate(number: str) -> Vehicle | None:
    """The vehicle carrying this plate number now."""
    plate = active_plates().filter(number=number).select_related("vehicle").first()
    return plate.vehicle if plate else None


def plate_in_use(number: str) -> bool:
    return active_plates().filter(number=number).exists()


def plate_numbers_in_use(numbers: list[str]) -> set[str]:
    """Which of these numbers an active plate carries (the caller keeps the list short enough
    for one query)."""
    return set(active_plates().filter(number__in=numbers).values_list("number", flat=True))


# --- Persons, licences, vehicles ------------------------------------------------------------


def person_by_id_number(id_number: str) -> Person | None:
    return Person.objects.filter(id_hash=id_lookup_hash(id_number)).first()


def person_by_id_hash(id_hash: str) -> Person | None:
    """The person whose ID number has this `id_lookup_hash` (a hash kept elsewhere, such as an
    identity claim's), or None."""
    return Person.objects.filter(id_hash=id_hash).first()


def person_get(*, pk: int) -> Person:
    """Person.DoesNotExist when there is none."""
    return Person.objects.get(pk=pk)


def licence_of(person: Person | int | None, *, for_update: bool = False) -> DriverLicence | None:
    """The driver's licence of the person (or the person's id), or None; `for_update` locks it
    for the caller's transaction."""
    person_id = person if person is None or isinstance(person, int) else person.pk
    if person_id is None:
        return None
    rows = DriverLicence.objects.select_for_update() if for_update else DriverLicence.objects
    return rows.filter(holder_id=person_id).first()


def licence_of_loaded(person: Person) -> DriverLicence | None:
    """The person's licence as loaded with the person (the signed-in user is read with person
    and licence in one query, `accounts.backends`), else read now. For reads only: a service
    that changes the licence reads it with `licence_of(for_update=True)`."""
    descriptor: Any = Person.licence
    if person.pk is not None and descriptor.is_cached(person):
        return descriptor.related.get_cached_value(person)
    return licence_of(person)


def has_licence(person: Person) -> bool:
    return DriverLicence.objects.filter(holder=person).exists()


def vehicles_of(person: Person) -> QuerySet[Vehicle]:
    """The vehicles the person owns (not their companies'), oldest registration first, each
    with its active plate prefetched."""
    return (
        Vehicle.objects.filter(owner_person=person)
        .prefetch_related(active_plate_prefetch())
        .order_by("registration_date", "pk")
    )


def vehicle_get(*, pk: int) -> Vehicle:
    """Vehicle.DoesNotExist when there is none."""
    return Vehicle.objects.get(pk=pk)


def vehicle_by_vin(vin: str) -> Vehicle | None:
    return Vehicle.objects.filter(vin=vin).first()


def vin_registered(vin: str) -> bool:
    return Vehicle.objects.filter(vin=vin).exists()


def temporary_plates_held(person: Person, *, since: date) -> QuerySet[TemporaryPlate]:
    """The person's temporary plates valid on or after ``since``, newest first, each with
    ``registered_on`` (the day its VIN was registered, or None): one query."""
    from django.db.models import OuterRef, Subquery

    registered = Vehicle.objects.filter(vin=OuterRef("vin")).values("registration_date")[:1]
    return TemporaryPlate.objects.filter(holder_person=person, valid_to__gte=since).annotate(
        registered_on=Subquery(registered)
    )


# Query sets for the reads that filter, annotate or aggregate in ways only one caller needs:
# they keep the query in the caller's SQL while the registry owns which rows are meant.


def persons() -> QuerySet[Person]:
    return Person.objects.all()


def licences() -> QuerySet[DriverLicence]:
    return DriverLicence.objects.all()


def vehicles() -> QuerySet[Vehicle]:
    return Vehicle.objects.all()


def plates() -> QuerySet[Plate]:
    return Plate.objects.all()


def points_entries() -> QuerySet[PointsEntry]:
    return PointsEntry.objects.all()


# --- Rows locked for a write in the caller's transaction ----------------------------------------


def licence_for_update(*, pk: int) -> DriverLicence:
    return DriverLicence.objects.select_for_update().get(pk=pk)


def vehicle_for_update(*, pk: int) -> Vehicle:
    return Vehicle.objects.select_for_update().get(pk=pk)


def person_for_update(*, pk: int) -> Person:
    return Person.objects.select_for_update().get(pk=pk)


# --- Points -----------------------------------------------------------------------------------


def points_in_cycle(licence: DriverLicence, *, on: date | None = None) -> int:
    """Points of the scoring cycle containing `on` (today by default)."""
    start = rules.cycle_start(licence.first_issue_date, on or clock.today())
    total = PointsEntry.objects.filter(licence=licence, cycle_start=start).aggregate(
        total=Sum("points")
    )["total"]
    return int(total or 0)


def points_by_cycle(licence: DriverLicence | None) -> dict[date, int]:
    """Points of every scoring cycle of the licence, by cycle start: one query."""
    if licence is None:
        return {}
    rows = (
        PointsEntry.objects.filter(licence=licence)
        .values("cycle_start")
        .annotate(total=Sum("points"))
        .values_list("cycle_start", "total")
    )
    return {start: int(total or 0) for start, total in rows}


def lookup_hashes_mismatched(*, sample: int = 200) -> int:
    """How many of the newest people's stored lookup hashes differ from the ones this copy's
    VMO_PII_HASH_KEY computes: a restored copy with another hash key finds nobody by ID number
    or phone, so nobody can sign in (docs/operations.md, Backups)."""
    wrong = 0
    for person in Person.objects.order_by("-pk")[:sample]:
        if (
            person.id_hash != id_lookup_hash(person.id_number)
            or person.phone
            and person.phone_hash != phone_lookup_hash(person.phone)
        ):
            wrong += 1
    return wrong
