"""Verifying a credential with nothing but a published key set: the office's own verifier page,
its API and `manage.py verify_credential` all run this, so they answer alike.

The order of the checks matters: shape first (not a credential), then the key id (unknown key),
then the signature (tampered), then time (future-dated, expired), then status (revoked). A
credential whose signature fails is never reported as expired, so nothing an attacker wrote
into the claims is believed.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from joserfc import jws
from joserfc.errors import BadSignatureError, DecodeError, JoseError, SecurityWarning
from joserfc.jwk import KeySet

TYP = "vmo-credential+jws"
ALG = "EdDSA"
DOC_TYPES = {"dl", "vl"}  # driving licence, vehicle licence
# RFC 9864 prefers the name "Ed25519" for the same algorithm; "EdDSA" is kept because every
# JOSE library a checker may use (PyJWT, jose4j, go-jose, ...) knows it today. joserfc warns.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)
IAT_LEEWAY_SECONDS = 30  # phones' clocks drift; more than this in the future is refused
MAX_LENGTH = 2000  # a QR of this product is far shorter; longer input is not one of ours

VALID, EXPIRED, TAMPERED, UNKNOWN_KEY, REVOKED, NOT_CREDENTIAL, FUTURE = (
    "valid",
    "expired",
    "tampered",
    "unknown_key",
    "revoked",
    "not_credential",
    "future",
)
REQUIRED = ("iss", "iat", "exp", "doc", "sub", "name", "st", "ok")


@dataclass
class Verdict:
    outcome: str
    claims: dict[str, Any] = field(default_factory=dict)
    kid: str = ""

    @property
    def valid(self) -> bool:
        return self.outcome == VALID

    def _time(self, claim: str) -> datetime | None:
        try:
            return datetime.fromtimestamp(int(self.claims[claim]), tz=UTC)
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            return None

    @property
    def issued_at(self) -> datetime | None:
        """When it was signed: a checker compares it with the holder's "last refreshed" time,
        since within its few minutes a screenshot verifies like the phone itself."""
        return self._time("iat")

    @property
    def expires_at(self) -> datetime | None:
        return self._time("exp")


def _header(text: str) -> dict[str, Any] | None:
    try:
        return dict(jws.extract_compact(text.encode()).headers())
    except (DecodeError, JoseError, ValueError, TypeError, UnicodeError):
        return None


def verify_text(
    text: str,
    jwks: dict[str, Any],
    *,
    now: datetime,
    revoked: Callable[[str, int], bool] | None = None,
) -> Verdict:
    """Check `text` against the key set `jwks`; `revoked(list, index)` answers from the status
    lists when the caller has them (online), None when offline."""
    text = (text or "").strip()
    if not text or len(text) > MAX_LENGTH or text.count(".") != 2:
        return Verdict(NOT_CREDENTIAL)
    header = _header(text)
    if header is None or header.get("typ") != TYP or header.get("alg") != ALG:
        return Verdict(NOT_CREDENTIAL)
    kid = str(header.get("kid", ""))
    try:
        keys = KeySet.import_key_set(
            {"keys": [k for k in jwks.get("keys", []) if k.get("kid") == kid]}
        )
    except (JoseError, ValueError, TypeError):
        keys = None
    if not kid or keys is None or not keys.keys:
        return Verdict(UNKNOWN_KEY, kid=kid)
    try:
        obj = jws.deserialize_compact(text, keys, algorithms=[ALG])
        claims = json.loads(obj.payload)
    except BadSignatureError:
        return Verdict(TAMPERED, kid=kid)
    except (JoseError, ValueError, TypeError):
        return Verdict(NOT_CREDENTIAL, kid=kid)
    if not isinstance(claims, dict) or any(k not in claims for k in REQUIRED):
        return Verdict(NOT_CREDENTIAL, kid=kid)
    if claims.get("doc") not in DOC_TYPES:
        return Verdict(NOT_CREDENTIAL, kid=kid)
    try:
        iat, exp = int(claims["iat"]), int(claims["exp"])
    except (TypeError, ValueError):
        return Verdict(NOT_CREDENTIAL, kid=kid)
    stamp = now.timestamp()
    if iat > stamp + IAT_LEEWAY_SECONDS:
        return Verdict(FUTURE, claims, kid)
    if exp <= stamp:
        return Verdict(EXPIRED, claims, kid)
    status = claims.get("status") or {}
    listed = revoked is not None and revoked(str(status.get("list")), int(status.get("idx", -1)))
    if not claims.get("ok") or listed:
        return Verdict(REVOKED, claims, kid)
    return Verdict(VALID, claims, kid)
