"""Real-name sign-up."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vmo.core import clock
from vmo.core.services import event_record
from vmo.notices.services import sms_send
from vmo.registry import validators
from vmo.registry.models import Person, id_lookup_hash, phone_lookup_hash
from vmo.registry.services import person_create

from ..choices import AccountKind, CodePurpose
from ..models import OneTimeCode, User
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
    normalise_name,
    validate_real_name,
)
from .notices import account_phone_change

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
