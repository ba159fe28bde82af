"""The citizen's applications: start, answer, upload, submit, withdraw, pay the fee.

Thin handlers over vmo.applications.selectors and services, the same ones the pages use. Anyone
else's application is a 404 (ObjectDoesNotExist becomes one in errors.install), never a hint;
officers are refused (403). Every refusal is in the API's one error shape and lists every
problem at once: the engine raises them together.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from vmo.applications import selectors, services
from vmo.applications.views import file_response
from vmo.catalog.spec import Subject
from vmo.core import clock
from vmo.payments import services as payments
from vmo.registry.selectors import plate_label

from .auth import AUTH, citizen_person, user_throttle
from .schemas import ErrorOut

if TYPE_CHECKING:
    from vmo.applications.models import Application

router = Router(tags=["applications"], auth=AUTH, throttle=user_throttle())

REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
FOUND = {**REFUSALS, 404: ErrorOut}
ACTION = {**FOUND, 422: ErrorOut}


# ----- schemas -------------------------------------------------------------------------------


class ApplicationOut(Schema):
    reference: str
    business_code: str
    business_name: str = Field(..., description="In the request's language.")
    status: str = Field(
        ...,
        description="draft, submitted, correction, resubmitted, review, approved, completed,"
        " refused or withdrawn.",
    )
    status_label: str
    next_step: str = Field(..., description="What the applicant does next, in words.")
    plate_number: str = Field(..., description="The vehicle's plate, for a vehicle business.")
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


class StartIn(Schema):
    business_code: str = Field(..., max_length=4, examples=["D02"])
    vehicle_id: int | None = Field(None, description="For a vehicle business: one of yours.")
    idempotency_key: str | None = Field(
        None,
        min_length=16,
        max_length=64,
        description="Or the Idempotency-Key header. The same key returns the same draft.",
    )


class DeliveryIn(Schema):
    method: str = Field(..., description="pickup or mail.")
    recipient: str = ""
    phone: str = ""
    address: str = ""


class UpdateIn(Schema):
    data: dict[str, str] = Field(default_factory=dict, description="Answers by field name.")
    delivery: DeliveryIn | None = None


class FeeIn(Schema):
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


def _url(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


def _summary(request: HttpRequest, application: Application) -> dict[str, Any]:
    step = selectors.next_step(application)
    return {
        "reference": application.reference,
        "business_code": application.business_code,
        "business_name": str(application.business.name),
        "status": application.status,
        "status_label": step.status_label,
        "next_step": step.next_step,
        "plate_number": plate_label(application.vehicle),
        "created_at": clock.local(application.created_at),
        "due_on": application.due_on,
        "url": _url(request, "application_detail", application.reference),
    }


def _detail(request: HttpRequest, application: Application) -> dict[str, Any]:
    page = selectors.page_for(application, user=request.auth)  # type: ignore[attr-defined]
    data = application.data
    ref = application.reference
    delivery = page.delivery
    return {
        **_summary(request, application),
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
                    "url": _url(request, "application_file", ref, row.current.pk),
                }
                if row.current
                else None,
            }
            for row in page.materials
        ],
        "corrections": [
            {"round": c.round, "item": c.item, "message": c.message, "basis": c.basis}
            for c in page.corrections
        ],
        "refusal_reasons": [{"reason": r.reason, "basis": r.basis} for r in page.refusal_reasons],
        "documents": [
            {"id": d.pk, "kind": d.kind, "url": _url(request, "application_document", ref, d.pk)}
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


def _mine(request: HttpRequest, reference: str) -> Application:
    citizen_person(request)
    return selectors.application_of(request.auth, reference)  # type: ignore[attr-defined]


# ----- handlers ------------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[ApplicationOut], **REFUSALS},
    summary="My applications",
    url_name="application_list",
)
@paginate(PageNumberPagination, page_size=20)
def application_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Newest first, each with its status in words and what to do next."""
    citizen_person(request)
    return [_summary(request, a) for a in selectors.applications_of(request.auth)]  # type: ignore[attr-defined]


@router.post(
    "",
    response={200: ApplicationDetailOut, 201: ApplicationDetailOut, **ACTION},
    summary="Start an application (a draft)",
    url_name="application_start",
)
def application_start(request: HttpRequest, payload: StartIn) -> tuple[int, dict[str, Any]]:
    """A draft for the business (its code in the service guide, e.g. D02), for your licence
    or for one of your vehicles (`vehicle_id`). Send an idempotency key (the `Idempotency-Key`
    header or `idempotency_key`): repeating the request with the same key returns the same draft
    (200) instead of a second one (201)."""
    citizen_person(request)
    user = request.auth  # type: ignore[attr-defined]
    key = (request.headers.get("Idempotency-Key") or payload.idempotency_key or "").strip()
    errors: dict[str, list[str]] = {}
    business = selectors.startable(payload.business_code)
    if business is None:
        errors["business_code"] = [_("There is no online application for this service.")]
    elif business.subject == Subject.VEHICLE and payload.vehicle_id is None:
        errors["vehicle_id"] = [_("Choose the vehicle this application is for.")]
    if not 16 <= len(key) <= 64:
        errors["idempotency_key"] = [
            _("Send an idempotency key of 16 to 64 characters (the Idempotency-Key header).")
        ]
    if errors:
        raise ValidationError(errors)
    assert business is not None
    known = selectors.is_known_key(user, key)
    application = services.application_start(
        actor=user, business_code=business.code, idempotency_key=key, vehicle_id=payload.vehicle_id
    )
    application = selectors.application_of(user, application.reference)
    return (200 if known else 201), _detail(request, application)


