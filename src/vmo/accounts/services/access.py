"""Sessions, officers' accounts and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vmo.core import clock
from vmo.core.services import event_record

from ..choices import AccountKind, OfficerRole
from ..models import ApiToken, User, new_session_salt
from ..selectors import api_token_hash
from .common import (
    _USERNAME_RE,
    Errors,
    _password_problems,
    _raise_if,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User

# --- Sessions -------------------------------------------------------------------------------


@transaction.atomic
def sessions_end_everywhere(*, user: User) -> None:
    """End every session of the user, on every device (the current one included)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.session_salt = new_session_salt()
    locked.save(update_fields=["session_salt"])
    user.session_salt = locked.session_salt
    # "Everywhere" includes API clients: a stolen token must not outlive the sessions.
    api_tokens_revoke_all(user=locked)
    event_record(
        actor=user,
        subject=locked,
        action="account.sessions_end",
        after={"changed": ["session_salt"]},
    )


# --- Officers -------------------------------------------------------------------------------


@transaction.atomic
def officer_create(
    *, actor: User | None, username: str, full_name: str, role: str, password: str
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


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every live token of the user (sign out everywhere, password change or reset).
    Runs in the caller's transaction; returns how many were revoked."""
    now = clock.now()
    live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    revoked = 0
    for token in live:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        event_record(
            actor=user, subject=token, action="api_token.revoke", after={"changed": ["revoked_at"]}
        )
        revoked += 1
    return revoked
