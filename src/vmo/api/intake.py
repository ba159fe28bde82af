"""Camera-record intake for the systems that deliver records (POST /api/v1/intake/violations).

A client authenticates with its intake key (`Authorization: Bearer <key>`; keys are made in the
Django admin or with `manage.py intake_client_create`), never with a person's token. The body is
the delivery itself, CSV or JSON lines as in docs/intake-format.md, at most
DATA_UPLOAD_MAX_MEMORY_SIZE bytes (2.5 MB by default, about 10,000 records): larger files go
in several requests, or through `manage.py import_violations`.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import (
    IntakeFormatError,
    batch_summary,
    intake_client_for_key,
    intake_records,
    parse_csv,
    parse_jsonl,
)

from .errors import ApiError
from .schemas import ErrorItem, ErrorOut

if TYPE_CHECKING:
    from vmo.violations.models import IntakeClient

PARSERS_BY_TYPE = {
    "text/csv": parse_csv,
    "application/x-ndjson": parse_jsonl,
    "application/jsonl": parse_jsonl,
}


class IntakeKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> IntakeClient | None:
        return intake_client_for_key(token)


router = Router(tags=["camera-record intake"], auth=IntakeKeyAuth())


class RejectionOut(Schema):
    line: int = Field(..., description="Line of the delivery (a CSV header is line 1).")
    record_id: str
    errors: list[ErrorItem] = Field(..., description="Every reason the row was refused.")


class IntakeResultOut(Schema):
    batch: int = Field(..., description="The intake batch, as the officers' pages show it.")
    total: int = Field(..., description="Rows read.")
    loaded: int = Field(..., description="New records entered.")
    duplicates: int = Field(..., description="Records already on record, skipped.")
    rejected: int = Field(..., description="Rows refused; each is listed in rejections.")
    unmatched: int = Field(..., description="Loaded records whose plate is on no vehicle here.")
    rejections: list[RejectionOut]


_BODY = {
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    },
    "required": True,
}


@router.post(
    "/violations",
    response={201: IntakeResultOut, 401: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
    summary="Deliver camera records (CSV or JSON lines)",
    openapi_extra={"requestBody": _BODY},
)
def violations_deliver(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    """Every row is checked; good rows are entered, and each refused row is listed with all
    its reasons. A record id already on record counts as a duplicate and is not entered again,
    so a delivery that failed half-way can be sent again whole."""
    parser = PARSERS_BY_TYPE.get(request.content_type or "")
    if parser is None:
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send the records as text/csv or application/x-ndjson."),
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiError(
            413,
            "too_large",
            _("A delivery is at most %(size)s bytes: send it in several parts.")
            % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        ) from None
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(422, "encoding", _("The records must be UTF-8 text.")) from None
    client: IntakeClient = request.auth  # type: ignore[attr-defined]
    try:
        batch = intake_records(
            rows=parser(io.StringIO(text, newline="")),
            channel=IntakeChannel.API,
            source_name=client.name,
            client=client,
        )
    except IntakeFormatError as exc:
        raise ApiError(422, exc.code, exc.message) from None
    return 201, batch_summary(batch, rejections=None)
