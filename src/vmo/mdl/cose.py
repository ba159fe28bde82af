"""COSE_Sign1 for the MSO (RFC 9052 via pycose): ES256 with the x5chain header (label 33)."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec
from pycose.algorithms import Es256
from pycose.headers import Algorithm, X5chain
from pycose.keys.curves import P256
from pycose.keys.ec2 import EC2Key
from pycose.messages import Sign1Message


def _cose_key(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> EC2Key:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    numbers = public.public_numbers()
    x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
    if isinstance(key, ec.EllipticCurvePrivateKey):
        d = key.private_numbers().private_value.to_bytes(32, "big")
        return EC2Key(crv=P256, x=x, y=y, d=d)
    return EC2Key(crv=P256, x=x, y=y)


def sign1(payload: bytes, key: ec.EllipticCurvePrivateKey, chain_der: bytes) -> bytes:
    """Untagged COSE_Sign1 (18013-5 9.1.2.4): alg in the protected header, x5chain unprotected."""
    message = Sign1Message(phdr={Algorithm: Es256}, uhdr={X5chain: chain_der}, payload=payload)
    message.key = _cose_key(key)
    return bytes(message.encode(tag=False))


def decode(structure: list[object]) -> Sign1Message:
    """An untagged COSE_Sign1 array, as 18013-5 embeds it (pycose's decode wants tag 18)."""
    if not isinstance(structure, list) or len(structure) != 4:
        raise ValueError("issuerAuth is not a COSE_Sign1 array")
    message = Sign1Message.from_cose_obj(list(structure), True)
    assert isinstance(message, Sign1Message)
    return message


def signature_valid(message: Sign1Message, public: ec.EllipticCurvePublicKey) -> bool:
    if message.phdr.get(Algorithm) is not Es256:
        return False
    message.key = _cose_key(public)
    return bool(message.verify_signature())
