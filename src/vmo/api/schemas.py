"""Input and output schemas of the API. Outputs mirror vmo.status.selectors.PersonStatus."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from vmo.accounts.choices import OfficerRole
from vmo.core import clock

from .formats import NAME_PATTERN, IdNumber, MobilePhone
from .inputs import In


class ErrorItem(Schema):
    field: str | None = Field(
        None, description="The input field at fault; null for the request as a whole."
    )
    code: str = Field(
        ..., description="A stable machine-readable code, e.g. missing, invalid, not_authenticated."
    )
    message: str = Field(
        ..., description="A human-readable message in the request's language (Accept-Language)."
    )


class ErrorOut(Schema):
    errors: list[ErrorItem]


class StatusWordOut(Schema):
    code: str = Field(..., description="The status letter of the traffic-management system.")
    name: str
    meaning: str
    what_to_do: str
    severity: str = Field(..., description="ok, warn or bad.")
    business_code: str = Field(..., description="The online business that resolves it, if any.")
    business_name: str
    business_url: str = Field(..., description="The public guide of that business.")


class NextStepOut(Schema):
    kind: str
    message: str
    severity: str
    business_code: str
    business_name: str
    business_url: str
    due: date | None


class LicenceClassOut(Schema):
    code: str
    name: str


class LicenceOut(Schema):
    number: str = Field(..., description="The licence number (the holder's ID number), masked.")
    file_number: str = Field(..., description="The file number, masked.")
    classes: list[LicenceClassOut]
    statuses: list[StatusWordOut]
    points: int = Field(..., description="Points in the current 12-month scoring cycle.")
    points_limit: int
    cycle_start: date
    cycle_end: date
    first_issue_date: date
    valid_from: date
    valid_to: date | None = Field(..., description="Null for a long-term licence.")
    long_term: bool
    days_to_expiry: int | None
    renewal_window_open: bool
    verification_due: date | None
    physical_due: date | None
    probation_until: date | None
    in_probation: bool
    renewal_deferred_until: date | None = Field(
        None, description="The end of a renewal deferral (R162 Art 75), while it lasts."
    )


class VehicleOut(Schema):
    id: int
    plate: str
    brand: str
    model_name: str
    vehicle_type: str
    statuses: list[StatusWordOut]
    inspection_valid_until: date
    inspection_days_left: int
    inspection_window_open: bool
    inspection_overdue: bool
    insurance_valid_until: date | None
    insurance_days_left: int | None
    mortgaged: bool
    mortgagee: str
    unhandled_violations: int
    unhandled_fines_fen: int = Field(
        ..., description="Total of unhandled fines, in fen (1/100 yuan)."
    )


class TemporaryPlateOut(Schema):
    number: str = Field(..., description="The temporary plate number, e.g. 新B·000123.")
    vin: str
    case: str = Field(
        ..., description="unsold, acquired, export, testing or oversize (R164 Art 46)."
    )
    case_name: str
    valid_from: date
    valid_to: date
    state: str = Field(..., description="upcoming, valid, expired or void.")
    state_name: str
    days_left: int


class CompanyStatusOut(Schema):
    id: int
    name: str
    authorised_until: date | None = Field(
        ...,
        description="The last day of your authorisation as the company's agent (null: you are"
        " its legal representative).",
    )
    vehicles: list[VehicleOut]
    unhandled_violations: int
    unhandled_fines_fen: int
    pending_applications: int = Field(
        ..., description="The company's applications in progress, whoever applied."
    )


class PersonStatusOut(Schema):
    name: str = Field(..., description="The holder's name, masked.")
    today: date
    licence: LicenceOut | None
    vehicles: list[VehicleOut] = Field(..., description="The vehicles in your own name.")
    unhandled_violations: int
    unhandled_fines_fen: int
    pending_applications: int
    next_steps: list[NextStepOut]
    temporary_plates: list[TemporaryPlateOut] = Field(
        ..., description="Temporary plates held, valid now, to come, or ended in the last 30 days."
    )
    companies: list[CompanyStatusOut] = Field(
        ...,
        description="The companies you act for today (as legal representative, or as an agent"
        " under an authorisation the office recorded) and their vehicles; empty otherwise.",
    )


class DataAccessOut(Schema):
    accessed_at: datetime = Field(..., description="When, in office time (Asia/Shanghai).")
    officer: str
    screen: str
    purpose: str

    @staticmethod
    def resolve_accessed_at(obj: object) -> datetime:
        return clock.local(obj.accessed_at)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_officer(obj: object) -> str:
        label, role = obj.officer_label, obj.officer_role  # type: ignore[attr-defined]
        return f"{label} ({OfficerRole(role).label})" if role in OfficerRole.values else str(label)

    @staticmethod
    def resolve_screen(obj: object) -> str:
        return str(obj.screen_label)  # type: ignore[attr-defined]


class TokenIn(In):
    identifier: str = Field(..., max_length=64, description="Mobile phone or ID number.")
    password: str = Field(..., max_length=128)
    name: str = Field(
        "API client", max_length=60, description="A label to recognise the token later."
    )


class TokenOut(Schema):
    token: str = Field(
        ..., description="Send it as 'Authorization: Bearer <token>'. Shown only once."
    )
    name: str
    expires_at: datetime


class SignupStartIn(In):
    name: str = Field(
        ...,
        min_length=2,
        max_length=30,
        pattern=NAME_PATTERN,
        description="As on the ID card: Chinese characters or letters, parts joined by ·.",
    )
    id_number: IdNumber
    phone: MobilePhone


class SignupStartOut(Schema):
    code_id: int = Field(..., description="Send it back with the code received by SMS.")
    expires_at: datetime


class SignupVerifyIn(In):
    code_id: int = Field(..., ge=1)
    code: str = Field(..., pattern=r"^[0-9]{6}$", description="The 6 digits sent by SMS.")
    password: str = Field(..., max_length=128)
    password_confirm: str = Field(..., max_length=128)
