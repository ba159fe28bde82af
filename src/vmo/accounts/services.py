"""Writes of accounts: real-name sign-up, password reset, sessions, officers, API tokens.

Each service is one transaction and writes history. History names which fields changed and
never holds a phone number or an ID number.
"""

from __future__ import annotations

import json
import math
import re
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from vmo.core import clock, crypto
from vmo.core.masking import mask_phone
from vmo.core.services import event_record
from vmo.notices.services import device_seen, notify, sms_send
from vmo.registry import validators
from vmo.registry.models import Person, id_lookup_hash, phone_lookup_hash
from vmo.registry.services import person_create, person_update_contact

from .choices import AccountKind, CodePurpose, OfficerRole
from .models import ApiToken, OneTimeCode, User, new_session_salt
from .selectors import api_token_hash, user_by_identifier

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

_DOT_VARIANTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·"})
# Runs of letters (Chinese characters count as letters) joined by "·" or a single space.
_NAME_RE = re.compile(r"[^\W\d_]+(?:[· ][^\W\d_]+)*")
_USERNAME_RE = re.compile(r"[a-z][a-z0-9_.-]{2,29}")


def normalise_name(value: str) -> str:
    return " ".join(value.split()).translate(_DOT_VARIANTS)


def validate_real_name(value: str) -> None:
    """The name as on the ID card: 2 to 30 letters or Chinese characters, parts joined by ·."""
    name = normalise_name(value)
    if not (2 <= len(name) <= 30 and _NAME_RE.fullmatch(name)):
        raise ValidationError(
            _(
                "Enter your name as on your ID card: 2 to 30 Chinese characters or letters, with · between the parts of a name."
            ),
            code="name_format",
        )


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
    sent = [t for t in cache.get(key, []) if now - t < 3600]
    if sent and now - sent[-1] < CODE_MIN_INTERVAL:
        return math.ceil(CODE_MIN_INTERVAL - (now - sent[-1]))
    if len(sent) >= CODE_HOURLY_LIMIT:
        return math.ceil(3600 - (now - sent[0]))
    return 0


def _code_sent(key: str) -> None:
    now = clock.now().timestamp()
    sent = [t for t in cache.get(key, []) if now - t < 3600]
    cache.set(key, [*sent, now], 3600)


def _phone_limit_key(phone_hash: str) -> str:
    return f"vmo:accounts:codes-to:{phone_hash}"


def signin_attempt_record(*, client_ip: str) -> bool:
    """Count one sign-in attempt from an address; False once it is over the limit."""
    key = f"vmo:accounts:signin-ip:{client_ip}"
    cache.add(key, 0, SIGNIN_IP_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, SIGNIN_IP_WINDOW)
        count = 1
    return count <= SIGNIN_IP_LIMIT


# --- One-time codes -------------------------------------------------------------------------


