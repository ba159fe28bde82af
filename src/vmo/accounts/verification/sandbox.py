"""The sandbox identity-verification service: a stand-in that behaves like a real face / ID-card
check. It serves its own page (the person chooses what the camera would see), answers later and
asynchronously by a callback signed with HMAC-SHA256, and reports failures by code. It keeps its
state in the cache, as another company's service would keep it on its own side.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from vmo.core import clock
from vmo.core.masking import mask_name

from . import CallbackError, CallbackResult, IdentityVerifier, Started

NAME = "sandbox"
SIGNATURE_HEADER = "x-sandbox-signature"
DEV_KEY = "dev-only-sandbox-identity-key-0123456789"
SESSION_TTL = 30 * 60
OUTCOMES = ("pass", "face_mismatch", "photo_unclear", "id_card_invalid")


def _key() -> bytes:
    return str(getattr(settings, "VMO_IDENTITY_SANDBOX_KEY", DEV_KEY)).encode()


def sign(body: bytes) -> str:
    return hmac.new(_key(), body, hashlib.sha256).hexdigest()


def _session_key(reference: str) -> str:
    return f"vmo:identity-sandbox:{reference}"


def session(reference: str) -> dict[str, Any] | None:
    found = cache.get(_session_key(reference))
    return found if isinstance(found, dict) else None


class SandboxVerifier(IdentityVerifier):
    name = NAME

    def start(self, *, reference: str, name: str, id_number: str, return_url: str) -> Started:
        # Like the real service, it is told who to expect; it shows only the masked name.
        cache.set(
            _session_key(reference),
            {"name": mask_name(name), "return_url": return_url, "done": False},
            SESSION_TTL,
        )
        return Started(url=reverse("accounts:identity_sandbox", args=[reference]))

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        lowered = {key.lower(): value for key, value in headers.items()}
        given = lowered.get(SIGNATURE_HEADER, "")
        if not given or not hmac.compare_digest(given, sign(body)):
            raise CallbackError("bad_signature")
        try:
            data = json.loads(body)
            reference, result = str(data["reference"]), data["result"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CallbackError("malformed") from exc
        if result not in OUTCOMES:
            raise CallbackError("malformed")
        return CallbackResult(
            reference=reference, passed=result == "pass", reason="" if result == "pass" else result
        )


def callback_body(reference: str, outcome: str) -> bytes:
    data = {"reference": reference, "result": outcome, "time": clock.now().isoformat()}
    return json.dumps(data, sort_keys=True).encode()


def submit(*, reference: str, outcome: str) -> bool:
    """The person finished on the sandbox page: owe the office a callback (sent after commit,
    by a task, so the result arrives later than the person's return). False if closed."""
    from ..tasks import identity_callback_deliver

    state = session(reference)
    if state is None or state["done"] or outcome not in OUTCOMES:
        return False
    cache.set(_session_key(reference), state | {"done": True}, SESSION_TTL)
    body = callback_body(reference, outcome).decode()
    transaction.on_commit(lambda: identity_callback_deliver.delay(body))
    return True


def deliver(body: str) -> bool:
    """Send one signed callback: straight to the office's service in eager mode, else by HTTP."""
    raw = body.encode()
    headers = {"Content-Type": "application/json", "X-Sandbox-Signature": sign(raw)}
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        from ..services.identity import identity_callback_process

        return identity_callback_process(provider=NAME, body=raw, headers=headers) is not None
    base = str(getattr(settings, "VMO_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    url = base + reverse("accounts:identity_callback", args=[NAME])
    if not url.startswith(("http://", "https://")):
        raise OSError(f"not an http URL: {url}")
    request = urllib.request.Request(url, data=raw, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - scheme checked
        return response.status == 200
