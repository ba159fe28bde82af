"""SMS delivery backends.

A backend hands one text to one phone and either returns (accepted) or raises SmsError.
Which one is used comes from settings.VMO_SMS_BACKEND: "console", or the dotted path of a
class that implements SmsBackend, so a real gateway can be plugged in without touching callers.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from vmo.core.masking import mask_phone

logger = logging.getLogger("vmo.sms")


class SmsError(Exception):
    """The gateway did not accept the message. `permanent` ones are never retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str, message_id: int) -> None:
        """Hand the text to the gateway; raise SmsError if it was not accepted."""


class ConsoleBackend:
    """Writes each message to the log: development, demos and tests (the outbox keeps it too)."""

    def send(self, *, phone: str, text: str, message_id: int) -> None:
        logger.info("sms message_id=%s to=%s text=%s", message_id, mask_phone(phone), text)


BACKENDS: dict[str, str] = {"console": "vmo.notices.sms.ConsoleBackend"}


@lru_cache(maxsize=4)
def _backend_for(name: str) -> SmsBackend:
    backend_class = import_string(BACKENDS.get(name, name))
    backend: SmsBackend = backend_class()
    return backend


def get_backend() -> SmsBackend:
    return _backend_for(str(settings.VMO_SMS_BACKEND))
