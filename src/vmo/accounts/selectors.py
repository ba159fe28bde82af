from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from vmo.core import clock, crypto
from vmo.core.selectors import office_config
from vmo.registry import validators
from vmo.registry.lookup import id_lookup_hash, phone_lookup_hash

from .choices import AccountKind
from .models import ApiToken, IdentityClaim, User


def user_by_identifier(identifier: str) -> User | None:
    """A citizen by phone or ID number, or an officer by username."""
    value = identifier.strip()
    query = Q(username=value, kind="officer")
    digits = validators.normalise_phone(value)
    if digits.isdigit() and len(digits) == 11:
        phone_hash = phone_lookup_hash(digits)
        query |= Q(person__phone_hash=phone_hash, kind="citizen")
        # An account not yet linked to a person signs in with the phone it proved at sign-up
        # (only with the phone: an ID number is not its own until verified).
        query |= Q(person__isnull=True, identity_claim__phone_hash=phone_hash, kind="citizen")
    if len(value) == 18:
        query |= Q(person__id_hash=id_lookup_hash(value), kind="citizen")
    return User.objects.filter(query).select_related("person").first()


def lockout_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """What django-axes counts failures against (AXES_USERNAME_CALLABLE).

    One key per account, whichever identifier was typed (phone, ID number, username), so the
    five tries are five in all; unknown identifiers are keyed by a hash, so the lockout tables
    never hold a phone or ID number in clear.
    """
    credentials = credentials or {}
    value = str(
        credentials.get("identifier")
        or credentials.get("username")
        or request.POST.get("identifier", "")
    )
    value = value.strip()
    if not value:
        return None
    user = user_by_identifier(value) or User.objects.filter(username=value).first()
    if user is not None:
        return f"account:{user.pk}"
    return f"unknown:{crypto.keyed_hash(validators.normalise_phone(value).upper(), purpose='account.lockout')}"


def api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def user_for_api_token(raw: str) -> User | None:
    """The active account behind a bearer token that is neither revoked nor expired."""
    if not raw:
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=api_token_hash(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        # At most one write a minute per token, however busy the client.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(user: User) -> list[ApiToken]:
    """The account's tokens for its account page: live ones first, then the last revoked or
    expired ones (never the token itself, which is not kept)."""
    now = clock.now()
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:50])
    for token in tokens:
        token.live = token.revoked_at is None and token.expires_at > now  # type: ignore[attr-defined]
    return sorted(tokens, key=lambda t: not t.live)  # type: ignore[attr-defined]


def signup_code_exists(code_id: int) -> bool:
    """Whether a sign-up was started with this code id (used, expired or not)."""
    from .choices import CodePurpose
    from .models import OneTimeCode

    return OneTimeCode.objects.filter(pk=code_id, purpose=CodePurpose.SIGN_UP).exists()


def totp_secret(device: Any) -> str:
    """The device key in base32, as authenticator apps take it when typed in."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_uri(device: Any) -> str:
    """The otpauth:// URI that an authenticator app reads from a QR code."""
    issuer = office_config().office_name_zh
    label = f"{quote(issuer)}:{quote(device.user.username)}"
    query = urlencode(
        {
            "secret": totp_secret(device),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


# --- Identity proofing and sign-up -------------------------------------------------------------


def claim_data(claim: IdentityClaim) -> dict[str, str]:
    """The name, ID number and phone the account was signed up with."""
    return dict(json.loads(crypto.decrypt(claim.sealed, purpose="identity.claim")))


def pending_claim(user: Any) -> IdentityClaim | None:
    """The claim of a citizen account that is not yet linked to a person, or None."""
    if not getattr(user, "is_citizen", False) or user.person_id is not None:
        return None
    return IdentityClaim.objects.filter(user=user, verified_at__isnull=True).first()


def claims_pending_for(id_number: str) -> list[IdentityClaim]:
    """Accounts waiting to be verified under this ID number (for the officer at the counter)."""
    return list(
        IdentityClaim.objects.filter(
            id_hash=id_lookup_hash(id_number.strip().upper()), verified_at__isnull=True
        )
        .select_related("user")
        .prefetch_related("checks")
        .order_by("created_at")
    )


def phone_has_account(phone_hash: str) -> bool:
    """A citizen account signs in with this phone (its person's, or its claim's until linked)."""
    return User.objects.filter(
        Q(person__phone_hash=phone_hash)
        | Q(person__isnull=True, identity_claim__phone_hash=phone_hash),
        kind=AccountKind.CITIZEN,
    ).exists()


# --- Reads for other apps ----------------------------------------------------------------------
# Other apps read accounts through these (never accounts.models, see pyproject.toml).


def account_of_person(*, person_id: int) -> User | None:
    """The active account linked to the person's records, or None."""
    return User.objects.filter(person_id=person_id, is_active=True).first()


def officers() -> QuerySet[User]:
    return User.objects.filter(kind="officer").order_by("username")


# Query sets for reads that filter or annotate in ways only one caller needs (who receives a
# warning, who supervises): the caller's SQL, accounts' rows.


def users() -> QuerySet[User]:
    return User.objects.all()
