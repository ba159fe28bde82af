"""The citizen's applications: start, answer, upload, submit, withdraw, pay the fee.

Thin handlers over vmo.applications.selectors and services, the same ones the pages use. Anyone
else's application is a 404 (ObjectDoesNotExist becomes one in errors.install), never a hint;
officers are refused (403). Every refusal is in the API's one error shape and lists every
problem at once: the engine raises them together.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Router, UploadedFile
from ninja.pagination import paginate

from vmo.applications import selectors, services
from vmo.applications.views import file_response
from vmo.catalog.spec import Subject
from vmo.core import clock
from vmo.payments import services as payments

from .application_schemas import (
    ApplicationDetailOut,
    ApplicationOut,
    FeeIn,
    FeeOrderOut,
    FileOut,
    StartIn,
    UpdateIn,
    detail,
    summary,
    url_of,
)
from .auth import AUTH, citizen_person, user_throttle
from .errors import Conflict
from .pagination import BoundedPagination
from .schemas import ErrorOut

if TYPE_CHECKING:
    from vmo.applications.models import Application

router = Router(tags=["applications"], auth=AUTH, throttle=user_throttle())

REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
FOUND = {**REFUSALS, 404: ErrorOut}
ACTION = {**FOUND, 422: ErrorOut}


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
@paginate(BoundedPagination)
def application_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Newest first, each with its status in words and what to do next."""
    citizen_person(request)
    return [summary(request, a) for a in selectors.applications_of(request.auth)]  # type: ignore[attr-defined]


@router.post(
    "",
    response={200: ApplicationDetailOut, 201: ApplicationDetailOut, **ACTION, 409: ErrorOut},
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
    try:
        application = services.application_start(
            actor=user,
            business_code=business.code,
            idempotency_key=key,
            vehicle_id=payload.vehicle_id,
        )
    except ValidationError as exc:
        if "open_application" in getattr(exc, "error_dict", {}):
            # One open application per business and record: a conflict with what is open (409).
            raise Conflict(exc) from None
        raise
    application = selectors.application_of(user, application.reference)
    return (200 if known else 201), detail(request, application)


@router.get(
    "/{reference}",
    response={200: ApplicationDetailOut, **FOUND},
    summary="One application, with everything to do next",
    url_name="application_detail",
)
def application_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Status, form answers, materials (with the accepted types and sizes), the latest
    one-time notice, refusal reasons, documents, delivery, fee and the decision's due date."""
    return detail(request, _mine(request, reference))


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
    return detail(request, _mine(request, reference))


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
    # Left out, or a date: a multipart form has no null.
    issued_on: Form[date] = None,  # type: ignore[assignment]
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
        "url": url_of(request, "application_file", reference, stored.pk),
    }


@router.post(
    "/{reference}/submit",
    response={200: ApplicationDetailOut, **ACTION},
    summary="Submit (or resubmit after correction)",
    url_name="application_submit",
)
def application_submit(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Every check runs. If anything is missing or wrong the submission is refused (422) with
    every problem at once, each error's `field` naming the item (`material:<code>`,
    `field:<name>`, `condition:<code>`), and nothing changes; otherwise it is accepted, with its
    due date and the fee to pay. Repeating the request is refused (422) and changes nothing.
    (`corrections` lists what the office asked for after accepting it.)"""
    application = _mine(request, reference)
    services.application_submit(actor=request.auth, application=application)  # type: ignore[attr-defined]
    return detail(request, _mine(request, reference))


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
    return detail(request, _mine(request, reference))


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


def _binary(description: str, *media_types: str) -> dict[str, Any]:
    """A download's 200 in the schema: its media types, each a binary string."""
    schema = {"type": "string", "format": "binary"}
    content = {media_type: {"schema": schema} for media_type in media_types}
    return {"responses": {200: {"description": description, "content": content}}}


@router.get(
    "/{reference}/files/{file_id}",
    response={200: None, **FOUND},
    summary="Download an uploaded material",
    url_name="application_file",
    openapi_extra=_binary("The file as uploaded.", "image/jpeg", "image/png", "application/pdf"),
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
    openapi_extra=_binary("The letter.", "application/pdf"),
)
def application_document(
    request: HttpRequest, reference: str, document_id: int
) -> HttpResponseBase:
    citizen_person(request)
    found = selectors.document_for(request.auth, reference, document_id)  # type: ignore[attr-defined]
    return file_response(
        found.file, content_type="application/pdf", filename=f"{reference}-{found.kind}.pdf"
    )
