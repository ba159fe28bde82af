"""Schemas of the citizens' applications API, and the presenters that fill them from the
engine's selectors. Presenters only translate and format: what may be done is permissions.py's
word (``actions``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema
from pydantic import ConfigDict

from vmo.applications import selectors
from vmo.catalog.businesses import BUSINESSES
from vmo.catalog.spec import Subject
from vmo.core import clock
from vmo.registry.selectors import plate_label

from .inputs import In

if TYPE_CHECKING:
    from vmo.applications.models import Application

# ----- schemas -------------------------------------------------------------------------------


class ApplicationOut(Schema):
    reference: str
    business_code: str
    business_name: str = Field(..., description="In the request's language.")
    status: str = Field(
        ...,
        description="draft, submitted, correction, resubmitted, review, approved, completed,"
        " refused, withdrawn or closed (no longer needed).",
    )
    status_label: str
    next_step: str = Field(..., description="What the applicant does next, in words.")
    plate_number: str = Field(..., description="The vehicle's plate, for a vehicle business.")
    company: str = Field(
        ...,
        description="The owning company of the vehicle, for a company's application (seen by"
        " everyone who acts for the company today); empty otherwise.",
    )
    created_at: datetime
    due_on: date | None = Field(None, description="The decision is due by this day.")
    url: str = Field(..., description="This application in the API.")


class FieldOut(Schema):
    name: str
    label: str
    kind: str = Field(..., description="text, date, choice or phone.")
    required: bool
    help: str
    choices: list[dict[str, str]] = Field(..., description="[{value, label}] for a choice.")
    value: str


class FileOut(Schema):
    id: int
    version: int
    content_type: str
    size: int
    issued_on: date | None
    uploaded_at: datetime
    url: str = Field(..., description="Download it (GET, same authentication).")


class MaterialOut(Schema):
    code: str
    name: str
    description: str
    example: str
    required: bool
    accepted: list[str] = Field(..., description="image and/or pdf.")
    max_bytes: int
    min_pixels: list[int] | None = Field(None, description="[width, height] of a photo.")
    issued_within_months: int | None = Field(
        None, description="A dated certificate: give `issued_on` with the upload."
    )
    current: FileOut | None


class CorrectionOut(Schema):
    round: int
    item: str = Field(..., description="material:<code>, field:<name> or condition:<code>.")
    message: str
    basis: str = Field(..., description="The legal basis, in Chinese.")


class RefusalOut(Schema):
    reason: str
    basis: str


class DocumentOut(Schema):
    id: int
    kind: str
    url: str


class DeliveryOut(Schema):
    method: str = Field(..., description="pickup or mail.")
    recipient: str
    phone: str
    address: str
    status: str = Field(..., description="preparing, ready, mailed, delivered or collected.")
    status_label: str
    tracking_number: str


class FeeOut(Schema):
    amount_fen: int
    paid_at: datetime | None
    payable: bool = Field(..., description="Accepted and not yet paid: POST …/fee to pay.")


class TimelineOut(Schema):
    at: datetime
    what: str
    who: str


class ApplicationDetailOut(ApplicationOut):
    fields: list[FieldOut]
    materials: list[MaterialOut]
    corrections: list[CorrectionOut] = Field(
        ..., description="The latest one-time notice: every item, each with its basis."
    )
    refusal_reasons: list[RefusalOut]
    documents: list[DocumentOut]
    delivery: DeliveryOut | None
    fee: FeeOut
    counter_reason: str = Field(..., description="Why it must be completed at the hall.")
    editable: bool
    withdrawable: bool
    actions: list[str] = Field(
        ...,
        description="What you may do now: edit, submit, withdraw, pay, confirm. The same rule"
        " decides whether the request is accepted.",
    )
    history: list[TimelineOut]


_STARTABLE = sorted(b.code for b in BUSINESSES.values() if b.via_engine)
_FOR_A_VEHICLE = sorted(
    b.code for b in BUSINESSES.values() if b.via_engine and b.subject == Subject.VEHICLE
)


class StartIn(In):
    """`idempotency_key` is required unless the Idempotency-Key header carries it; a vehicle
    business needs `vehicle_id`."""

    model_config = ConfigDict(
        json_schema_extra={
            "required": ["business_code", "idempotency_key"],
            "if": {"properties": {"business_code": {"enum": [*_FOR_A_VEHICLE]}}},
            "then": {"required": ["vehicle_id"], "properties": {"vehicle_id": {"type": "integer"}}},
        }
    )

    business_code: Literal[tuple(_STARTABLE)] = Field(  # type: ignore[valid-type]
        ..., description="The business's code in the service guide.", examples=["D02"]
    )
    vehicle_id: int | None = Field(None, description="For a vehicle business: one of yours.")
    # Not nullable in the schema: left out (the header then) or a key.
    idempotency_key: str = Field(  # type: ignore[assignment]
        None,
        pattern=r"^[!-~]{16,64}$",  # printable ASCII without spaces
        description="Or the Idempotency-Key header. The same key returns the same draft.",
    )


class DeliveryIn(In):
    method: str = Field(..., description="pickup or mail.")
    recipient: str = ""
    phone: str = ""
    address: str = ""


class UpdateIn(In):
    data: dict[str, str] = Field(default_factory=dict, description="Answers by field name.")
    delivery: DeliveryIn | None = None


class FeeIn(In):
    return_url: str = Field(
        "", description="A page of this site to come back to after paying (default: the page)."
    )


class FeeOrderOut(Schema):
    order_reference: str
    amount_fen: int
    status: str
    paid: bool
    payment_url: str = Field(..., description="Open in a browser to pay; empty when paid.")


# ----- presenters ----------------------------------------------------------------------------


def url_of(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


def summary(request: HttpRequest, application: Application) -> dict[str, Any]:
    step = selectors.next_step(application)
    return {
        "reference": application.reference,
        "business_code": application.business_code,
        "business_name": str(application.business.name),
        "status": application.status,
        "status_label": step.status_label,
        "next_step": step.next_step,
        "plate_number": plate_label(application.vehicle),
        "company": application.company.name if application.company else "",
        "created_at": clock.local(application.created_at),
        "due_on": application.due_on,
        "url": url_of(request, "application_detail", application.reference),
    }


def detail(request: HttpRequest, application: Application) -> dict[str, Any]:
    page = selectors.page_for(application, user=request.auth)  # type: ignore[attr-defined]
    data = application.data
    ref = application.reference
    delivery = page.delivery
    return {
        **summary(request, application),
        "fields": [
            {
                "name": f.name,
                "label": str(f.label),
                "kind": str(f.kind),
                "required": f.required,
                "help": str(f.help),
                "choices": [{"value": v, "label": str(label)} for v, label in f.choices],
                "value": str(data.get(f.name, "")),
            }
            for f in page.business.fields
        ],
        "materials": [
            {
                "code": row.material.code,
                "name": str(row.material.name),
                "description": str(row.material.description),
                "example": str(row.material.example),
                "required": row.material.required,
                "accepted": [str(k) for k in row.material.kinds],
                "max_bytes": row.material.max_bytes,
                "min_pixels": list(row.material.min_pixels) if row.material.min_pixels else None,
                "issued_within_months": row.material.issued_within_months,
                "current": {
                    "id": row.current.pk,
                    "version": row.current.version,
                    "content_type": row.current.content_type,
                    "size": row.current.size,
                    "issued_on": row.current.issued_on,
                    "uploaded_at": clock.local(row.current.uploaded_at),
                    "url": url_of(request, "application_file", ref, row.current.pk),
                }
                if row.current
                else None,
            }
            for row in page.materials
        ],
        "corrections": [
            {"round": c.round, "item": c.item, "message": c.text, "basis": c.basis}
            for c in page.corrections
        ],
        "refusal_reasons": [{"reason": r.reason, "basis": r.basis} for r in page.refusal_reasons],
        "documents": [
            {"id": d.pk, "kind": d.kind, "url": url_of(request, "application_document", ref, d.pk)}
            for d in page.documents
        ],
        "delivery": {
            "method": delivery.method,
            "recipient": delivery.recipient,
            "phone": delivery.phone,
            "address": delivery.address,
            "status": delivery.status,
            "status_label": str(delivery.get_status_display()),
            "tracking_number": delivery.tracking_number,
        }
        if delivery
        else None,
        "fee": {
            "amount_fen": application.fee_fen,
            "paid_at": clock.local(application.paid_at) if application.paid_at else None,
            "payable": page.payable,
        },
        "counter_reason": application.counter_reason,
        "editable": page.editable,
        "withdrawable": page.withdrawable,
        "actions": sorted(page.actions),
        "history": [{"at": t.occurred_at, "what": t.what, "who": t.who} for t in page.timeline],
    }
