"""Verifying an mDL Document (ISO/IEC 18013-5 9.3.1, issuer data authentication).

Checks, each refusing with a named reason: the COSE_Sign1 signature over the MSO with the
document signer's key; the signer certificate chained to the given IACA root (signature,
issuer name, validity, key usage and the mDL DS extended key usage); the MSO's validity
window against the one clock; the docType; and every disclosed element's digest against the
MSO's valueDigests. Withheld elements are simply absent: nothing about them is returned.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from pycose.headers import X5chain

from vmo.core import clock
from vmo.mdl import cose, keys, profile
from vmo.mdl.encoding import digest


class Refused(Exception):
    """The document does not verify; str() says why."""


@dataclass
class Verified:
    doc_type: str
    signer_subject: str
    valid_from: datetime
    valid_until: datetime
    elements: dict[str, Any] = field(default_factory=dict)


def _tdate(tag: Any) -> datetime:
    value = tag.value if isinstance(tag, cbor2.CBORTag) and tag.tag == 0 else tag
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _check_chain(signer: x509.Certificate, root: x509.Certificate, at: datetime) -> None:
    if signer.issuer != root.subject:
        raise Refused("the document signer was not issued by this IACA root")
    public = root.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    try:
        public.verify(signer.signature, signer.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused("the document signer's certificate is not signed by this IACA root") from None
    for cert, label in ((root, "IACA root"), (signer, "document signer")):
        if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
            raise Refused(f"the {label} certificate is not valid at {at:%Y-%m-%d %H:%M}")
    try:
        usage = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        key_usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise Refused("the document signer lacks the mDL key usages") from None
    if keys.MDL_DS_EKU not in usage or not key_usage.digital_signature:
        raise Refused("the document signer's certificate is not for signing mDLs")


def _check_not_revoked(signer: x509.Certificate, root: x509.Certificate, crl_der: bytes) -> None:
    try:
        crl = x509.load_der_x509_crl(crl_der)
    except ValueError:
        raise Refused("the CRL is not a DER certificate revocation list") from None
    public = root.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    if crl.issuer != root.subject or not crl.is_signature_valid(public):
        raise Refused("the CRL is not signed by this IACA root")
    # An older list can only miss revocations, never invent one: it is still applied.
    if crl.get_revoked_certificate_by_serial_number(signer.serial_number) is not None:
        raise Refused("the document signer's certificate is revoked (on the IACA's CRL)")


def verify_document(
    data: bytes, root_pem: bytes, *, at: datetime | None = None, crl_der: bytes | None = None
) -> Verified:
    """`crl_der`, the IACA's revocation list when the verifier has one (/mdl/iaca.crl)."""
    moment = at or clock.now()
    root = x509.load_pem_x509_certificate(root_pem)
    try:
        doc = cbor2.loads(data)
        issuer_signed = doc["issuerSigned"]
        message = cose.decode(issuer_signed["issuerAuth"])
        chain = message.uhdr.get(X5chain)
        signer_der = chain[0] if isinstance(chain, list) else chain
        if not isinstance(signer_der, bytes) or not isinstance(message.payload, bytes):
            raise ValueError("issuerAuth lacks its x5chain or payload")
        signer = x509.load_der_x509_certificate(signer_der)
        mso = cbor2.loads(cbor2.loads(message.payload).value)
    except (KeyError, TypeError, ValueError, AttributeError, cbor2.CBORDecodeError) as error:
        raise Refused(f"not an mdoc Document: {error}") from None

    _check_chain(signer, root, moment)
    if crl_der is not None:
        _check_not_revoked(signer, root, crl_der)
    public = signer.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    if not cose.signature_valid(message, public):
        raise Refused("the issuerAuth signature does not verify")

    if doc.get("docType") != profile.DOC_TYPE or mso.get("docType") != profile.DOC_TYPE:
        raise Refused(f"docType is not {profile.DOC_TYPE}")
    if mso.get("digestAlgorithm") != "SHA-256":
        raise Refused("unsupported digest algorithm")
    validity = mso["validityInfo"]
    valid_from, valid_until = _tdate(validity["validFrom"]), _tdate(validity["validUntil"])
    if moment < valid_from:
        raise Refused("the MSO is not yet valid")
    if moment > valid_until:
        raise Refused("the MSO has expired (validUntil passed)")

    result = Verified(
        doc_type=profile.DOC_TYPE,
        signer_subject=signer.subject.rfc4514_string(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    for namespace, tagged_items in issuer_signed.get("nameSpaces", {}).items():
        expected = mso["valueDigests"].get(namespace, {})
        for tagged in tagged_items:
            item = cbor2.loads(tagged.value)
            name = item["elementIdentifier"]
            want = expected.get(item["digestID"])
            if want is None or not hmac.compare_digest(want, digest(cbor2.dumps(tagged))):
                raise Refused(f"element {name} does not match its digest")
            if name in result.elements:
                raise Refused(f"element {name} appears twice")
            result.elements[name] = item["elementValue"]
    return result
