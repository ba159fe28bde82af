"""Keys and certificates the tests make: the office's, WeChat Pay's platform, Alipay's."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.x509.oid import NameOID


def rsa_key() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key: RSAPublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def certificate(key: RSAPrivateKey, name: str) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "X")


def rsa_sign(key: RSAPrivateKey, message: str) -> str:
    signature = key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def rsa_verify(key: RSAPublicKey, message: str, signature: str) -> bool:
    try:
        key.verify(
            base64.b64decode(signature), message.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except Exception:
        return False
    return True


@dataclass
class WeChatKeys:
    """An office's WeChat Pay merchant account and WeChat Pay's platform certificate."""

    mchid: str = "1900000109"
    appid: str = "wxd678efh567hg6787"
    apiv3_key: str = field(default_factory=lambda: secrets.token_hex(16))  # 32 characters
    merchant_key: RSAPrivateKey = field(default_factory=rsa_key)
    platform_key: RSAPrivateKey = field(default_factory=rsa_key)

    def __post_init__(self) -> None:
        self.merchant_cert = certificate(self.merchant_key, "merchant")
        self.platform_cert = certificate(self.platform_key, "Tenpay.com Root CA")

    def rotate_platform(self) -> None:
        """WeChat Pay issues a new platform certificate (a new serial) and signs with it."""
        self.platform_key = rsa_key()
        self.platform_cert = certificate(self.platform_key, "Tenpay.com Root CA")

    def settings(self, directory: Path, api_base: str) -> dict[str, str]:
        (directory / "apiclient_key.pem").write_text(private_pem(self.merchant_key))
        (directory / "apiv3.key").write_text(self.apiv3_key)
        certs = directory / "platform"
        certs.mkdir(exist_ok=True)
        (certs / f"{serial_hex(self.platform_cert)}.pem").write_text(cert_pem(self.platform_cert))
        return {
            "mchid": self.mchid,
            "appid": self.appid,
            "cert_serial_no": serial_hex(self.merchant_cert),
            "private_key_path": str(directory / "apiclient_key.pem"),
            "apiv3_key_path": str(directory / "apiv3.key"),
            "cert_dir": str(certs),
            "api_base": api_base,
        }


@dataclass
class AlipayKeys:
    """An office's Alipay application key pair and Alipay's own (public-key mode)."""

    app_id: str = "2021000000000001"
    seller_id: str = "2088000000000001"
    app_key: RSAPrivateKey = field(default_factory=rsa_key)
    alipay_key: RSAPrivateKey = field(default_factory=rsa_key)

    def settings(self, directory: Path, gateway_url: str) -> dict[str, str]:
        (directory / "app_private_key.pem").write_text(private_pem(self.app_key))
        (directory / "alipay_public_key.pem").write_text(public_pem(self.alipay_key.public_key()))
        return {
            "app_id": self.app_id,
            "seller_id": self.seller_id,
            "app_private_key_path": str(directory / "app_private_key.pem"),
            "alipay_public_key_path": str(directory / "alipay_public_key.pem"),
            "gateway_url": gateway_url,
        }
