"""The ISO/IEC 18013-5 encodings that issuing, presenting and verifying share: dates, the bytes
an element's digest is taken over, and selective disclosure. Pure functions of their input, no
records and no keys."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import cbor2
from cbor2 import CBORTag


def tdate(moment: datetime) -> CBORTag:
    """18013-5 tdate: tag 0, UTC, no fractional seconds."""
    return CBORTag(0, moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"))


def item_bytes(item: dict[str, Any]) -> bytes:
    """IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem): the bytes that are digested."""
    return cbor2.dumps(CBORTag(24, cbor2.dumps(item)))


def digest(tagged_item: bytes) -> bytes:
    return hashlib.sha256(tagged_item).digest()


def disclose(document: bytes, names: set[str]) -> bytes:
    """The same document with only the named elements: what a holder presents to a verifier.
    The MSO is unchanged; withheld elements leave only their salted digests behind."""
    doc = cbor2.loads(document)
    ns = doc["issuerSigned"]["nameSpaces"]
    for namespace, tagged_items in ns.items():
        ns[namespace] = [
            tagged
            for tagged in tagged_items
            if cbor2.loads(tagged.value)["elementIdentifier"] in names
        ]
    return bytes(cbor2.dumps(doc))
