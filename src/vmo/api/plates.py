"""Plate-number pre-selection: draw, check a composed number, reserve, my reservations, and the
public verification of any draw. Thin handlers over vmo.plates services and selectors; the
pages' forms clean the input, so page and API refuse the same things with the same words."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from vmo.plates import selectors, services
from vmo.plates.forms import ComposeForm, VehicleForm

from .auth import AUTH, citizen_person, client_throttle, user_throttle
from .errors import ApiError
from .schemas import ErrorOut

if TYPE_CHECKING:
    from vmo.plates.models import Draw, Reservation

router = Router(tags=["plates"])

REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
ACTION = {**REFUSALS, 404: ErrorOut, 422: ErrorOut}


class VehicleIn(Schema):
    vin: str
    model_name: str
    plate_type: str
    company_id: int | None = None


class CheckIn(Schema):
    number: str
    plate_type: str


class ReserveIn(Schema):
    number: str
    draw_id: str | None = None
    vin: str = ""
    model_name: str = ""
    plate_type: str = ""
    company_id: int | None = None


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
    response={201: DrawOut, **ACTION},
    summary="Draw candidates for a new vehicle (again = a redraw)",
)
def draw_create(request: HttpRequest, payload: VehicleIn) -> tuple[int, dict[str, Any]]:
    form = _vehicle_form(request, payload.dict())
    draw = services.draw_create(
        actor=request.auth,  # type: ignore[attr-defined]
        vin=form.cleaned_data["vin"],
        model_name=form.cleaned_data["model_name"],
        plate_type=form.cleaned_data["plate_type"],
        company=form.chosen_company(),
    )
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
    response={201: ReservationOut, **ACTION},
    summary="Reserve a drawn or composed number",
)
def reservation_create(request: HttpRequest, payload: ReserveIn) -> tuple[int, dict[str, Any]]:
    citizen_person(request)
    user = request.auth  # type: ignore[attr-defined]
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
