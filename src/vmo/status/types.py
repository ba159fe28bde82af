"""What a status read answers (`selectors.status_for_person`): the page and the API show these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .temporary import TemporaryPlateInfo


@dataclass(frozen=True)
class StatusWord:
    code: str
    name: str
    meaning: str
    what_to_do: str
    severity: str
    business_code: str = ""
    business_name: str = ""
    business_url: str = ""


@dataclass(frozen=True)
class NextStep:
    kind: str
    message: str
    severity: str
    business_code: str = ""
    business_name: str = ""
    business_url: str = ""
    due: date | None = None


@dataclass(frozen=True)
class LicenceClassInfo:
    code: str
    name: str


@dataclass
class LicenceInfo:
    number: str
    file_number: str
    classes: list[LicenceClassInfo]
    statuses: list[StatusWord]
    points: int
    points_limit: int
    cycle_start: date
    cycle_end: date
    first_issue_date: date
    valid_from: date
    valid_to: date | None
    long_term: bool
    days_to_expiry: int | None
    renewal_window_open: bool
    verification_due: date | None
    physical_due: date | None
    probation_until: date | None
    in_probation: bool
    renewal_deferred_until: date | None = None  # D04 (R162 Art 75)


@dataclass
class VehicleInfo:
    id: int
    plate: str
    brand: str
    model_name: str
    vehicle_type: str
    statuses: list[StatusWord]
    inspection_valid_until: date
    inspection_days_left: int
    inspection_window_open: bool
    inspection_overdue: bool
    insurance_valid_until: date | None
    insurance_days_left: int | None
    mortgaged: bool
    mortgagee: str
    unhandled_violations: int
    unhandled_fines_fen: int


@dataclass
class CompanyStatus:
    """A company the person acts for today, its vehicles and its applications in progress."""

    id: int
    name: str
    # The last day of the agent's authorisation; None for the legal representative.
    authorised_until: date | None
    vehicles: list[VehicleInfo]
    unhandled_violations: int
    unhandled_fines_fen: int
    pending_applications: int


@dataclass
class PersonStatus:
    name: str
    today: date
    licence: LicenceInfo | None
    vehicles: list[VehicleInfo]
    unhandled_violations: int
    unhandled_fines_fen: int
    pending_applications: int
    next_steps: list[NextStep] = field(default_factory=list)
    temporary_plates: list[TemporaryPlateInfo] = field(default_factory=list)
    companies: list[CompanyStatus] = field(default_factory=list)
