"""SMS delivery backends.

A backend hands one text to one phone and either returns (accepted) or raises SmsError.
Which one is used comes from settings.VMO_SMS_BACKEND: "console", or the dotted path of a
class that implements SmsBackend, so a real gateway can be plugged in without touching callers.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
from functools import lru_cache
from typing import Protocol

import requests
import urllib3.exceptions
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


# Failures that prove the request never reached the provider: no connection was made.
NEVER_SENT: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectTimeout,
    urllib3.exceptions.NewConnectionError,
    urllib3.exceptions.ConnectTimeoutError,
    urllib3.exceptions.NameResolutionError,
    ConnectionRefusedError,
    socket.gaierror,
)
# Failures after the connection was made and the request written: no answer in time, or the
# connection dropped before the answer was read. The provider may have taken the message.
NO_ANSWER: tuple[type[BaseException], ...] = (
    requests.exceptions.ReadTimeout,
    urllib3.exceptions.ReadTimeoutError,
    urllib3.exceptions.ProtocolError,
    http.client.RemoteDisconnected,
    ConnectionResetError,
    TimeoutError,
)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and every one it wraps: the SDKs re-raise their transport's errors as
    their own (chained, or kept as `inner_exception`, or as the argument of another)."""
    found: list[BaseException] = []
    stack: list[object] = [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or any(item is seen for seen in found):
            continue
        found.append(item)
        stack += [item.__cause__, item.__context__, getattr(item, "inner_exception", None)]
        stack += [getattr(item, "reason", None), *getattr(item, "args", ())]
    return found


def answer_lost(exc: BaseException) -> bool:
    """Whether a failed call went out and its answer was lost (so the message may have been
    taken): a timeout or a dropped connection after connecting, not a connection never made."""
    chain = _chain(exc)
    if any(isinstance(item, NEVER_SENT) for item in chain):
        return False
    return any(isinstance(item, NO_ANSWER) for item in chain)


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
    refused for good (bad number, bad text): never retried. 408, 429, 5xx or a connection never
    made = temporary: retried with backoff. A request that went out and got no answer within
    VMO_SMS_HTTP_TIMEOUT (or whose connection dropped before the answer) may have been taken:
    "uncertain" (``answer_lost``, the rule every provider follows), never sent again by itself.
    ``reference`` names the message to the gateway, so its records can settle such a one.
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
        try:
            response = requests.post(
                url,
                data=payload,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Authorization": f"Bearer {settings.VMO_SMS_HTTP_TOKEN}",
                },
                timeout=float(settings.VMO_SMS_HTTP_TIMEOUT),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            if answer_lost(exc):  # the gateway may have taken it: never sent again blindly
                raise SmsError("gateway no answer", uncertain=True) from exc
            raise SmsError(f"gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            code = response.status_code
            temporary = code in (408, 429) or code >= 500
            raise SmsError(f"gateway answered {code}", permanent=not temporary)
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
