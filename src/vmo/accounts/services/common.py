"""What the account services share: names, identifiers, rate limits, one-time codes."""

from __future__ import annotations

import json
import math
import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vmo.core import cachesafe, clock, crypto
from vmo.core.services import event_record
from vmo.registry import validators
from vmo.registry.lookup import phone_lookup_hash

from ..models import OneTimeCode, User

if TYPE_CHECKING:
    from vmo.accounts.models import User

CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# Codes to one phone: at most one a minute and five an hour.
CODE_MIN_INTERVAL = 60
CODE_HOURLY_LIMIT = 5
# Sign-in attempts from one address, on top of the per-identity lockout of django-axes.
SIGNIN_IP_LIMIT = 20
SIGNIN_IP_WINDOW = 300

Errors = dict[str, list[Any]]


# --- Names, identifiers -------------------------------------------------------------------

_USERNAME_RE = re.compile(r"[a-z][a-z0-9_.-]{2,29}")


def _identifier_key(identifier: str) -> str:
    value = identifier.strip()
    phone = validators.normalise_phone(value)
    if phone.isdigit() and len(phone) == 11:
        return crypto.keyed_hash(phone, purpose="account.identifier")
    return crypto.keyed_hash(validators.normalise_id_number(value), purpose="account.identifier")


def _collect(errors: Errors, field: str, check: Any, value: str) -> bool:
    try:
        check(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.error_list)
        return False
    return True


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


# --- Rate limits (kept in the cache: Redis in production) -----------------------------------


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Please wait %(count)d second before asking for another code.",
            "Please wait %(count)d seconds before asking for another code.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many codes were asked for. Please try again in %(count)d minute.",
        "Too many codes were asked for. Please try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


def _code_wait_seconds(key: str) -> int:
    now = clock.now().timestamp()
    sent = [t for t in cachesafe.counted(cache.get, key, []) if now - t < 3600]
    if sent and now - sent[-1] < CODE_MIN_INTERVAL:
        return math.ceil(CODE_MIN_INTERVAL - (now - sent[-1]))
    if len(sent) >= CODE_HOURLY_LIMIT:
        return math.ceil(3600 - (now - sent[0]))
    return 0


def _code_sent(key: str) -> None:
    now = clock.now().timestamp()
    sent = [t for t in cachesafe.counted(cache.get, key, []) if now - t < 3600]
    cachesafe.counted(cache.set, key, [*sent, now], 3600)


def _phone_limit_key(phone_hash: str) -> str:
    return f"vmo:accounts:codes-to:{phone_hash}"


# Attempts from one address per action: (attempts, window in seconds). Sign-in also has the
# per-identity lockout of django-axes; sign-up and reset also limit codes per phone and per
# identifier. Without these a script could walk the registry from one address.
ADDRESS_LIMITS = {
    "signin": (SIGNIN_IP_LIMIT, SIGNIN_IP_WINDOW),
    "signup": (10, 600),
    "reset": (10, 600),
    # Calls of the organisations' check API with no key, an unknown or a revoked key
    # (vmo.checks.org_services.key_for_call). Keys are 256 random bits, so this is not what
    # makes guessing futile; it keeps a script from filling the log and the key lookups.
    "checks-key": (20, 600),
    # The public verifier page (vmo.credentials.views.verify), as the API's 30 a minute.
    "verify": (30, 60),
}


def address_attempt_record(*, action: str, client_ip: str) -> bool:
    """Count one attempt at an action from an address; False once it is over the limit."""
    limit, window = ADDRESS_LIMITS[action]
    return cachesafe.count(f"vmo:accounts:{action}-ip:{client_ip}", window) <= limit


def address_attempts_exhausted(*, action: str, client_ip: str) -> bool:
    """True once the address has used up its attempts at the action in this window: a caller
    that must not even try (a key lookup) asks this first and records only failures."""
    limit, _window = ADDRESS_LIMITS[action]
    key = f"vmo:accounts:{action}-ip:{client_ip}"
    return int(cachesafe.counted(cache.get, key, 0)) >= limit


def signin_attempt_record(*, client_ip: str) -> bool:
    """Count one sign-in attempt from an address; False once it is over the limit."""
    return address_attempt_record(action="signin", client_ip=client_ip)


# --- One-time codes -------------------------------------------------------------------------


def _code_issue(
    *, purpose: str, phone: str, payload: dict[str, Any], actor: User | None
) -> tuple[OneTimeCode, str]:
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    otc = OneTimeCode.objects.create(
        purpose=purpose,
        phone_hash=phone_lookup_hash(phone),
        code_hash=make_password(code),
        payload=payload,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    event_record(actor=actor, subject=otc, action="code.issue", after={"purpose": purpose})
    return otc, code


def _code_problem(otc: OneTimeCode | None, code: str) -> str | None:
    """Why the code cannot be accepted, or None. A wrong guess is counted on the row."""
    if otc is None:
        return _("This code is no longer valid. Please ask for a new one.")
    if otc.used_at is not None:
        return _("This code has already been used. Please ask for a new one.")
    if clock.now() >= otc.expires_at:
        return _("This code has expired. Please ask for a new one.")
    if otc.attempts >= CODE_MAX_ATTEMPTS:
        return _("Too many wrong codes were entered. Please ask for a new one.")
    code = code.strip()
    if len(code) == 6 and code.isdigit() and check_password(code, otc.code_hash):
        return None
    otc.attempts += 1
    otc.save(update_fields=["attempts"])
    event_record(actor=None, subject=otc, action="code.wrong", after={"attempts": otc.attempts})
    left = CODE_MAX_ATTEMPTS - otc.attempts
    if left <= 0:
        return _("The code is wrong. Too many wrong codes were entered: please ask for a new one.")
    return ngettext(
        "The code is wrong. You have %(count)d more try.",
        "The code is wrong. You have %(count)d more tries.",
        left,
    ) % {"count": left}


def _password_problems(password: str, password_confirm: str, *, user: User) -> Errors:
    errors: Errors = {}
    if not password:
        errors["password"] = [_("Choose a password.")]
    else:
        _collect(errors, "password", lambda value: validate_password(value, user=user), password)
    if password != password_confirm:
        errors["password_confirm"] = [_("The two passwords do not match.")]
    return errors


def _sealed(data: dict[str, str]) -> dict[str, str]:
    return {"sealed": crypto.encrypt(json.dumps(data), purpose="signup")}


def _unsealed(payload: dict[str, Any]) -> dict[str, str]:
    return dict(json.loads(crypto.decrypt(payload["sealed"], purpose="signup")))
