"""Schemas of the citizens' violations API, and the presenters that fill them from the
selectors' rows. Presenters only translate and format: what may be done is the selectors' word."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Schema

from vmo.core import clock
from vmo.core.masking import mask_name
from vmo.core.money import format_fen
from vmo.violations.choices import HandlingStatus, NominationStatus, PaymentStatus, Source
from vmo.violations.rules import AmountDue, Problem
from vmo.violations.selectors import Detail, Row

from .formats import IdNumber, PlateNumber
from .inputs import In

if TYPE_CHECKING:
    from vmo.registry.models import Person
    from vmo.violations.models import DriverNomination, PenaltyDecision, VehicleBinding, Violation

# --- Output -------------------------------------------------------------------------------


class LabelOut(Schema):
    code: str = Field(..., description="A stable machine-readable value.")
    label: str = Field(..., description="The same in the request's language.")


class ViolationCodeOut(Schema):
    code: str = Field(..., description="The national violation code, e.g. 1625.")
    description: str = Field(..., description="In the request's language.")
    legal_basis: str


class ProblemOut(Schema):
    code: str = Field(..., description="e.g. not_camera, fine_limit, points, licence_class.")
    message: str = Field(..., description="Why the record cannot be handled online.")
    where: str = Field(..., description="Where to go instead.")


class OnlineHandlingOut(Schema):
    possible: bool = Field(
        ...,
        description="The record is still to be handled and passes every rule of online handling"
        " (for a named driver: on their own licence). What you yourself may do now is in the"
        " detail: can_handle, can_nominate.",
    )
    reasons: list[ProblemOut] = Field(
        ...,
        description="Every rule the record fails, when it is still to be handled; empty for a"
        " record that is already handled.",
    )


class AmountOut(Schema):
    fine_fen: int
    fine: str = Field(..., description="The fine, formatted: ¥200.00.")
    due: date = Field(..., description="The last day to pay without a late fee.")
    on: date = Field(..., description="The day this amount is for (today).")
    days_late: int
    per_day_fen: int = Field(..., description="3 % of the fine, added each day after the due date.")
    late_fee_fen: int
    late_fee: str
    capped: bool = Field(..., description="True when the late fee has reached the fine (its cap).")
    total_fen: int
    total: str
    calculation: str = Field(..., description="The working, in words.")


class DecisionOut(Schema):
    number: str = Field(..., description="The penalty decision number.")
    decided_at: datetime
    points: int
    fine_fen: int
    fine: str
    payment_due: date
    paid: bool
    paid_at: datetime | None
    paid_fen: int


class PendingNominationOut(Schema):
    id: int
    driver: str = Field(..., description="The named driver, masked.")
    created_at: datetime
    addressed_to_me: bool = Field(..., description="True when you are the named driver.")


class OrderOut(Schema):
    reference: str
    status: LabelOut
    amount_fen: int
    expires_at: datetime


class ViolationOut(Schema):
    id: int
    record_id: str
    plate_number: str
    occurred_at: datetime = Field(..., description="When, in office time (Asia/Shanghai).")
    place: str
    device: str
    source: LabelOut
    code: ViolationCodeOut
    points: int
    fine_fen: int = Field(..., description="The fine in fen (1/100 yuan).")
    fine: str = Field(..., description="The fine, formatted: ¥200.00.")
    speed_kmh: int | None
    limit_kmh: int | None
    evidence: list[str] = Field(..., description="References of the evidence images.")
    handling_status: LabelOut = Field(..., description="unhandled, handled, transferred, ...")
    payment_status: LabelOut = Field(..., description="unpaid, paid or not_due.")
    role: str = Field(
        ...,
        description="Why you see it: owner, bound (a vehicle bound to you), named (you were named"
        " the driver), decided (decided on your licence) or company (a vehicle of a company"
        " you act for under a current authorisation; seen, handled by its driver).",
    )
    online_handling: OnlineHandlingOut
    awaiting_driver: bool = Field(..., description="A named driver has not answered yet.")
    decision: DecisionOut | None
    amount_due: AmountOut | None = Field(..., description="What is owed today, if anything.")


class ViolationDetailOut(ViolationOut):
    can_handle: bool = Field(..., description="You may handle it yourself now.")
    can_nominate: bool = Field(
        ...,
        description="You may name the driver (the owner, or someone acting for the company that owns it).",
    )
    can_pay: bool
    pending_nomination: PendingNominationOut | None
    payment_order: OrderOut | None = Field(..., description="The fine's payment order, if any.")


class NominationOut(Schema):
    id: int
    status: LabelOut
    driver: str = Field(..., description="The named driver, masked.")
    created_at: datetime
    decided_at: datetime | None
    violation_id: int
    plate_number: str
    occurred_at: datetime
    place: str
    code: ViolationCodeOut
    points: int
    fine_fen: int
    fine: str


class HandleOut(Schema):
    decision: DecisionOut | None = Field(..., description="When you handled it yourself.")
    nomination: NominationOut | None = Field(
        ..., description="When you named a driver: it waits for their confirmation."
    )


class PaymentStartOut(Schema):
    payment_url: str = Field(..., description="Send the payer to this page of the gateway.")


class BindingOut(Schema):
    id: int
    plate_number: str
    vehicle: str = Field(..., description="Brand and model.")
    bound_at: datetime
    ended_at: datetime | None
    active: bool


class BindingCodeOut(Schema):
    plate_number: str
    expires_at: datetime = Field(..., description="The code sent to the owner is valid until then.")


# --- Input --------------------------------------------------------------------------------


class HandleIn(In):
    driver_id_number: IdNumber | None = Field(
        None,
        description="Leave out to handle the record on your own licence; give the driver's ID"
        " number and name to name them (they confirm from their own account).",
    )
    driver_name: str | None = Field(
        None,
        max_length=30,
        description="The named driver's name as on their ID card; required with"
        " `driver_id_number`.",
    )


class PayIn(In):
    return_url: str = Field(
        ...,
        max_length=400,
        description="A page of this site (absolute or a path) the payer comes back to.",
    )


class BindingCodeIn(In):
    plate_number: PlateNumber


class BindingIn(In):
    plate_number: PlateNumber
    owner_code: str = Field(
        ..., pattern=r"^[0-9]{6}$", description="The 6-digit code the owner received."
    )


# --- Presenters ---------------------------------------------------------------------------


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _label(choices: Any, value: Any) -> dict[str, str]:
    member = choices(value)
    return {"code": member.name.lower(), "label": str(member.label)}


def code_item(violation: Violation) -> dict[str, str]:
    code = violation.code
    return {
        "code": code.code,
        "description": code.description_en if _english() else code.description_zh,
        "legal_basis": code.legal_basis,
    }


def problem_item(problem: Problem) -> dict[str, str]:
    return {"code": problem.code, "message": str(problem.message), "where": str(problem.where)}


def amount_item(amount: AmountDue) -> dict[str, Any]:
    values = {
        "fine": format_fen(amount.fine_fen),
        "days": amount.days_late,
        "per_day": format_fen(amount.per_day_fen),
        "fee": format_fen(amount.late_fee_fen),
        "total": format_fen(amount.total_fen),
        "due": amount.due.isoformat(),
    }
    if not amount.overdue:
        calculation = _("Fine %(fine)s, no late fee if paid by %(due)s: %(total)s.") % values
    elif amount.capped:
        calculation = (
            _(
                "Fine %(fine)s + late fee %(fee)s (%(days)d days × %(per_day)s, capped at the"
                " fine) = %(total)s."
            )
            % values
        )
    else:
        calculation = (
            _("Fine %(fine)s + late fee %(days)d × %(per_day)s = %(fee)s, in all %(total)s.")
            % values
        )
    return {
        "fine_fen": amount.fine_fen,
        "fine": values["fine"],
        "due": amount.due,
        "on": amount.on,
        "days_late": amount.days_late,
        "per_day_fen": amount.per_day_fen,
        "late_fee_fen": amount.late_fee_fen,
        "late_fee": values["fee"],
        "capped": amount.capped,
        "total_fen": amount.total_fen,
        "total": values["total"],
        "calculation": calculation,
    }


def decision_item(decision: PenaltyDecision) -> dict[str, Any]:
    return {
        "number": decision.number,
        "decided_at": clock.local(decision.decided_at),
        "points": decision.points,
        "fine_fen": decision.fine_fen,
        "fine": format_fen(decision.fine_fen),
        "payment_due": decision.payment_due,
        "paid": decision.paid_at is not None,
        "paid_at": clock.local(decision.paid_at) if decision.paid_at else None,
        "paid_fen": decision.paid_fen,
    }


def violation_item(row: Row) -> dict[str, Any]:
    violation = row.violation
    return {
        "id": violation.pk,
        "record_id": violation.record_id,
        "plate_number": violation.plate_number,
        "occurred_at": clock.local(violation.occurred_at),
        "place": violation.place,
        "device": violation.device,
        "source": _label(Source, violation.source),
        "code": code_item(violation),
        "points": violation.points,
        "fine_fen": violation.fine_fen,
        "fine": format_fen(violation.fine_fen),
        "speed_kmh": violation.speed_kmh,
        "limit_kmh": violation.limit_kmh,
        "evidence": [str(ref) for ref in violation.evidence or []],
        "handling_status": _label(HandlingStatus, violation.handling_status),
        "payment_status": _label(PaymentStatus, violation.payment_status),
        "role": row.role,
        "online_handling": {
            "possible": row.online_ok,
            "reasons": [problem_item(p) for p in row.problems],
        },
        "awaiting_driver": bool(getattr(violation, "awaiting_driver", False)),
        "decision": decision_item(row.decision) if row.decision else None,
        "amount_due": amount_item(row.amount) if row.amount else None,
    }


def violation_detail_item(detail: Detail, *, person_id: int) -> dict[str, Any]:
    pending = detail.pending_nomination
    order = detail.order
    return {
        **violation_item(detail.row),
        "can_handle": detail.can_handle,
        "can_nominate": detail.can_nominate,
        "can_pay": detail.can_pay,
        "pending_nomination": None
        if pending is None
        else {
            "id": pending.pk,
            "driver": mask_name(pending.driver.name),
            "created_at": clock.local(pending.created_at),
            "addressed_to_me": pending.driver_id == person_id,
        },
        "payment_order": None
        if order is None
        else {
            "reference": order.reference,
            "status": {"code": order.status, "label": str(order.get_status_display())},
            "amount_fen": order.amount_fen,
            "expires_at": clock.local(order.expires_at),
        },
    }


def nomination_item(
    nomination: DriverNomination, *, driver: Person | None = None
) -> dict[str, Any]:
    """`driver` saves a query per row when the caller already knows who was named."""
    violation = nomination.violation
    return {
        "id": nomination.pk,
        "status": {
            "code": nomination.status,
            "label": str(NominationStatus(nomination.status).label),
        },
        "driver": mask_name((driver or nomination.driver).name),
        "created_at": clock.local(nomination.created_at),
        "decided_at": clock.local(nomination.decided_at) if nomination.decided_at else None,
        "violation_id": violation.pk,
        "plate_number": violation.plate_number,
        "occurred_at": clock.local(violation.occurred_at),
        "place": violation.place,
        "code": code_item(violation),
        "points": violation.points,
        "fine_fen": violation.fine_fen,
        "fine": format_fen(violation.fine_fen),
    }


def binding_item(binding: VehicleBinding, plate_number: str) -> dict[str, Any]:
    vehicle = binding.vehicle
    return {
        "id": binding.pk,
        "plate_number": plate_number,
        "vehicle": f"{vehicle.brand} {vehicle.model_name}".strip(),
        "bound_at": clock.local(binding.bound_at),
        "ended_at": clock.local(binding.ended_at) if binding.ended_at else None,
        "active": binding.ended_at is None,
    }
