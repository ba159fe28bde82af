"""Electronic licences: the holder's signed credentials and the public verification operation.
The same selectors, signing service and verifier as the pages (vmo.credentials)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from vmo.core import clock
from vmo.credentials import keys, selectors, services
from vmo.credentials.verify import verify_text

from .auth import AUTH, citizen_person, client_throttle, user_throttle
from .errors import ApiError
from .inputs import In
from .schemas import ErrorOut

router = Router(tags=["electronic licences"], auth=AUTH, throttle=user_throttle())
public = Router(tags=["electronic licences"], auth=None, throttle=client_throttle("verify", "30/m"))

REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}


class CredentialOut(Schema):
    credential: str = Field(..., description="JWS compact (EdDSA); the text the QR code holds.")
    doc: str = Field(..., description="dl (driving licence) or vl (vehicle licence).")
    ok: bool = Field(..., description="True when the status allows use (green on the page).")
    status_codes: str = Field(..., description="The status letters, e.g. A.")
    status_words: list[str]
    expires_at: int = Field(..., description="Unix time after which the credential is refused.")


class VerifyIn(In):
    credential: str = Field(..., max_length=4000)


class VerdictOut(Schema):
    outcome: str = Field(
        ...,
        description="valid, expired, tampered, unknown_key, revoked, future or not_credential.",
    )
    kid: str
    claims: dict[str, Any]


def _out(
    text: str, doc: str, card: selectors.LicenceCard | selectors.VehicleCard
) -> dict[str, Any]:
    exp = int((clock.now() + services.credential_lifetime()).timestamp())
    return {
        "credential": text,
        "doc": doc,
        "ok": card.ok,
        "status_codes": "".join(w.code for w in card.statuses),
        "status_words": [w.name for w in card.statuses],
        "expires_at": exp,
    }


@router.get("/licence", response={200: CredentialOut, **REFUSALS}, summary="My e-driving licence")
def my_licence(request: HttpRequest) -> dict[str, Any]:
    """A freshly signed credential for my driving licence (valid a few minutes)."""
    card = selectors.licence_card(citizen_person(request))
    if card is None:
        raise ApiError(404, "not_found", _("There is no driver's licence on record for you."))
    return _out(services.credential_issue_licence(card=card), "dl", card)


@router.get(
    "/vehicles/{pk}", response={200: CredentialOut, **REFUSALS}, summary="My e-vehicle licence"
)
def my_vehicle(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A freshly signed credential for a vehicle I own; 404 for any other vehicle."""
    card = selectors.vehicle_card(citizen_person(request), pk=pk)
    if card is None:
        raise ApiError(404, "not_found", _("No such vehicle in your name."))
    return _out(services.credential_issue_vehicle(card=card), "vl", card)


@public.post("/verify", response={200: VerdictOut, 429: ErrorOut}, summary="Verify a credential")
def credential_verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """Check a credential's signature, time and status (online status lists). The answer is
    200 with the outcome whatever it is: a refused credential is an answer, not an error."""
    verdict = verify_text(
        payload.credential, keys.public_jwks(), now=clock.now(), revoked=selectors.revoked_online
    )
    return {"outcome": verdict.outcome, "kid": verdict.kid, "claims": verdict.claims}
