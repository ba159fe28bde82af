"""Keyed hashes that find a person by ID number or phone without decrypting every row. Apart
from the models so that other apps (accounts, notices) compute them without the registry's
models."""

from __future__ import annotations

from vmo.core import crypto

from . import validators


def id_lookup_hash(id_number: str) -> str:
    return crypto.keyed_hash(validators.normalise_id_number(id_number), purpose="person.id")


def phone_lookup_hash(phone: str) -> str:
    return crypto.keyed_hash(validators.normalise_phone(phone), purpose="person.phone")
