"""Compulsory scrapping: the officers' worklist and their confirmation (R164 Art 41(1)).

A vehicle not inspected for three cycles after its validity ended has reached compulsory
scrapping (机动车强制报废标准规定 Art 4(4)); the daily scan tells its owner to apply for
cancellation (notices.notice_scans). When the owner has not cancelled within the period
(registry.scrap.CANCEL_PERIOD_DAYS from the day the notice was written), the vehicle is on the
worklist, and an officer's confirmation voids its plates and vehicle licence (status P), drafts
the office's announcement of the void plates for the editors, and tells the owner; one
transaction.

It lives in the workbench app because it joins three apps below it (registry, notices,
bulletins) that may not import each other upwards; the rules stay in registry.scrap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.applications import selectors as applications
from vmo.bulletins import services as bulletins
from vmo.bulletins.choices import AnnouncementKind
from vmo.core import clock
from vmo.notices import selectors as notice_selectors
from vmo.notices import services as notices
from vmo.notices.notice_scans import scrap_told_key
from vmo.registry import scrap
from vmo.registry import selectors as registry
from vmo.registry import services as registry_services
from vmo.registry.inspection import compulsory_scrap_from

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.bulletins.models import Announcement
    from vmo.registry.models import Person, Vehicle

VOID_KIND = "vehicle.scrap_void"
PERIOD_DAYS = scrap.CANCEL_PERIOD_DAYS
CANCELLATION = "V17"  # 注销登记, the owner's application (R164 Art 37(1)(1))


@dataclass(frozen=True)
class ScrapCase:
    vehicle: Vehicle
    plate: str
    reached_on: date  # the first day after the third missed cycle
    told_on: date  # the day the owner's notice was written
    may_void_from: date  # the day after the owner's period ends

    @property
    def last_cancel_day(self) -> date:
        return self.may_void_from - timedelta(days=1)

    def due(self, day: date) -> bool:
        return day >= self.may_void_from


def _cases(vehicles: list[Vehicle], day: date) -> list[ScrapCase]:
    reached = [v for v in vehicles if scrap.reached(v, day)]
    keys = {v.pk: scrap_told_key(v.pk, v.inspection_valid_until) for v in reached}
    # A company's vehicle is told to each person who acts for it: the first of those counts.
    companies = [keys[v.pk] for v in reached if v.owner_company_id is not None]
    told = notice_selectors.first_written(keys.values(), per_person=companies)
    cases = []
    for vehicle in reached:
        written = told.get(keys[vehicle.pk])
        if written is None:  # not told yet: the period has not started
            continue
        # The owner applied in time: the office decides that application instead.
        if applications.applied_for(CANCELLATION, vehicle=vehicle):
            continue
        told_on = clock.local(written).date()
        cases.append(
            ScrapCase(
                vehicle=vehicle,
                plate=registry.plate_label(vehicle),
                reached_on=compulsory_scrap_from(vehicle),
                told_on=told_on,
                may_void_from=scrap.may_void_from(told_on),
            )
        )
    return sorted(cases, key=lambda c: (c.may_void_from, c.vehicle.pk))


def scrap_worklist(day: date | None = None) -> list[ScrapCase]:
    """Every vehicle whose owner was told it reached compulsory scrapping and has not cancelled
    (no cancellation applied for or done, not inspected, transferred or voided): those due first, then those whose period
    is still running."""
    day = day or clock.today()
    vehicles = list(scrap.candidates(day).prefetch_related(registry.active_plate_prefetch()))
    return _cases(vehicles, day)


def scrap_case(*, vehicle_id: int, day: date | None = None) -> ScrapCase | None:
    """The worklist's case for one vehicle, or None when it is not on the worklist."""
    day = day or clock.today()
    vehicles = list(
        scrap.candidates(day)
        .filter(pk=vehicle_id)
        .prefetch_related(registry.active_plate_prefetch())
    )
    cases = _cases(vehicles, day)
    return cases[0] if cases else None


def _account_of(person: Person) -> Any:
    try:
        return person.account
    except ObjectDoesNotExist:
        return None


def _told_of_void(vehicle: Vehicle) -> list[tuple[Person, str]]:
    """Whom the void notice tells, each with the key part naming them: the owner, or everyone
    who acts for the owning company today (as the scans tell them)."""
    if vehicle.owner_person is not None:
        return [(vehicle.owner_person, "")]
    if vehicle.owner_company_id is None:
        return []
    people = registry.people_acting_for(vehicle.owner_company_id)
    return [(person, f":p{person.pk}") for person in people]


@transaction.atomic
def scrap_void_confirm(*, vehicle_id: int, actor: User) -> tuple[Vehicle, Announcement | None]:
    """The officer's confirmation: refused unless the case is on the worklist and the owner's
    period has ended today. Returns the vehicle and the drafted announcement of void plates."""
    day = clock.today()
    registry.vehicle_for_update(pk=vehicle_id)  # one confirmation at a time per vehicle
    case = scrap_case(vehicle_id=vehicle_id, day=day)
    if case is None:
        raise ValidationError(
            _(
                "This vehicle is not on the compulsory scrapping worklist: it has not reached it,"
                " its owner has not been told, or it was cancelled, inspected or already voided."
            ),
            code="not_on_worklist",
        )
    if not case.due(day):
        raise ValidationError(
            _(
                "The owner may still apply for cancellation until %(day)s: the certificates can"
                " be declared void from %(from)s."
            )
            % {
                "day": case.last_cancel_day.isoformat(),
                "from": case.may_void_from.isoformat(),
            },
            code="period_running",
        )
    vehicle = registry_services.vehicle_scrap_void(
        vehicle=case.vehicle,
        actor=actor,
        reason=(
            f"强制报废标准 Art 4(4), R164 Art 41(1): told {case.told_on.isoformat()},"
            f" not cancelled by {case.last_cancel_day.isoformat()}"
        ),
    )
    for person, whom in _told_of_void(vehicle):
        notices.notify(
            kind=VOID_KIND,
            context={"plate": case.plate, "date": day.isoformat()},
            dedup_key=f"{VOID_KIND}:{vehicle.pk}{whom}",
            user=_account_of(person),
            phone=person.phone or None,
            link="/me/",
        )
    drafts = bulletins.announcement_drafts_generate(day=day, kinds=[AnnouncementKind.PLATES_VOID])
    return vehicle, (drafts[0] if drafts else None)
