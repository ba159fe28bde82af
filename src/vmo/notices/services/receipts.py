"""Delivery receipts: the provider's word on whether an accepted SMS reached the phone.

A receipt is recorded on the attempt the provider accepted (found by the provider's id for the
message). Only a receipt for an attempt that has none yet changes anything, so a provider's
repeated push is harmless; a receipt for no known message changes nothing and is counted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from vmo.core import clock

from ..choices import AttemptOutcome
from ..models import Attempt

logger = logging.getLogger("vmo.sms")

# The receipt codes that say the phone got it (Tencent "SUCCESS", Alibaba "DELIVERED").
DELIVERED_CODES = frozenset({"SUCCESS", "DELIVERED", "DELIVRD"})


@dataclass(frozen=True)
class Receipt:
    provider_ref: str
    # The provider's status and, on failure, its error code ("FAIL/MK:0001").
    status: str
    error: str = ""


def receipt_record(receipt: Receipt) -> bool:
    """Record one receipt; False if it names no message of ours (nothing changed)."""
    attempt = (
        Attempt.objects.filter(provider_ref=receipt.provider_ref, outcome=AttemptOutcome.SENT)
        .exclude(provider_ref="")
        .first()
    )
    if attempt is None:
        logger.warning("sms receipt for an unknown message ref=%s", receipt.provider_ref[:40])
        return False
    code = receipt.status if not receipt.error else f"{receipt.status}/{receipt.error}"
    # The message stays "sent" (final states never change): the receipt is on its attempt.
    Attempt.objects.filter(pk=attempt.pk, receipt="").update(
        receipt=code[:100], receipt_at=clock.now()
    )
    return True


def receipt_delivered(attempt: Attempt) -> bool:
    return attempt.receipt.split("/", 1)[0].upper() in DELIVERED_CODES
