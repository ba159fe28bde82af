"""Plate-number pre-selection: draw, check a composed number, reserve, my reservations, and the
public verification of any draw. Thin handlers over vmo.plates services and selectors; the
pages' forms clean the input, so page and API refuse the same things with the same words."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from vmo.plates import selectors, services
from vmo.plates.forms import ComposeForm, VehicleForm

from .auth import AUTH, citizen_person, client_throttle, user_throttle
from .errors import ApiError, Conflict
from .formats import PlateNumber, Vin
from .inputs import In
from .schemas import ErrorOut

if TYPE_CHECKING:
    from vmo.plates.models import Draw, Reservation

router = Router(tags=["plates"])

REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
ACTION = {**REFUSALS, 404: ErrorOut, 422: ErrorOut}


# The plate types numbers are released for (vmo.plates.choices.PoolPlateType).
PoolType = Literal["02", "52", "01", "51"]


# New-energy plate types (52 small, 51 large) take a 6-character serial, the others 5.
_NEW_ENERGY_NUMBER: JsonDict = {"pattern": "^[^0-9A-Za-z][A-Za-z]·?[0-9A-Za-z]{6}$"}
_ORDINARY_NUMBER: JsonDict = {"pattern": "^[^0-9A-Za-z][A-Za-z]·?[0-9A-Za-z]{5}$"}
PLATE_FOR_TYPE: JsonDict = {
    "if": {"required": ["plate_type"], "properties": {"plate_type": {"enum": ["52", "51"]}}},
    "then": {"properties": {"number": _NEW_ENERGY_NUMBER}},
    "else": {
        "if": {"required": ["plate_type"], "properties": {"plate_type": {"enum": ["02", "01"]}}},
        "then": {"properties": {"number": _ORDINARY_NUMBER}},
    },
}


class VehicleIn(In):
    vin: Vin
    model_name: str = Field(..., min_length=1, max_length=60)
    plate_type: PoolType = Field(..., description="The plate-type code (GA 24.7).")
    company_id: int | None = Field(None, ge=1, description="Applying for one of your companies.")


class CheckIn(In):
    model_config = ConfigDict(json_schema_extra=PLATE_FOR_TYPE)

    number: PlateNumber
    plate_type: PoolType


_COMPOSED: JsonDict = {
    "vin": {"minLength": 17},
    "model_name": {"minLength": 1},
    "plate_type": {"minLength": 1},
}


class ReserveIn(In):
    """A number of one of your draws (`draw_id`), or a composed number for a vehicle: then
    `vin`, `model_name` and `plate_type` are required."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "not": {
                    "required": ["draw_id"],
                    "properties": {"draw_id": {"type": "string", "minLength": 1}},
                }
            },
            "then": {"required": ["vin", "model_name", "plate_type"], "properties": _COMPOSED},
            "allOf": [PLATE_FOR_TYPE],
        }
    )

    number: PlateNumber
    draw_id: str | None = Field(
        None, max_length=64, description="A draw of yours: then only `number`."
    )
    vin: Vin | Literal[""] = ""
    model_name: str = Field("", max_length=60)
    plate_type: PoolType | Literal[""] = ""
    company_id: int | None = Field(None, ge=1)


class DrawOut(Schema):
    draw_id: str
    vin: str
    model_name: str
    plate_type: str
    created_at: datetime
    candidates: list[str]
    free: list[str]
    redraws_left: int


class CheckOut(Schema):
    number: str
    available: bool
    problems: list[str]


class ReservationOut(Schema):
    id: int
    number: str
    plate_type: str
    vin: str
    model_name: str
    status: str
    source: str
    draw_id: str | None
    reserved_at: datetime
    expires_on: date


class VerifyOut(Schema):
    draw_id: str
    day: date
    created_at: datetime
    seed_commitment: str
    commitment_published_at: datetime
    committed_in_advance: bool
    seed: str | None
    commitment_ok: bool | None
    snapshot_size: int
    snapshot_hash: str
    snapshot_ok: bool
    candidates: list[str]
    recomputed: list[str] | None
    matches: bool | None


def _draw_item(draw: Draw) -> dict[str, Any]:
    free = selectors.still_free(list(draw.candidates))
    return {
        "draw_id": draw.public_id,
        "vin": draw.vin,
        "model_name": draw.model_name,
        "plate_type": draw.plate_type,
        "created_at": draw.created_at,
        "candidates": list(draw.candidates),
        "free": [n for n in draw.candidates if n in free],
        "redraws_left": selectors.redraws_left(vin=draw.vin),
    }


def _reservation_item(r: Reservation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "plate_type": r.plate_type,
        "vin": r.vin,
        "model_name": r.model_name,
        "status": r.status,
        "source": r.source,
        "draw_id": r.draw.public_id if r.draw else None,
        "reserved_at": r.reserved_at,
        "expires_on": r.expires_on,
    }


# Refusals for the state of the records, not the request: the number is taken, not released or
# withheld, the vehicle already holds one, today's tries are used, the pool is empty.
CONFLICTS = frozenset(
    {
        "taken",
        "not_released",
        "withheld",
        "vin_registered",
        "vin_has_reservation",
        "attempts_used",
        "redraws_used",
        "pool_empty",
        "stale",
    }
)


def raise_if_conflict(exc: ValidationError) -> None:
    """A 409 listing every reason when every reason is the records' state."""
    codes = (
        {error.code for error in exc.error_list}
        if not hasattr(exc, "error_dict")
        else {error.code for errors in exc.error_dict.values() for error in errors}
    )
    if codes and codes <= CONFLICTS:
        raise Conflict(exc) from None


