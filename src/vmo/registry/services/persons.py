"""Writes of persons and companies: who may own vehicles and hold licences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core.services import event_record

from ..lookup import id_lookup_hash
from ..models import (
    Company,
    Person,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    name: str,
    id_number: str,
    phone: str = "",
    address: str = "",
    email: str = "",
) -> Person:
    person = Person(
        name=name.strip(),
        id_number=id_number.strip(),
        phone=phone.strip(),
        address=address,
        email=email,
    )
    person.full_clean(exclude=["id_hash", "birth_date", "sex", "region_code", "phone_hash"])
    if Person.objects.filter(id_hash=id_lookup_hash(person.id_number)).exists():
        raise ValidationError(
            {"id_number": _("A person with this ID number is already on record.")}, code="duplicate"
        )
    person.save()
    event_record(
        actor=actor,
        subject=person,
        action="person.create",
        after={"region_code": person.region_code},
    )
    return person


@transaction.atomic
def person_update_contact(
    *,
    actor: User | None,
    person: Person,
    phone: str | None = None,
    address: str | None = None,
    email: str | None = None,
) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = []
    for field, value in (("phone", phone), ("address", address), ("email", email)):
        if value is not None and value != getattr(person, field):
            setattr(person, field, value)
            changed.append(field)
    if not changed:
        return person
    person.full_clean(exclude=["id_hash", "birth_date", "sex", "region_code", "phone_hash"])
    person.save()
    # Which fields changed, never their values: the history must not leak personal data.
    event_record(
        actor=actor, subject=person, action="person.contact_update", after={"changed": changed}
    )
    return person


@transaction.atomic
def company_create(*, actor: User | None, name: str, uscc: str, address: str = "") -> Company:
    company = Company(name=name, uscc=uscc.strip().upper(), address=address)
    company.full_clean()
    company.save()
    event_record(
        actor=actor, subject=company, action="company.create", after={"uscc": company.uscc}
    )
    return company