@router.get(
    "/{reference}",
    response={200: ApplicationDetailOut, **FOUND},
    summary="One application, with everything to do next",
    url_name="application_detail",
)
def application_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Status, form answers, materials (with the accepted types and sizes), the latest
    one-time notice, refusal reasons, documents, delivery, fee and the decision's due date."""
    return _detail(request, _mine(request, reference))


@router.put(
    "/{reference}",
    response={200: ApplicationDetailOut, **ACTION},
    summary="Save the answers and the delivery choice",
    url_name="application_update",
)
def application_update(request: HttpRequest, reference: str, payload: UpdateIn) -> dict[str, Any]:
    """While a draft or needing correction. Every problem is listed at once (422) and nothing
    is saved; `field` names the answer (or delivery_method, delivery_phone...)."""
    application = _mine(request, reference)
    services.application_update(
        actor=request.auth,  # type: ignore[attr-defined]
        application=application,
        data=payload.data,
        delivery=payload.delivery.dict() if payload.delivery else None,
    )
    return _detail(request, _mine(request, reference))


@router.post(
    "/{reference}/materials/{material}",
    response={201: FileOut, **ACTION},
    summary="Upload a material (multipart)",
    url_name="application_upload",
)
def material_upload(
    request: HttpRequest,
    reference: str,
    material: str,
    file: File[UploadedFile],
    issued_on: Form[date | None] = None,
) -> tuple[int, dict[str, Any]]:
    """The file is judged by its content (a JPEG/PNG image or a PDF without scripts), its size
    and, for a photo, its pixels. A dated certificate needs `issued_on`. A new upload supersedes
    the previous version, which is kept."""
    application = _mine(request, reference)
    stored = services.material_upload(
        actor=request.auth,  # type: ignore[attr-defined]
        application=application,
        material_code=material,
        upload=file,
        issued_on=issued_on,
    )
    return 201, {
        "id": stored.pk,
        "version": stored.version,
        "content_type": stored.content_type,
        "size": stored.size,
        "issued_on": stored.issued_on,
        "uploaded_at": clock.local(stored.uploaded_at),
        "url": _url(request, "application_file", reference, stored.pk),
    }


@router.post(
    "/{reference}/submit",
    response={200: ApplicationDetailOut, **ACTION},
    summary="Submit (or resubmit after correction)",
    url_name="application_submit",
)
def application_submit(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Every check runs. If anything is missing or wrong the status becomes `correction` and
    `corrections` lists every item at once; otherwise it is accepted, with its due date and
    the fee to pay. Repeating the request is refused (422) and changes nothing."""
    application = _mine(request, reference)
    services.application_submit(actor=request.auth, application=application)  # type: ignore[attr-defined]
    return _detail(request, _mine(request, reference))


@router.post(
    "/{reference}/withdraw",
    response={200: ApplicationDetailOut, **ACTION},
    summary="Withdraw",
    url_name="application_withdraw",
)
def application_withdraw(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Until it is decided; a paid fee is refunded."""
    application = _mine(request, reference)
    services.application_withdraw(actor=request.auth, application=application)  # type: ignore[attr-defined]
    return _detail(request, _mine(request, reference))


@router.post(
    "/{reference}/fee",
    response={200: FeeOrderOut, **ACTION},
    summary="The payment order for the fee",
    url_name="application_fee",
)
def application_fee(
    request: HttpRequest, reference: str, payload: Body[FeeIn | None] = None
) -> dict[str, Any]:
    """Once accepted. Open `payment_url` in a browser to pay; afterwards the payer comes back
    to `return_url` (a page of this site) or the application's page."""
    application = _mine(request, reference)
    back = (payload.return_url if payload else "") or reverse(
        "applications:detail", args=[application.reference]
    )
    if not back.startswith("/") or back.startswith("//"):
        raise ValidationError(
            {"return_url": [_("Give an address on this site to come back to after paying.")]}
        )
    order = services.fee_order(
        actor=request.auth,  # type: ignore[attr-defined]
        application=application,
        return_to=back,
    )
    url = ""
    if not order.is_settled:
        url = request.build_absolute_uri(
            payments.order_start(
                order=order,
                return_url=request.build_absolute_uri(
                    reverse("payments:order_return", args=[order.reference])
                ),
            )
        )
    return {
        "order_reference": order.reference,
        "amount_fen": order.amount_fen,
        "status": order.status,
        "paid": order.is_settled,
        "payment_url": url,
    }


_BINARY = {
    "responses": {
        "200": {
            "description": "The file.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


@router.get(
    "/{reference}/files/{file_id}",
    response={200: None, **FOUND},
    summary="Download an uploaded material",
    url_name="application_file",
    openapi_extra=_BINARY,
)
def application_file(request: HttpRequest, reference: str, file_id: int) -> HttpResponseBase:
    citizen_person(request)
    stored = selectors.file_for(request.auth, reference, file_id)  # type: ignore[attr-defined]
    return file_response(
        stored.file,
        content_type=stored.content_type,
        filename=f"{reference}-{stored.material}-v{stored.version}{stored.extension}",
    )


@router.get(
    "/{reference}/documents/{document_id}",
    response={200: None, **FOUND},
    summary="Download a letter of the office (PDF)",
    url_name="application_document",
    openapi_extra=_BINARY,
)
def application_document(
    request: HttpRequest, reference: str, document_id: int
) -> HttpResponseBase:
    citizen_person(request)
    found = selectors.document_for(request.auth, reference, document_id)  # type: ignore[attr-defined]
    return file_response(
        found.file, content_type="application/pdf", filename=f"{reference}-{found.kind}.pdf"
    )
