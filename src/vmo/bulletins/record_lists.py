"""Announcements generated from the records: which records each kind lists, and how a row of
the list reads (masked). A record is listed once per kind: bulletins_run drafts only records
no earlier announcement of the kind holds, and an editor reviews the draft.

Status letters are the traffic-management system's (registry.choices). Thresholds that the law
does not fix are marked [U].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vmo.core import masking
from vmo.core.masking import mask_file_number
from vmo.registry import selectors as registry
from vmo.registry.choices import LicenceStatus, PlateStatus, VehicleStatus

from .choices import AnnouncementKind as A

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Plate, Vehicle

# Vehicles whose inspection is overdue this long are announced [U: the law announces the
# compulsory cancellation after 3 cycles (RI Art 16, R164 Art 78); one year of warning before it is
# the office's practice, not a rule].
LONG_OVERDUE_DAYS = 365


@dataclass(frozen=True)
class RecordList:
    kind: str
    subject_type: str
    candidates: Callable[[date], QuerySet[Any]]
    cells: Callable[[Any], list[str]]
    # The announcement's text: what the list means and its legal basis (Chinese is the office
    # language; the text is stored as written at generation time, in the reader's language).
    intro: Promise


def _letters(queryset: QuerySet[Any], *letters: LicenceStatus | VehicleStatus) -> QuerySet[Any]:
    return queryset.filter(registry.letters_q(*letters))


def _licences(today: date) -> QuerySet[DriverLicence]:
    return registry.licences().select_related("holder").order_by("pk")


def _vehicles(today: date) -> QuerySet[Vehicle]:
    return (
        registry.vehicles()
        .select_related("owner_person", "owner_company")
        .prefetch_related(registry.last_plate_prefetch())
        .order_by("pk")
    )


def _status_words(status: str, choices: type[LicenceStatus] | type[VehicleStatus]) -> str:
    """The status letters in words (the office's language at generation time)."""
    names = {value: str(label) for value, label in choices.choices}
    return "、".join(names.get(letter, letter) for letter in status)


def _licence_cells(licence: DriverLicence) -> list[str]:
    holder = licence.holder
    return [
        masking.mask_name(holder.name),
        masking.mask_id_number(holder.id_number),
        mask_file_number(licence.file_number),
        licence.classes,
        _status_words(licence.status, LicenceStatus),
    ]


def _licence_due_cells(licence: DriverLicence) -> list[str]:
    holder = licence.holder
    return [
        masking.mask_name(holder.name),
        masking.mask_id_number(holder.id_number),
        mask_file_number(licence.file_number),
        licence.valid_to.isoformat() if licence.valid_to else "",
        licence.verification_due.isoformat() if licence.verification_due else "",
        _status_words(licence.status, LicenceStatus),
    ]


def _owner(vehicle: Vehicle) -> str:
    # A company's name is public; a person's is masked.
    if vehicle.owner_company_id:
        return vehicle.owner_company.name if vehicle.owner_company else ""
    return masking.mask_name(vehicle.owner_person.name) if vehicle.owner_person else ""


def _vehicle_cells(vehicle: Vehicle) -> list[str]:
    return [
        registry.last_plate_label(vehicle),
        vehicle.get_vehicle_type_display(),
        _owner(vehicle),
        _status_words(vehicle.status, VehicleStatus),
    ]


def _overdue_cells(vehicle: Vehicle) -> list[str]:
    return [
        registry.last_plate_label(vehicle),
        vehicle.get_vehicle_type_display(),
        _owner(vehicle),
        vehicle.inspection_valid_until.isoformat(),
    ]


def _stolen_cells(vehicle: Vehicle) -> list[str]:
    return [
        registry.last_plate_label(vehicle),
        vehicle.get_vehicle_type_display(),
        f"{vehicle.brand} {vehicle.model_name}",
    ]


def _void_plates(today: date) -> QuerySet[Plate]:
    return (
        registry.plates()
        .filter(status=PlateStatus.VOID)
        .select_related("vehicle__owner_person", "vehicle__owner_company")
        .order_by("pk")
    )


def _plate_cells(plate: Plate) -> list[str]:
    vehicle = plate.vehicle
    return [
        plate.display,
        plate.get_plate_type_display(),
        vehicle.get_vehicle_type_display(),
        _owner(vehicle),
    ]


def _long_overdue(today: date) -> QuerySet[Vehicle]:
    cutoff = today - timedelta(days=LONG_OVERDUE_DAYS)
    return _letters(_vehicles(today), VehicleStatus.INSPECTION_OVERDUE).filter(
        inspection_valid_until__lt=cutoff
    )


LISTS: dict[str, RecordList] = {
    spec.kind: spec
    for spec in (
        RecordList(
            A.LICENCES_REVOKED,
            "registry.driverlicence",
            lambda today: _letters(_licences(today), LicenceStatus.REVOKED),
            _licence_cells,
            _(
                "The driver's licences below have been revoked under the Road Traffic Safety Law. "
                "They may no longer be used to drive; holders who have not returned them should "
                "hand them in at the service hall."
            ),
        ),
        RecordList(
            A.LICENCES_CANCELLED,
            "registry.driverlicence",
            lambda today: _letters(_licences(today), LicenceStatus.CANCELLED),
            _licence_cells,
            _(
                "The driver's licences below have been cancelled (R162 Art 79). Licences that "
                "were not returned are hereby declared void."
            ),
        ),
        RecordList(
            A.LICENCES_STOPPED,
            "registry.driverlicence",
            lambda today: _letters(_licences(today), LicenceStatus.STOPPED),
            _licence_cells,
            _(
                "The holders below did not attend full-score education within 30 days of the "
                "notice; their licences are stopped from use (R163 Art 29)."
            ),
        ),
        RecordList(
            A.LICENCES_TO_CANCEL,
            "registry.driverlicence",
            # Not those already revoked or cancelled: they are announced under their own kind.
            lambda today: _letters(
                _licences(today),
                LicenceStatus.RENEWAL_OVERDUE,
                LicenceStatus.VERIFICATION_OVERDUE,
            ).exclude(registry.letters_q(LicenceStatus.REVOKED, LicenceStatus.CANCELLED)),
            _licence_due_cells,
            _(
                "The renewal or verification of the driver's licences below is overdue. A licence "
                "not renewed within one year after its validity ends is cancelled (R162 Art 79): "
                "holders should renew or verify it at once, online or at the service hall."
            ),
        ),
        RecordList(
            A.VEHICLES_FORCIBLY_CANCELLED,
            "registry.vehicle",
            lambda today: _letters(_vehicles(today), VehicleStatus.FORCIBLY_CANCELLED),
            _vehicle_cells,
            _(
                "The registration of the vehicles below has been cancelled by the office "
                "(R164 Art 40); their registration certificates, plates and vehicle licences are "
                "void (R164 Art 41)."
            ),
        ),
        RecordList(
            A.VEHICLES_LONG_OVERDUE,
            "registry.vehicle",
            _long_overdue,
            _overdue_cells,
            _(
                "The vehicles below have not been inspected for more than a year after their "
                "inspection validity ended. A vehicle without an inspection sticker for three "
                "consecutive cycles reaches the compulsory scrapping standard and its registration "
                "is cancelled. Owners should have them inspected at once."
            ),
        ),
        RecordList(
            A.PLATES_VOID,
            "registry.plate",
            _void_plates,
            _plate_cells,
            _(
                "The plates below have been replaced, the vehicles' registration cancelled, or the "
                "vehicles reached the compulsory scrapping standard and their owners did not "
                "cancel the registration in time; the plates and their vehicle licences are "
                "declared void (R164 Arts 41, 52). A vehicle carrying them is driving without "
                "valid plates."
            ),
        ),
        RecordList(
            A.STOLEN_VEHICLES,
            "registry.vehicle",
            lambda today: _letters(_vehicles(today), VehicleStatus.STOLEN),
            _stolen_cells,
            _(
                "The vehicles below have been reported stolen or robbed; no business is handled "
                "for them (R164 Art 76). Anyone who sees one should call 110."
            ),
        ),
        RecordList(
            A.UNCLAIMED_VEHICLES,
            "registry.vehicle",
            # [U] The records hold no impound date: every detained (L) vehicle is listed once.
            lambda today: _letters(_vehicles(today), VehicleStatus.DETAINED),
            _vehicle_cells,
            _(
                "The vehicles below are detained by the traffic police and have not been claimed. "
                "Owners should come to the service hall with their identity document and the "
                "vehicle's papers; vehicles still unclaimed are dealt with according to law."
            ),
        ),
    )
}
