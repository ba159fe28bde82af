"""The check API for organisations registered by the office (docs/checks.md).

An organisation's API key (header `X-API-Key`) authenticates; the key names the check scopes it
may run and is rate-limited on its own counter. The answer holds exactly the scope of the code
and nothing else. Every call with a known key is logged (vmo.checks.org_services); a call with
no key, an unknown or a revoked one is logged without an organisation and limited per client
address (org_services.key_for_call)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import Throttled
from ninja.security import APIKeyHeader
from ninja.throttling import SimpleRateThrottle

from vmo.checks import org_services
from vmo.checks.services import CheckError
from vmo.core.client_address import client_ip

from .errors import ApiError
from .inputs import In
from .schemas import ErrorOut

DEFAULT_KEY_RATE = "60/m"


class OrganisationKeyAuth(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        try:
            return org_services.key_for_call(raw=key or "", client_address=client_ip(request))
        except org_services.KeyRefused as exc:
            if exc.reason == "throttled":
                raise Throttled(wait=exc.wait) from None
            if exc.reason == "key_revoked":
                raise ApiError(
                    401,
                    "key_revoked",
                    _("This API key has been revoked. Ask the office for a new one."),
                ) from None
            raise ApiError(
                401, "invalid_key", _("Send a valid organisation API key in the X-API-Key header.")
            ) from None


class OrganisationKeyThrottle(SimpleRateThrottle):
    """Per key, on the API's throttling (ninja's, in the cache); VMO_API_RATES["checks-key"]
    sets the rate, read at each call. A refused call is logged like any other."""

    scope = "checks-key"

    def __init__(self) -> None:
        super().__init__(DEFAULT_KEY_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        key = getattr(request, "auth", None)
        return None if key is None else f"throttle_{self.scope}_{key.pk}"

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "VMO_API_RATES", {}).get(self.scope, DEFAULT_KEY_RATE)
        self.num_requests, self.duration = self.parse_rate(rate)
        allowed = super().allow_request(request)
        if not allowed:
            org_services.call_record(
                key=request.auth,  # type: ignore[attr-defined]
                outcome="throttled",
                client_address=client_ip(request),
            )
        return allowed


router = Router(tags=["checks"], auth=OrganisationKeyAuth(), throttle=[OrganisationKeyThrottle()])


class CodeCheckIn(In):
    code: str = Field("", max_length=40, description="The holder's check code (12 signs).")
    licence_tail: str = Field(
        "", max_length=6, description="The last 6 characters of the licence file number."
    )
    purpose: str = Field("", max_length=200, description="Why you are checking (shown to them).")


class CheckedLicenceOut(Schema):
    classes: list[str] = Field(..., description="Licence class codes, e.g. C1.")
    valid_from: date
    valid_to: date | None = Field(..., description="Null for a long-term licence.")
    status_codes: str
    status_words: list[str]


class CheckedPointsOut(Schema):
    points: int
    points_limit: int
    cycle_start: date
    cycle_end: date


class CheckedVehicleOut(Schema):
    plate: str
    status_codes: str
    status_words: list[str]
    inspection_valid_until: date
    inspection_overdue: bool
    insurance_valid_until: date | None


class CodeCheckOut(Schema):
    scope: str = Field(..., description="licence, points or vehicle: only that member is present.")
    holder_name: str = Field(..., description="The holder's name, masked.")
    licence: CheckedLicenceOut | None = None
    points: CheckedPointsOut | None = None
    vehicle: CheckedVehicleOut | None = None


def _words(statuses: list[Any]) -> dict[str, Any]:
    return {
        "status_codes": "".join(w.code for w in statuses),
        "status_words": [w.name for w in statuses],
    }


def _answer(result: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"scope": result.scope, "holder_name": result.holder_name}
    if result.scope == "licence":
        lic = result.licence
        out["licence"] = {
            "classes": [c.code for c in lic.classes],
            "valid_from": lic.valid_from,
            "valid_to": lic.valid_to,
            **_words(lic.statuses),
        }
    elif result.scope == "points":
        lic = result.licence
        out["points"] = {
            "points": lic.points,
            "points_limit": lic.points_limit,
            "cycle_start": lic.cycle_start,
            "cycle_end": lic.cycle_end,
        }
    elif result.vehicle is not None:
        v = result.vehicle
        out["vehicle"] = {
            "plate": v.plate,
            "inspection_valid_until": v.inspection_valid_until,
            "inspection_overdue": v.inspection_overdue,
            "insurance_valid_until": v.insurance_valid_until,
            **_words(v.statuses),
        }
    return out


STATUS = {"invalid": 422, "throttled": 429, "refused": 403, "scope_not_allowed": 403}


@router.post(
    "",
    response={200: CodeCheckOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Check a holder's code",
    exclude_none=True,
)
def check_code(request: HttpRequest, payload: CodeCheckIn) -> Any:
    """The scope the holder's code allows, and nothing else. The check is recorded, shown in
    the holder's "who viewed my data" under your registered name, and the holder is told."""
    try:
        result = org_services.api_check(
            key=request.auth,  # type: ignore[attr-defined]
            code=payload.code,
            licence_tail=payload.licence_tail,
            purpose=payload.purpose,
            client_address=client_ip(request),
        )
    except CheckError as exc:
        items = [
            {"field": field, "code": exc.code, "message": str(message)}
            for field, message in zip(exc.fields, exc.messages, strict=True)
        ]
        # Not through the response schema: exclude_none would drop the errors' null fields.
        return JsonResponse({"errors": items}, status=STATUS.get(exc.code, 403))
    return 200, _answer(result)
