"""The office's mDL keys: one IACA root and its document signers (ISO/IEC 18013-5 Annex B).

Keys live in settings.VMO_MDL_KEY_DIR, a directory outside the repository. Layout:
iaca.key.pem, iaca.pem, signers/<serial>.pem (kept after rotation, so MSOs they signed still
verify while valid) and signers/<serial>.key.pem (only for the current signer: rotation
deletes the old private key, since nothing may sign with it again).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier
from django.conf import settings

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import key_change_record
from vmo.registry.validators import PROVINCE_NAMES_EN

MDL_DS_EKU = ObjectIdentifier("1.0.18013.5.1.2")  # id-mdl-kp-mdlDS
ROOT_YEARS = 9  # Annex B: IACA certificate at most 20 years; shorter keeps rotation practised
SIGNER_DAYS = 455  # Annex B: document signer at most 457 days
# A signer signs only while its remaining life covers a whole MSO validity period.
MSO_DAYS = 90
# The history's names for the two kinds of key (core.Event subject types).
ROOT_KIND = "mdl.iaca"
SIGNER_KIND = "mdl.documentsigner"


class KeyError_(Exception):
    """The key set is missing or inconsistent; the message says what to run."""


@dataclass(frozen=True)
class Signer:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey | None
    path: Path


def key_dir() -> Path:
    return Path(settings.VMO_MDL_KEY_DIR)


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def province() -> str:
    """The certificates' province: configured, or the one the office's area lies in."""
    if settings.VMO_MDL_PROVINCE:
        return str(settings.VMO_MDL_PROVINCE)
    codes = office_config().region_code_list
    return PROVINCE_NAMES_EN.get(codes[0][:2], "") if codes else ""


def _name(common: str) -> x509.Name:
    region = province()
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            *([x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, region)] if region else []),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.VMO_MDL_ISSUING_AUTHORITY),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _crl_point() -> x509.CRLDistributionPoints:
    uri = settings.VMO_MDL_PUBLIC_URL.rstrip("/") + "/mdl/iaca.crl"
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(uri)], None, None, None)
    return x509.CRLDistributionPoints([point])


def root() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey | None]:
    path = key_dir() / "iaca.pem"
    if not path.exists():
        raise KeyError_("No IACA root: run manage.py mdl_keys create-root")
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    key_path = key_dir() / "iaca.key.pem"
    key = None
    if key_path.exists():
        loaded = serialization.load_pem_private_key(key_path.read_bytes(), None)
        assert isinstance(loaded, ec.EllipticCurvePrivateKey)
        key = loaded
    return cert, key


def serial_of(cert: x509.Certificate) -> str:
    """The serial as `mdl_keys list` shows it and the history names the key: lower-case hex."""
    return f"{cert.serial_number:x}"


def _validity(cert: x509.Certificate) -> dict[str, str]:
    return {
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
    }


def create_root(*, at: datetime | None = None, via: str = "command") -> x509.Certificate:
    if (key_dir() / "iaca.pem").exists():
        raise KeyError_("An IACA root exists already; it is never replaced in place.")
    start = at or clock.now()
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("VMO IACA Root")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(secrets.token_bytes(19), "big") | 1)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(_crl_point(), critical=False)
        .add_extension(
            x509.IssuerAlternativeName(
                [x509.UniformResourceIdentifier(settings.VMO_MDL_PUBLIC_URL)]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    _write(key_dir() / "iaca.key.pem", _key_pem(key), secret=True)
    _write(key_dir() / "iaca.pem", cert.public_bytes(serialization.Encoding.PEM), secret=False)
    key_change_record(
        kind=ROOT_KIND,
        key_id=serial_of(cert),
        action="mdl_key.root_create",
        via=via,
        after=_validity(cert),
    )
    return cert


def signers() -> list[Signer]:
    """Every document signer on file, newest first."""
    folder = key_dir() / "signers"
    found = []
    for path in folder.glob("*.pem") if folder.exists() else []:
        if path.name.endswith(".key.pem"):
            continue
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        key_path = path.with_name(path.stem + ".key.pem")
        key = None
        if key_path.exists():
            loaded = serialization.load_pem_private_key(key_path.read_bytes(), None)
            assert isinstance(loaded, ec.EllipticCurvePrivateKey)
            key = loaded
        found.append(Signer(cert=cert, key=key, path=path))
    return sorted(found, key=lambda s: s.cert.not_valid_before_utc, reverse=True)


def issue_signer(*, at: datetime | None = None, via: str = "command") -> x509.Certificate:
    cert = _issue(at=at)
    key_change_record(
        kind=SIGNER_KIND,
        key_id=serial_of(cert),
        action="mdl_key.signer_issue",
        via=via,
        after={**_validity(cert), "root": serial_of(root()[0])},
    )
    return cert


def _issue(*, at: datetime | None) -> x509.Certificate:
    root_cert, root_key = root()
    if root_key is None:
        raise KeyError_("The IACA private key is not here; issue signers where it is kept.")
    start = at or clock.now()
    key = ec.generate_private_key(ec.SECP256R1())
    serial = int.from_bytes(secrets.token_bytes(19), "big") | 1
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"VMO Document Signer {start:%Y%m%d%H%M%S}"))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(min(start + timedelta(days=SIGNER_DAYS), root_cert.not_valid_after_utc))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([MDL_DS_EKU]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            False,
        )
        .add_extension(_crl_point(), critical=False)
        .add_extension(
            x509.IssuerAlternativeName(
                [x509.UniformResourceIdentifier(settings.VMO_MDL_PUBLIC_URL)]
            ),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    stem = key_dir() / "signers" / f"{serial:x}"
    _write(stem.with_name(stem.name + ".key.pem"), _key_pem(key), secret=True)
    _write(
        stem.with_name(stem.name + ".pem"),
        cert.public_bytes(serialization.Encoding.PEM),
        secret=False,
    )
    return cert


def rotate_signer(*, at: datetime | None = None) -> x509.Certificate:
    """A new current signer; the old ones lose their private key and keep their certificate."""
    old = signers()
    cert = _issue(at=at)
    retired = [serial_of(s.cert) for s in old if s.key is not None]
    for signer in old:
        signer.path.with_name(signer.path.stem + ".key.pem").unlink(missing_ok=True)
    key_change_record(
        kind=SIGNER_KIND,
        key_id=serial_of(cert),
        action="mdl_key.signer_rotate",
        via="command",
        before={"current": retired},
        after={**_validity(cert), "current": serial_of(cert), "private_keys_deleted": retired},
    )
    return cert


def current_signer() -> Signer:
    for signer in signers():
        if signer.key is not None:
            return signer
    raise KeyError_("No document signer: run manage.py mdl_keys issue-signer")


def current_signer_or_none() -> Signer | None:
    try:
        return current_signer()
    except KeyError_:
        return None


def ensure_embedded_keys() -> None:
    """The embedded default creates a key set on first use (under var/, git-ignored)."""
    if not settings.VMO_MDL_CREATE_KEYS:
        return
    if not (key_dir() / "iaca.pem").exists():
        create_root(via="first_use")
    if not any(s.key is not None for s in signers()):
        issue_signer(via="first_use")
