from __future__ import annotations

from django.db.models import Q

from vmo.registry import validators
from vmo.registry.models import id_lookup_hash, phone_lookup_hash

from .models import User


def user_by_identifier(identifier: str) -> User | None:
    """A citizen by phone or ID number, or an officer by username."""
    value = identifier.strip()
    query = Q(username=value, kind="officer")
    digits = validators.normalise_phone(value)
    if digits.isdigit() and len(digits) == 11:
        query |= Q(person__phone_hash=phone_lookup_hash(digits), kind="citizen")
    if len(value) == 18:
        query |= Q(person__id_hash=id_lookup_hash(value), kind="citizen")
    return User.objects.filter(query).select_related("person").first()
