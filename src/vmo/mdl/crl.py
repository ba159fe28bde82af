"""The IACA's certificate revocation list for its document signers (RFC 5280; ISO/IEC 18013-5
Annex B names a CRL distribution point in every certificate, and ours names /mdl/iaca.crl).

A revocation is kept in revoked.json in the key directory (serial, time, reason: nothing
secret) and the CRL is signed again with the IACA key: at each revocation and by
`manage.py mdl_keys publish-crl`, which must run (daily, from cron) where the IACA key is
kept, well before the list's nextUpdate. The revoked signer's private key is deleted, as at
rotation: nothing may sign with it again. Verifiers that are given the list refuse every
document the revoked signer signed.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from vmo.core import clock
from vmo.core.services import key_change_record
from vmo.mdl import keys

CRL_DAYS = 7  # nextUpdate: a verifier holding an older list knows to fetch a new one
REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "key_compromise": x509.ReasonFlags.key_compromise,
    "superseded": x509.ReasonFlags.superseded,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
}


def _revoked_path() -> Path:
    return keys.key_dir() / "revoked.json"


def _crl_path() -> Path:
    return keys.key_dir() / "iaca.crl"


def _replace(path: Path, data: bytes) -> None:
    # Written beside and renamed: a reader never sees half a list.
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.chmod(part, 0o644)
    part.replace(path)


def revocations() -> list[dict[str, Any]]:
    path = _revoked_path()
    return list(json.loads(path.read_text())) if path.exists() else []


def publish(*, at: datetime | None = None) -> x509.CertificateRevocationList:
    """Sign the list of every revocation on file with the IACA key and store it (DER)."""
    root_cert, root_key = keys.root()
    if root_key is None:
        raise keys.KeyError_("The IACA private key is not here; publish the CRL where it is kept.")
    now = at or clock.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root_cert.subject)
        .last_update(now)
        .next_update(now + timedelta(days=CRL_DAYS))
        .add_extension(x509.CRLNumber(int(now.timestamp())), False)  # rises with time
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
    )
    for entry in revocations():
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(int(entry["serial"], 16))
            .revocation_date(datetime.fromisoformat(entry["revoked_at"]))
            .add_extension(x509.CRLReason(REASONS[entry["reason"]]), critical=False)
            .build()
        )
    crl = builder.sign(root_key, hashes.SHA256())
    _replace(_crl_path(), crl.public_bytes(serialization.Encoding.DER))
    return crl


def revoke_signer(
    serial: str, *, reason: str, at: datetime | None = None
) -> x509.CertificateRevocationList:
    """Revoke the document signer with this serial (hex, as `mdl_keys list` shows it)."""
    if reason not in REASONS:
        raise keys.KeyError_(f"Reason must be one of: {', '.join(REASONS)}")
    if keys.root()[1] is None:
        raise keys.KeyError_("The IACA private key is not here; revoke where it is kept.")
    wanted = serial.strip().lower().removeprefix("0x")
    match = [s for s in keys.signers() if f"{s.cert.serial_number:x}" == wanted]
    if not match:
        raise keys.KeyError_(f"No document signer {serial} on file: see manage.py mdl_keys list")
    if any(entry["serial"] == wanted for entry in revocations()):
        raise keys.KeyError_(f"Document signer {wanted} is revoked already.")
    now = at or clock.now()
    entry = {"serial": wanted, "revoked_at": now.isoformat(), "reason": reason}
    _replace(_revoked_path(), json.dumps([*revocations(), entry], indent=1).encode())
    key_path = match[0].path.with_name(match[0].path.stem + ".key.pem")
    had_key = key_path.exists()
    key_path.unlink(missing_ok=True)
    published = publish(at=now)
    key_change_record(
        kind=keys.SIGNER_KIND,
        key_id=wanted,
        action="mdl_key.signer_revoke",
        via="command",
        before={"revoked": False},
        after={"revoked": True, "reason": reason, "private_key_deleted": had_key},
    )
    return published


def crl_der() -> bytes:
    """The list as published; signed now if there is none yet or it is past its nextUpdate
    and the IACA key is here (the embedded default)."""
    path = _crl_path()
    if path.exists():
        data = path.read_bytes()
        crl = x509.load_der_x509_crl(data)
        next_update = crl.next_update_utc
        if next_update is None or next_update > clock.now() or keys.root()[1] is None:
            return data
    return publish().public_bytes(serialization.Encoding.DER)
