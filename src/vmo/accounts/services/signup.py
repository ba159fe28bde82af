"""Real-name sign-up."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from vmo.core import clock
from vmo.core.services import event_record
from vmo.notices.kinds import sms_text
from vmo.notices.services import sms_send
from vmo.registry import selectors as registry
from vmo.registry import validators
from vmo.registry.lookup import id_lookup_hash, phone_lookup_hash

from ..choices import AccountKind, CodePurpose, IdentityMethod
from ..models import OneTimeCode, User
from ..selectors import phone_has_account
from ..validators import normalise_name, validate_real_name
from .common import (
    Errors,
    _code_issue,
    _code_problem,
    _code_sent,
    _code_wait_seconds,
    _collect,
    _password_problems,
    _phone_limit_key,
    _raise_if,
    _sealed,
    _unsealed,
    _wait_message,
)
from .identity import identity_claim_create

if TYPE_CHECKING:
    from vmo.registry.models import Person

# --- Sign-up --------------------------------------------------------------------------------
#
# Both steps answer the same whether or not the ID number is on record, has an account, or the
# name matches: the code goes to the phone typed (proving control of it), and the account is
# linked to the person's records at once only when that phone is the one already on the record.
# Otherwise the account exists but sees nothing until it proves who it is (services.identity).

ALREADY_REGISTERED = gettext_lazy(
    "An account already exists for this ID number. Sign in, or reset your password if you have forgotten it."
)
PHONE_TAKEN = gettext_lazy("This mobile number is already used by another account.")


def _id_limit_key(id_number: str) -> str:
    return f"vmo:accounts:signup-for:{id_lookup_hash(id_number)}"


def signup_start(*, name: str, id_number: str, phone: str) -> OneTimeCode:
    """Text a code to the phone typed. Only the shape of what was typed is judged here (every
    problem at once); nothing in the answer tells whether the person or an account exists."""
    name = normalise_name(name)
    id_number = validators.normalise_id_number(id_number)
    phone = validators.normalise_phone(phone)
    errors: Errors = {}
    _collect(errors, "name", validate_real_name, name)
    id_ok = _collect(errors, "id_number", validators.validate_id_number, id_number)
    phone_ok = _collect(errors, "phone", validators.validate_mobile_phone, phone)
    if phone_ok:
        wait = _code_wait_seconds(_phone_limit_key(phone_lookup_hash(phone)))
        if wait:
            errors.setdefault("phone", []).append(_wait_message(wait))
    if id_ok and not errors.get("phone"):
        wait = _code_wait_seconds(_id_limit_key(id_number))
        if wait:
            errors.setdefault("id_number", []).append(_wait_message(wait))
    _raise_if(errors)

    taken = phone_has_account(phone_lookup_hash(phone))
    with transaction.atomic():
        otc, code = _code_issue(
            purpose=CodePurpose.SIGN_UP,
            phone=phone,
            payload=_sealed({"name": name, "id_number": id_number, "phone": phone}),
            actor=None,
        )
        if taken:
            # The number's owner learns it has an account; the page says what it always says.
            # Its own kind: the text has no code, so it cannot share the code's template.
            kind, context = "code.signup_taken", {}
            otc.code_hash = make_password(secrets.token_hex(8))  # the code is never sent
            otc.save(update_fields=["code_hash"])
        else:
            kind, context = "code.signup", {"code": code}
        body = str(sms_text(kind).sms) % context if context else str(sms_text(kind).sms)
        # Template providers get the context for the kind's approved template.
        sms_send(phone=phone, body=body, kind=kind, one_time_code=True, context=context)
    _code_sent(_phone_limit_key(otc.phone_hash))
    _code_sent(_id_limit_key(id_number))
    return otc


def _on_record_match(data: dict[str, str]) -> Person | None:
    """The person this sign-up may be linked to at once: on record under the ID number, same
    name, no account yet, and the phone just proved is the phone already on the record."""
    person = registry.person_by_id_number(data["id_number"])
    if (
        person is None
        or not person.phone_hash
        or person.phone_hash != phone_lookup_hash(data["phone"])
        or person.name != data["name"]
        or User.objects.filter(person=person).exists()
    ):
        return None
    return person


def _citizen_create(*, data: dict[str, str], password: str) -> User:
    person = _on_record_match(data)
    user = User(
        kind=AccountKind.CITIZEN,
        username=f"c{person.pk}" if person else f"u{secrets.token_hex(8)}",
        person=person,
    )
    user.set_password(password)
    user.save()
    identity_claim_create(
        user=user,
        name=data["name"],
        id_number=data["id_number"],
        phone=data["phone"],
        method=IdentityMethod.PHONE_ON_RECORD if person else "",
    )
    event_record(
        actor=user,
        subject=user,
        action="account.signup",
        after={
            "kind": user.kind,
            "person_id": person.pk if person else None,
            "person": "linked" if person else "not_verified",
        },
    )
    return user


def signup_complete(*, code_id: int, code: str, password: str, password_confirm: str) -> User:
    """Check the code and the password, then create the account: linked to the person's records
    when the phone proved is the one on record, otherwise waiting for identity verification."""
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
        if not errors and phone_has_account(phone_lookup_hash(data["phone"])):
            # Someone signed up with this phone since the code was sent (the code proved it).
            errors[NON_FIELD_ERRORS] = [PHONE_TAKEN]
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
