"""Encryption of personal data at rest (AES-256-GCM) and keyed hashes for exact lookup.

A token is "<key id>$<base64(nonce || ciphertext)>": the key id lets old rows be read after
the active key changes, so keys rotate without downtime (`manage.py pii_rotate`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


@lru_cache(maxsize=8)
def _cipher(key_id: str) -> AESGCM:
    try:
        raw = base64.b64decode(settings.VMO_PII_KEYS[key_id])
    except KeyError as exc:
        raise ImproperlyConfigured(f"PII key {key_id!r} is not configured") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(f"PII key {key_id!r} must be 32 bytes (base64)")
    return AESGCM(raw)


def active_key_id() -> str:
    return str(settings.VMO_PII_ACTIVE_KEY)


def encrypt(plaintext: str, *, purpose: str = "pii") -> str:
    key_id = active_key_id()
    nonce = os.urandom(NONCE_BYTES)
    # The purpose is authenticated data: a ciphertext moved to another column fails to open.
    sealed = _cipher(key_id).encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"{key_id}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, purpose: str = "pii") -> str:
    key_id, _, body = token.partition("$")
    blob = base64.b64decode(body)
    return (
        _cipher(key_id).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], purpose.encode()).decode()
    )


def key_id_of(token: str) -> str:
    return token.partition("$")[0]


def keyed_hash(value: str, *, purpose: str = "pii") -> str:
    """HMAC-SHA256 of a normalised value: equal inputs give equal hashes, for unique lookups."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(settings.VMO_PII_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()
