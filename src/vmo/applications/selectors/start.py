"""Before starting: the business, the person's vehicles and the business's conditions against
the records; the plate reservation a first registration starts from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vmo.catalog.businesses import BUSINESSES, Business
from vmo.catalog.spec import Condition, Facts
from vmo.core import clock
from vmo.registry import selectors as registry

from ..choices import IN_PROGRESS, PENDING_STATUSES
from ..models import Application

if TYPE_CHECKING:
    from vmo.registry.models import Vehicle

# ----- eligibility before starting -------------------------------------------------------------


class _Recording(Mapping[str, Any]):
    """Empty form answers that remember being read: a condition that reads them is about the
    answers, not the records, and can only be judged once the form is filled in."""

    def __init__(self) -> None:
        self.read = False

    def __getitem__(self, key: str) -> Any:
        self.read = True
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read = True
        return default

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass(frozen=True)
class ConditionResult:
    condition: Condition
    # True met, False not met, None: depends on the answers in the form.
    met: bool | None

    @property
    def message(self) -> str:
        if self.met is False:
            return str(self.condition.problem or self.condition.text)
        return str(self.condition.text)


def eligibility(business: Business, person: Any, vehicle: Any = None) -> list[ConditionResult]:
    """The business's conditions against the person's (and the vehicle's) records now."""
    licence = getattr(person, "licence", None) if person is not None else None
    results = []
    for condition in business.conditions:
        answers = _Recording()
        facts = Facts(
            today=clock.today(), person=person, licence=licence, vehicle=vehicle, data=answers
        )
        met = bool(condition.test(facts))
        results.append(ConditionResult(condition, None if answers.read else met))
    return results


def vehicles_of(person: Any) -> list[Vehicle]:
    """Vehicles the person owns or whose owning company they represent, with their plates."""
    return list(registry.vehicles_acted_for(person))


def vehicle_of(person: Any, vehicle_id: int | None) -> Vehicle | None:
    """One vehicle the person owns or whose owning company they represent, or None."""
    if person is None or not vehicle_id:
        return None
    return registry.vehicles_acted_for(person).filter(pk=vehicle_id).first()


def open_application(business_code: str, *, licence: Any, vehicle: Any) -> Application | None:
    """The open application of this business for this licence or vehicle, if any."""
    if licence is None and vehicle is None:
        return None
    rows = Application.objects.filter(business_code=business_code, status__in=IN_PROGRESS)
    rows = rows.filter(licence=licence) if licence is not None else rows.filter(vehicle=vehicle)
    return rows.first()


def applied_for(business_code: str, *, vehicle: Any) -> bool:
    """Whether an application of this business for the vehicle was submitted and is still with
    the office or sent back for correction (a draft is not yet an application)."""
    return Application.objects.filter(
        business_code=business_code, vehicle=vehicle, status__in=PENDING_STATUSES
    ).exists()


def other_open_applications(application: Application) -> list[Application]:
    """The other open applications on the same licence or vehicle, any business, locked."""
    rows = Application.objects.filter(status__in=IN_PROGRESS).exclude(pk=application.pk)
    if application.licence_id:
        rows = rows.filter(licence_id=application.licence_id)
    elif application.vehicle_id:
        rows = rows.filter(vehicle_id=application.vehicle_id)
    else:
        return []
    return list(rows.select_for_update(of=("self",)).select_related("person", "vehicle"))


def citizen_by_id_number(id_number: str) -> Any:
    """The active citizen account of the person with this ID number, or None."""
    from django.core.exceptions import ValidationError

    from vmo.accounts import selectors as account_selectors
    from vmo.registry.lookup import id_lookup_hash

    try:
        key = id_lookup_hash(id_number)
    except ValidationError:
        return None
    return (
        account_selectors.users()
        .filter(kind="citizen", is_active=True, person__id_hash=key)
        .first()
    )


def startable(code: str) -> Business | None:
    business = BUSINESSES.get((code or "").strip().upper())
    return business if business is not None and business.via_engine else None


def reservation_of(user: Any, pk: str) -> Any:
    """The user's active plate reservation with this id, or None (first registration starts
    from it)."""
    from vmo.plates.selectors import active_reservation_of

    if not pk.isdigit():
        return None
    return active_reservation_of(user=user, pk=int(pk))


def reservation_to_start(user: Any, pk: str) -> tuple[Any, list[Any]]:
    """What a first registration (V02) starts from: the reservation named in the link, else the
    applicant's one active reservation; with every active one when there are several and none
    is named, to choose from. The form is pre-filled from the reservation (VIN, model)."""
    from vmo.plates.selectors import active_reservations_of

    chosen = reservation_of(user, pk)
    if chosen is not None:
        return chosen, []
    held = active_reservations_of(user)
    if len(held) == 1:
        return held[0], []
    return None, held