def _code_issue(
    *, purpose: str, phone: str, payload: dict[str, Any], actor: Any
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


# --- Security notices -------------------------------------------------------------------------


def _local_time() -> str:
    return clock.now().strftime("%Y-%m-%d %H:%M")


def _device_label(user_agent: str) -> str:
    """A coarse browser / system name: enough for the holder to recognise it."""
    agent = user_agent.lower()
    browser = next(
        (
            name
            for key, name in (
                ("edg", "Edge"),
                ("micromessenger", "WeChat"),
                ("firefox", "Firefox"),
                ("chrome", "Chrome"),
                ("safari", "Safari"),
            )
            if key in agent
        ),
        "",
    )
    system = next(
        (
            name
            for key, name in (
                ("android", "Android"),
                ("iphone", "iOS"),
                ("ipad", "iOS"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if key in agent
        ),
        "",
    )
    return " / ".join(part for part in (browser, system) if part) or _("an unknown device")


def signin_notice(*, user: User, user_agent: str) -> bool:
    """Record the sign-in's device; tell the holder when the device is new. True if told.

    A device is its browser-and-system string under a keyed hash (no agent string is kept).
    The first sign-in (at sign-up) only records the device. Kept with the notice preferences.
    """
    device = crypto.keyed_hash(user_agent.strip(), purpose="account.device")[:32]
    with transaction.atomic():
        if device_seen(user=user, device=device) != "new":
            return False
        notify(
            kind="accounts.new_signin",
            context={"time": _local_time(), "device": str(_device_label(user_agent))},
            dedup_key=f"accounts.new_signin:{user.pk}:{device}",
            user=user,
            respect_quiet_hours=False,
        )
    return True


def _password_changed_notice(user: User) -> None:
    now = clock.now()
    notify(
        kind="accounts.password_changed",
        context={"time": _local_time()},
        dedup_key=f"accounts.password_changed:{user.pk}:{now.isoformat()}",
        user=user,
    )


@transaction.atomic
def account_phone_change(*, actor: Any, person: Person, phone: str, user: Any = None) -> Person:
    """Change a person's mobile number and tell them: by SMS at the OLD number (a stolen
    account must not silence its owner) and in the inbox. Use it for every phone change."""
    old = Person.objects.select_for_update().get(pk=person.pk).phone
    person = person_update_contact(actor=actor, person=person, phone=phone)
    if old and old != person.phone:
        holder = user if user is not None else User.objects.filter(person=person).first()
        now = clock.now()
        notify(
            kind="accounts.phone_changed",
            context={
                "old": mask_phone(old),
                "new": mask_phone(person.phone),
                "time": _local_time(),
            },
            dedup_key=f"accounts.phone_changed:{person.pk}:{now.isoformat()}",
            user=holder,
            phone=old,
            respect_quiet_hours=False,
        )
    return person


# --- Sign-up --------------------------------------------------------------------------------


ALREADY_REGISTERED = gettext_lazy(
    "An account already exists for this ID number. Sign in, or reset your password if you have forgotten it."
)
PHONE_TAKEN = gettext_lazy("This mobile number is already used by another account.")


def _account_conflicts(*, person: Person | None, phone_hash: str | None) -> Errors:
    """The person already has an account, or the phone belongs to someone else's account."""
    errors: Errors = {}
    if person is not None and User.objects.filter(person=person).exists():
        errors["id_number"] = [ALREADY_REGISTERED]
    if phone_hash:
        holder = User.objects.filter(
            kind=AccountKind.CITIZEN, person__phone_hash=phone_hash
        ).first()
        if holder is not None and (person is None or holder.person_id != person.pk):
            errors["phone"] = [PHONE_TAKEN]
    return errors


def signup_start(*, name: str, id_number: str, phone: str) -> OneTimeCode:
    """Check who is signing up and text a code to their phone. Every problem is reported at once."""
    name = normalise_name(name)
    id_number = validators.normalise_id_number(id_number)
    phone = validators.normalise_phone(phone)
    errors: Errors = {}
    name_ok = _collect(errors, "name", validate_real_name, name)
    id_ok = _collect(errors, "id_number", validators.validate_id_number, id_number)
    phone_ok = _collect(errors, "phone", validators.validate_mobile_phone, phone)
    person = Person.objects.filter(id_hash=id_lookup_hash(id_number)).first() if id_ok else None
    phone_hash = phone_lookup_hash(phone) if phone_ok else None
    conflicts = _account_conflicts(person=person, phone_hash=phone_hash)
    for field, messages in conflicts.items():
        errors.setdefault(field, []).extend(messages)
    if person is not None and name_ok and "id_number" not in conflicts and person.name != name:
        errors.setdefault("name", []).append(
            _("The name does not match the records for this ID number.")
        )
    if phone_hash:
        wait = _code_wait_seconds(_phone_limit_key(phone_hash))
        if wait:
            errors.setdefault("phone", []).append(_wait_message(wait))
    _raise_if(errors)

    with transaction.atomic():
        otc, code = _code_issue(
            purpose=CodePurpose.SIGN_UP,
            phone=phone,
            payload=_sealed({"name": name, "id_number": id_number, "phone": phone}),
            actor=None,
        )
        sms_send(
            phone=phone,
            body=_("Your sign-up code is %(code)s, valid for 10 minutes.") % {"code": code},
            kind="code.signup",
            one_time_code=True,
        )
    _code_sent(_phone_limit_key(otc.phone_hash))
    return otc


def _citizen_create(*, data: dict[str, str], password: str) -> User:
    person = Person.objects.filter(id_hash=id_lookup_hash(data["id_number"])).first()
    linked = person is not None
    if person is None:
        person = person_create(
            actor=None, name=data["name"], id_number=data["id_number"], phone=data["phone"]
        )
    user = User(kind=AccountKind.CITIZEN, username=f"c{person.pk}", person=person)
    user.set_password(password)
    user.save()
    if linked:
        # The phone just proved by the code becomes the person's contact number.
        account_phone_change(actor=user, person=person, phone=data["phone"], user=user)
    event_record(
        actor=user,
        subject=user,
        action="account.signup",
        after={
            "kind": user.kind,
            "person_id": person.pk,
            "person": "linked" if linked else "created",
        },
    )
    return user


def signup_complete(*, code_id: int, code: str, password: str, password_confirm: str) -> User:
    """Check the code and the password, then create the account (and the person if new)."""
    errors: Errors = {}
    user: User | None = None
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(pk=code_id, purpose=CodePurpose.SIGN_UP)
            .first()
        )
        problem = _code_problem(otc, code)
        if problem:
            errors["code"] = [problem]
        data = _unsealed(otc.payload) if otc is not None else {"name": "", "phone": ""}
        errors.update(
            _password_problems(
                password,
                password_confirm,
                user=User(username=data["phone"], first_name=data["name"]),
            )
        )
        if not errors:
            assert otc is not None
            # Someone may have signed up for this person, or with this phone, since the code was sent.
            person = Person.objects.filter(id_hash=id_lookup_hash(data["id_number"])).first()
            conflicts = _account_conflicts(
                person=person, phone_hash=phone_lookup_hash(data["phone"])
            )
            if conflicts:
                errors[NON_FIELD_ERRORS] = [m for ms in conflicts.values() for m in ms]
        if not errors:
            assert otc is not None
            try:
                with transaction.atomic():
                    user = _citizen_create(data=data, password=password)
            except IntegrityError:
                # Someone finished signing up for the same person a moment earlier.
                errors[NON_FIELD_ERRORS] = [ALREADY_REGISTERED]
            else:
                otc.used_at = clock.now()
                otc.save(update_fields=["used_at"])
    # Raised after the block so the counted wrong guess is kept.
    _raise_if(errors)
    assert user is not None
    return user


# --- Password reset -------------------------------------------------------------------------


def _decoy_code() -> OneTimeCode:
    # Nobody learns this code; it lets step two answer exactly as for a real account.
    now = clock.now()
    return OneTimeCode.objects.create(
        purpose=CodePurpose.PASSWORD_RESET,
        phone_hash="",
        code_hash=make_password(secrets.token_hex(8)),
        payload={"user_id": None},
        created_at=now,
        expires_at=now + CODE_TTL,
    )


def password_reset_start(*, identifier: str) -> OneTimeCode:
    """Text a reset code to the account's phone.

    Whether or not an account matches, the caller gets a code row and the same answer (with
    no account, or with its phone over the limit, the row is a decoy and nothing is sent), so
    neither this step nor the next one reveals who has an account.
    """
    value = identifier.strip()
    phone = validators.normalise_phone(value)
    if not ((phone.isdigit() and len(phone) == 11) or len(value) == 18):
        raise ValidationError(
            {"identifier": [_("Enter the mobile number or ID number of your account.")]}
        )
    key = f"vmo:accounts:reset-for:{_identifier_key(value)}"
    wait = _code_wait_seconds(key)
    if wait:
        raise ValidationError({"identifier": [_wait_message(wait)]})
    _code_sent(key)
    user = user_by_identifier(value)
    person = user.person if user is not None and user.is_citizen and user.is_active else None
    if (
        person is None
        or not person.phone
        or _code_wait_seconds(_phone_limit_key(person.phone_hash))
    ):
        return _decoy_code()
    assert user is not None
    with transaction.atomic():
        otc, code = _code_issue(
            purpose=CodePurpose.PASSWORD_RESET,
            phone=person.phone,
            payload={"user_id": user.pk},
            actor=user,
        )
        sms_send(
            phone=person.phone,
            body=_(
                "Your password reset code is %(code)s, valid for 10 minutes. If you did not ask for it, ignore this message."
            )
            % {"code": code},
            kind="code.password_reset",
            one_time_code=True,
            user=user,
        )
    _code_sent(_phone_limit_key(person.phone_hash))
    return otc


def password_reset_complete(
    *, code_id: int, code: str, password: str, password_confirm: str
) -> User:
    """Set a new password with a reset code; every existing session of the account ends."""
    errors: Errors = {}
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(pk=code_id, purpose=CodePurpose.PASSWORD_RESET)
            .first()
        )
        problem = _code_problem(otc, code)
        if problem:
            errors["code"] = [problem]
        user = None
        if otc is not None:
            user = (
                User.objects.select_for_update()
                .filter(pk=otc.payload.get("user_id"), is_active=True)
                .first()
            )
        errors.update(_password_problems(password, password_confirm, user=user or User()))
        if not errors and user is None:
            errors["code"] = [_("This code is no longer valid. Please ask for a new one.")]
        if not errors:
            assert otc is not None and user is not None
            user.set_password(password)
            user.session_salt = new_session_salt()
            user.save(update_fields=["password", "session_salt"])
            otc.used_at = clock.now()
            otc.save(update_fields=["used_at"])
            event_record(
                actor=user,
                subject=user,
                action="account.password_reset",
                after={"changed": ["password", "session_salt"]},
            )
            _password_changed_notice(user)
    _raise_if(errors)
    assert user is not None
    return user


def codes_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete one-time codes past their use; they only ever prove a phone for minutes."""
    deleted, _details = OneTimeCode.objects.filter(expires_at__lt=clock.now() - older_than).delete()
    return deleted


# --- Sessions -------------------------------------------------------------------------------


@transaction.atomic
def sessions_end_everywhere(*, user: User) -> None:
    """End every session of the user, on every device (the current one included)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.session_salt = new_session_salt()
    locked.save(update_fields=["session_salt"])
    user.session_salt = locked.session_salt
    event_record(
        actor=user,
        subject=locked,
        action="account.sessions_end",
        after={"changed": ["session_salt"]},
    )


# --- Officers -------------------------------------------------------------------------------


@transaction.atomic
def officer_create(
    *, actor: Any, username: str, full_name: str, role: str, password: str
) -> tuple[User, TOTPDevice]:
    """An officer account with its TOTP device; show the device's key to the officer once."""
    username = username.strip().lower()
    full_name = " ".join(full_name.split())
    errors: Errors = {}
    if not _USERNAME_RE.fullmatch(username):
        errors["username"] = [
            _(
                "A username has 3 to 30 lower-case letters, digits, '.', '_' or '-', and starts with a letter."
            )
        ]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [_("This username is taken.")]
    if not 2 <= len(full_name) <= 60:
        errors["full_name"] = [_("Enter the officer's full name (2 to 60 characters).")]
    if role not in OfficerRole.values:
        errors["role"] = [
            _("Choose one of the roles: %(roles)s.") % {"roles": ", ".join(OfficerRole.values)}
        ]
    is_admin = role == OfficerRole.ADMINISTRATOR
    user = User(
        kind=AccountKind.OFFICER,
        username=username,
        first_name=full_name,
        role=role,
        # Administrators manage the Django admin, which also demands a verified TOTP device.
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    errors.update(_password_problems(password, password, user=user))
    _raise_if(errors)
    user.set_password(password)
    user.save()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    event_record(
        actor=actor,
        subject=user,
        action="officer.create",
        after={"username": username, "role": role},
    )
    return user, device


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int = 30) -> tuple[str, ApiToken]:
    """A bearer token for an API client. The raw token is returned once and never stored."""
    name = name.strip()
    errors: Errors = {}
    if not 1 <= len(name) <= 60:
        errors["name"] = [_("Give the token a name of 1 to 60 characters.")]
    if not 1 <= days <= 365:
        errors["days"] = [_("A token lasts 1 to 365 days.")]
    _raise_if(errors)
    raw = secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=api_token_hash(raw),
        prefix=raw[:8],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    event_record(
        actor=user,
        subject=token,
        action="api_token.create",
        after={"name": name, "prefix": token.prefix, "days": days},
    )
    return raw, token


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise ValidationError({"token": [_("There is no such token.")]})
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        event_record(
            actor=user, subject=token, action="api_token.revoke", after={"changed": ["revoked_at"]}
        )
    return token
