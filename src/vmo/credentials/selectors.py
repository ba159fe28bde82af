"""Reads for the electronic licences: the card's fields, the status lists, the key set.

The card's status comes from `status.selectors.status_for_person` (the one computation of a
person's licence and vehicle status, date-derived letters recomputed for today); this module
only picks the fields the physical card carries.
"""

from __future__ import annotations

import base64
import gzip
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import QuerySet

from vmo.core import cachesafe, clock
from vmo.core.masking import mask_file_number, mask_id_number, mask_vin
from vmo.core.selectors import office_config
from vmo.registry import selectors as registry
from vmo.registry.choices import LicenceStatus, VehicleStatus
from vmo.status.selectors import LicenceInfo, StatusWord, VehicleInfo, status_for_person
from vmo.status.texts import BAD, LICENCE_TEXTS, VEHICLE_TEXTS

if TYPE_CHECKING:
    from vmo.registry.models import Person

LICENCE_LIST, VEHICLE_LIST = "dl", "vl"
STATUS_LIST_SECONDS = 60  # how long a computed list is served before it is computed again
_BAD_LICENCE = [LicenceStatus(c) for c, text in LICENCE_TEXTS.items() if text.severity == BAD]
_BAD_VEHICLE = [VehicleStatus(c) for c, text in VEHICLE_TEXTS.items() if text.severity == BAD]


class _Card:
    """What both cards say of their status: its words, and whether none of them refuses."""

    info: LicenceInfo | VehicleInfo

    @property
    def ok(self) -> bool:
        return not any(w.severity == BAD for w in self.info.statuses)

    @property
    def statuses(self) -> list[StatusWord]:
        return self.info.statuses


@dataclass
class LicenceCard(_Card):
    index: int
    name: str
    sex: str
    sex_label: str
    id_number: str
    file_number: str
    issuing_office: str
    info: LicenceInfo


@dataclass
class VehicleCard(_Card):
    index: int
    owner: str
    vehicle_type_code: str
    vin: str
    issuing_office: str
    info: VehicleInfo


def _office_name() -> str:
    return str(office_config())


def licence_card(person: Person) -> LicenceCard | None:
    """The holder's e-licence, or None when the person holds no licence."""
    licence = registry.licence_of(person)
    if licence is None:
        return None
    info = status_for_person(person).licence
    assert info is not None
    return LicenceCard(
        index=licence.pk,
        name=person.name,
        sex=person.sex,
        sex_label=str(person.get_sex_display()),
        id_number=mask_id_number(person.id_number),
        file_number=mask_file_number(licence.file_number),
        issuing_office=_office_name(),
        info=info,
    )


def vehicle_card(person: Person, *, pk: int) -> VehicleCard | None:
    """The e-vehicle licence of a vehicle the person owns; None for anyone else's (a 404)."""
    vehicle = registry.vehicles_of(person).filter(pk=pk).first()
    if vehicle is None:
        return None
    info = next((v for v in status_for_person(person).vehicles if v.id == pk), None)
    if info is None:
        return None
    return VehicleCard(
        index=vehicle.pk,
        owner=person.name,
        vehicle_type_code=vehicle.vehicle_type,
        vin=mask_vin(vehicle.vin),
        issuing_office=_office_name(),
        info=info,
    )


def _encode_bits(indexes: list[int]) -> str:
    """W3C Bitstring Status List encoding: bit i is bit (7 - i % 8) of byte i // 8, the whole
    GZIP-compressed and base64url-encoded with the multibase prefix "u"."""
    size = max([131_072, *(i + 1 for i in indexes)])  # at least 16 KB: hides how many exist
    bits = bytearray((size + 7) // 8)
    for i in indexes:
        bits[i // 8] |= 0x80 >> (i % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_bits(encoded: str) -> bytes:
    raw = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def bit_set(bits: bytes, index: int) -> bool:
    return 0 <= index < len(bits) * 8 and bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list(name: str) -> dict[str, object]:
    """The public status list `name` ("dl" or "vl"), computed at most once a minute per process
    group: the query reads only the indexed status column of the rows whose stored letters
    include a refusing one, never the whole table per request."""
    key = f"credentials:status-list:{name}"
    # Without the cache the list is computed for each read: a verifier still gets an answer.
    found = cachesafe.optional(cache.get, key, default=None)
    if found is not None:
        return found
    refused: QuerySet[Any]
    if name == LICENCE_LIST:
        refused = registry.licences().filter(registry.letters_q(*_BAD_LICENCE))
    else:
        refused = registry.vehicles().filter(registry.letters_q(*_BAD_VEHICLE))
    indexes = list(refused.values_list("pk", flat=True))
    value = {
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "list": name,
        "encodedList": _encode_bits(indexes),
        "computed": clock.now().isoformat(),
        "ttl": STATUS_LIST_SECONDS,
    }
    cachesafe.optional(cache.set, key, value, STATUS_LIST_SECONDS, default=None)
    return value


def status_lists_changed() -> None:
    """Drop the cached lists so the next read is fresh (called after a status change).

    It runs when the status event's row is saved, inside the registry's transaction: with the
    cache away it must not fail the change itself (a suspension, a stolen car), so it is
    skipped; what the cache still holds expires within STATUS_LIST_SECONDS."""
    keys = [f"credentials:status-list:{n}" for n in (LICENCE_LIST, VEHICLE_LIST)]
    cachesafe.optional(cache.delete_many, keys, default=None)


def revoked_online(list_name: str, index: int) -> bool:
    if list_name not in (LICENCE_LIST, VEHICLE_LIST):
        return False
    return bit_set(decode_bits(str(status_list(list_name)["encodedList"])), index)
