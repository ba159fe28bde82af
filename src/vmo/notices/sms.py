"""SMS delivery backends.

A backend hands one text to one phone and either returns (accepted) or raises SmsError.
Which one is used comes from settings.VMO_SMS_BACKEND: "console", or the dotted path of a
class that implements SmsBackend, so a real gateway can be plugged in without touching callers.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from vmo.core.masking import mask_phone

logger = logging.getLogger("vmo.sms")


class SmsError(Exception):
    """The gateway did not accept the message. `permanent` ones are never retried.

    `uncertain`: no answer came after the request went out (a read timeout, the connection
    dropped mid-answer): the provider may have taken it, so it is not sent again but left
    "uncertain" for the provider's status query or delivery report to settle.
    """

    def __init__(self, message: str, *, permanent: bool = False, uncertain: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.uncertain = uncertain


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str, message_id: int) -> str | None:
        """Hand the text to the gateway; raise SmsError if it was not accepted. Returns the
        provider's id for the message (its delivery receipt names it), if it gives one."""


class ConsoleBackend:
    """Writes each message to the log: development, demos and tests (the outbox keeps it too)."""

    def send(self, *, phone: str, text: str, message_id: int) -> str | None:
        logger.info("sms message_id=%s to=%s text=%s", message_id, mask_phone(phone), text)
        return None


class HttpGatewayBackend:
    """A real SMS gateway over HTTPS: POST JSON, bearer token, answer by status code.

    Request: {"to": "139...", "text": "...", "sender": VMO_SMS_HTTP_SENDER, "reference": "<id>"}
    with ``Authorization: Bearer VMO_SMS_HTTP_TOKEN``. 2xx = accepted. 4xx (except 408/429) =
    refused for good (bad number, bad text): never retried. 408, 429, 5xx, a timeout or no
    connection = temporary: retried with backoff. ``reference`` lets the gateway drop a
    duplicate if a retry follows an accepted send whose answer was lost.
    """

    def send(self, *, phone: str, text: str, message_id: int) -> str | None:
        url = str(settings.VMO_SMS_HTTP_URL)
        if not url:
            raise SmsError("VMO_SMS_HTTP_URL is not set", permanent=True)
        payload = json.dumps(
            {
                "to": phone,
                "text": text,
                "sender": settings.VMO_SMS_HTTP_SENDER,
                "reference": str(message_id),
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the office's configuration
            url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.VMO_SMS_HTTP_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=float(settings.VMO_SMS_HTTP_TIMEOUT)
            ) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            temporary = exc.code in (408, 429) or exc.code >= 500
            raise SmsError(f"gateway answered {exc.code}", permanent=not temporary) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {type(exc).__name__}") from exc
        logger.info("sms message_id=%s to=%s accepted by gateway", message_id, mask_phone(phone))
        return None


BACKENDS: dict[str, str] = {
    "console": "vmo.notices.sms.ConsoleBackend",
    "http": "vmo.notices.sms.HttpGatewayBackend",
    "tencent": "vmo.notices.sms_providers.tencent.TencentSmsBackend",
    "alibaba": "vmo.notices.sms_providers.alibaba.AlibabaSmsBackend",
}


@lru_cache(maxsize=4)
def _backend_for(name: str) -> SmsBackend:
    backend_class = import_string(BACKENDS.get(name, name))
    backend: SmsBackend = backend_class()
    return backend


def get_backend() -> SmsBackend:
    return _backend_for(str(settings.VMO_SMS_BACKEND))
