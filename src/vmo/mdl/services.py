"""Issuing the mDL (ISO/IEC 18013-5 IssuerSigned with its Mobile Security Object)."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import cbor2
from cbor2 import CBORTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from vmo.core import clock
from vmo.mdl import cose, keys, profile
from vmo.mdl.encoding import digest, item_bytes, tdate
from vmo.registry import selectors as registry

if TYPE_CHECKING:
    from vmo.registry.models import Person

SALT_BYTES = 32  # 18013-5 9.1.2.5: at least 16 random bytes per element


class NoLicence(Exception):
    pass


def _device_key_cose() -> dict[int, Any]:
    """A fresh P-256 device key whose private half is discarded: there is no wallet
    provisioning here to hold it, so this mdoc cannot do mdoc (device) authentication."""
    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    return {1: 2, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}


def _valid_until(person: Person, signer: keys.Signer, signed: datetime) -> datetime:
    """The MSO lives MSO_DAYS, never past the signer, the licence, or the day an age_over_NN
    element would turn true."""
    end = min(signed + timedelta(days=keys.MSO_DAYS), signer.cert.not_valid_after_utc)
    licence = registry.licence_of(person)
    limits = [
        licence.valid_to if licence else None,
        profile.next_age_change(person.birth_date, signed.date()),
    ]
    for day in limits:
        if day is not None:
            end = min(end, datetime.combine(day, time(0), clock.OFFICE_TZ))
    return end


def issue_document(*, person: Person) -> bytes:
    """The Document CBOR {docType, issuerSigned} for the person's licence."""
    licence = registry.licence_of(person)
    if licence is None:
        raise NoLicence
    keys.ensure_embedded_keys()
    signer = keys.current_signer()
    assert signer.key is not None
    signed = clock.now()
    values = profile.elements(
        person, licence, authority=settings.VMO_MDL_ISSUING_AUTHORITY, today=signed.date()
    )
    # Digest IDs are shuffled so their order tells nothing about which element is which.
    ids = list(range(len(values)))
    secrets.SystemRandom().shuffle(ids)
    items, digests = [], {}
    for digest_id, (name, value) in zip(ids, values.items(), strict=True):
        item = {
            "digestID": digest_id,
            "random": secrets.token_bytes(SALT_BYTES),
            "elementIdentifier": name,
            "elementValue": value,
        }
        tagged = item_bytes(item)
        items.append(CBORTag(24, cbor2.dumps(item)))
        digests[digest_id] = digest(tagged)
    mso = {
        "version": "1.0",
        "digestAlgorithm": "SHA-256",
        "valueDigests": {profile.NAMESPACE: digests},
        "deviceKeyInfo": {"deviceKey": _device_key_cose()},
        "docType": profile.DOC_TYPE,
        "validityInfo": {
            "signed": tdate(signed),
            "validFrom": tdate(signed),
            "validUntil": tdate(_valid_until(person, signer, signed)),
        },
    }
    payload = cbor2.dumps(CBORTag(24, cbor2.dumps(mso)))
    der = signer.cert.public_bytes(serialization.Encoding.DER)
    issuer_auth = cbor2.loads(cose.sign1(payload, signer.key, der))
    document = {
        "docType": profile.DOC_TYPE,
        "issuerSigned": {"nameSpaces": {profile.NAMESPACE: items}, "issuerAuth": issuer_auth},
    }
    return cbor2.dumps(document)
