"""Delivery receipts: the provider's word on whether an accepted SMS reached the phone.

A receipt is recorded on the attempt the provider accepted (found by the provider's id for the
message), or settles an "uncertain" message (its send had no answer) that it names by our id.
Only a receipt for an attempt that has none yet changes anything, so a provider's repeated push
is harmless; a receipt for no known message changes nothing and is counted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from vmo.core import clock

from ..choices import AttemptOutcome, Channel, MessageStatus
from ..models import Attempt, Message

logger = logging.getLogger("vmo.sms")

# The receipt codes that say the phone got it (Tencent "SUCCESS", Alibaba "DELIVERED").
DELIVERED_CODES = frozenset({"SUCCESS", "DELIVERED", "DELIVRD"})


@dataclass(frozen=True)
class Receipt:
    provider_ref: str
    # The provider's status and, on failure, its error code ("FAIL/MK:0001").
    status: str
    error: str = ""
    # Our message id as the provider echoes it (Alibaba's out_id, Tencent's ext): the only
    # way to find a message whose send had no answer, so whose provider_ref we never learnt.
    message_id: str = ""


def _uncertain_attempt(receipt: Receipt) -> Attempt | None:
    """The last attempt of the uncertain SMS the receipt names by our id: the provider took it
    after all, so it is sent (the attempt learns the provider's id); None if there is none."""
    if not receipt.message_id.isdigit() or not receipt.provider_ref:
        return None
    message_id = int(receipt.message_id)
    settled = Message.objects.filter(
        pk=message_id, channel=Channel.SMS, status=MessageStatus.UNCERTAIN
    ).update(status=MessageStatus.SENT, sent_at=clock.now(), error="")
    if not settled:
        return None
    attempt = Attempt.objects.filter(message_id=message_id).order_by("-number").first()
    if attempt is not None:
        Attempt.objects.filter(pk=attempt.pk).update(
            outcome=AttemptOutcome.SENT, provider_ref=receipt.provider_ref[:100]
        )
    logger.info("sms uncertain message_id=%s settled by a receipt", message_id)
    return attempt


def receipt_record(*, receipt: Receipt) -> bool:
    """Record one receipt; False if it names no message of ours (nothing changed)."""
    attempt = (
        Attempt.objects.filter(provider_ref=receipt.provider_ref, outcome=AttemptOutcome.SENT)
        .exclude(provider_ref="")
        .first()
    ) or _uncertain_attempt(receipt)
    if attempt is None:
        logger.warning("sms receipt for an unknown message ref=%s", receipt.provider_ref[:40])
        return False
    code = receipt.status if not receipt.error else f"{receipt.status}/{receipt.error}"
    # The message stays "sent" (final states never change): the receipt is on its attempt.
    Attempt.objects.filter(pk=attempt.pk, receipt="").update(
        receipt=code[:100], receipt_at=clock.now()
    )
    return True


def receipt_delivered(*, attempt: Attempt) -> bool:
    return attempt.receipt.split("/", 1)[0].upper() in DELIVERED_CODES
