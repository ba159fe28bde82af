"""Password reset by a code to the account's phone."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record
from vmo.notices.kinds import sms_text
from vmo.notices.services import sms_send
from vmo.registry import validators

from ..choices import CodePurpose
from ..models import OneTimeCode, User, new_session_salt
from ..selectors import user_by_identifier
from .access import api_tokens_revoke_all
from .common import (
    CODE_TTL,
    Errors,
    _code_issue,
    _code_problem,
    _code_sent,
    _code_wait_seconds,
    _identifier_key,
    _password_problems,
    _phone_limit_key,
    _raise_if,
    _wait_message,
)
from .notices import _password_changed_notice

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
            body=str(sms_text("code.password_reset").sms) % {"code": code},
            kind="code.password_reset",
            one_time_code=True,
            context={"code": code},
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
            api_tokens_revoke_all(user=user)
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