def _vehicle_form(request: HttpRequest, data: dict[str, Any], compose: bool = False) -> Any:
    citizen_person(request)
    fields = {k: v for k, v in data.items() if v is not None}
    if "company_id" in fields:
        fields["company"] = fields.pop("company_id")
    form = (ComposeForm if compose else VehicleForm)(fields, user=request.auth)  # type: ignore[attr-defined]
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


@router.post(
    "/draws",
    auth=AUTH,
    throttle=user_throttle(),
    response={201: DrawOut, **ACTION, 409: ErrorOut},
    summary="Draw candidates for a new vehicle (again = a redraw)",
)
def draw_create(request: HttpRequest, payload: VehicleIn) -> tuple[int, dict[str, Any]]:
    form = _vehicle_form(request, payload.dict())
    try:
        draw = services.draw_create(
            actor=request.auth,  # type: ignore[attr-defined]
            vin=form.cleaned_data["vin"],
            model_name=form.cleaned_data["model_name"],
            plate_type=form.cleaned_data["plate_type"],
            company=form.chosen_company(),
        )
    except ValidationError as exc:
        raise_if_conflict(exc)
        raise
    return 201, _draw_item(draw)


@router.get(
    "/draws/{draw_id}",
    auth=AUTH,
    throttle=user_throttle(),
    response={200: DrawOut, **ACTION},
    summary="One of my draws",
)
def draw_get(request: HttpRequest, draw_id: str) -> dict[str, Any]:
    citizen_person(request)
    return _draw_item(selectors.draw_for(request.auth, draw_id))  # type: ignore[attr-defined]


@router.post(
    "/check",
    auth=AUTH,
    throttle=user_throttle(),
    response={200: CheckOut, **ACTION},
    summary="Whether a composed number is free (limited per user)",
)
def number_check(request: HttpRequest, payload: CheckIn) -> Any:
    citizen_person(request)
    try:
        result = services.number_check(
            actor=request.auth,  # type: ignore[attr-defined]
            number=payload.number,
            plate_type=payload.plate_type,
        )
    except ValidationError as exc:
        raise ApiError(429, "rate_limited", exc.messages[0]) from None
    return {"number": result.number, "available": result.available, "problems": result.problems}


@router.post(
    "/reservations",
    auth=AUTH,
    throttle=user_throttle(),
    response={201: ReservationOut, **ACTION, 409: ErrorOut},
    summary="Reserve a drawn or composed number",
)
def reservation_create(request: HttpRequest, payload: ReserveIn) -> tuple[int, dict[str, Any]]:
    citizen_person(request)
    user = request.auth  # type: ignore[attr-defined]
    try:
        if payload.draw_id:
            draw = selectors.draw_for(user, payload.draw_id)
            reservation = services.reservation_create(actor=user, number=payload.number, draw=draw)
        else:
            form = _vehicle_form(request, payload.dict(exclude={"draw_id"}), compose=True)
            data = form.cleaned_data
            reservation = services.reservation_create(
                actor=user,
                number=data["number"],
                vin=data["vin"],
                model_name=data["model_name"],
                plate_type=data["plate_type"],
                company=form.chosen_company(),
            )
    except ValidationError as exc:
        raise_if_conflict(exc)
        raise
    return 201, _reservation_item(reservation)


@router.get(
    "/reservations",
    auth=AUTH,
    throttle=user_throttle(),
    response={200: list[ReservationOut], **REFUSALS},
    summary="My reservations",
)
def reservations_mine(request: HttpRequest) -> list[dict[str, Any]]:
    citizen_person(request)
    rows = selectors.reservations_for(request.auth)[:100]  # type: ignore[attr-defined]
    return [_reservation_item(r) for r in rows]


@router.post(
    "/reservations/{reservation_id}/release",
    auth=AUTH,
    throttle=user_throttle(),
    response={200: ReservationOut, **ACTION},
    summary="Give a reserved number back",
)
def reservation_release(request: HttpRequest, reservation_id: int) -> dict[str, Any]:
    citizen_person(request)
    user = request.auth  # type: ignore[attr-defined]
    row = services.reservation_release(
        reservation=selectors.reservation_for(user, reservation_id),
        actor=user,
        reason="released by the applicant",
    )
    return _reservation_item(row)


@router.get(
    "/verify/{draw_id}",
    auth=None,
    throttle=client_throttle("plates_verify", "30/m"),
    response={200: VerifyOut, 404: ErrorOut, 429: ErrorOut},
    summary="Recompute any draw from its public inputs (no sign-in)",
)
def verify(request: HttpRequest, draw_id: str) -> dict[str, Any]:
    v = selectors.draw_verification(draw_id)
    return {
        "draw_id": v.draw.public_id,
        "day": v.seed.day,
        "created_at": v.draw.created_at,
        "seed_commitment": v.seed.commitment,
        "commitment_published_at": v.seed.committed_at,
        "committed_in_advance": v.in_advance,
        "seed": v.seed_hex,
        "commitment_ok": v.commitment_ok,
        "snapshot_size": v.draw.snapshot_size,
        "snapshot_hash": v.draw.snapshot_hash,
        "snapshot_ok": v.snapshot_ok,
        "candidates": list(v.draw.candidates),
        "recomputed": v.recomputed,
        "matches": v.matches,
    }
