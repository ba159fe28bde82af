"""Writes of the outbox: messages are written in the caller's transaction, delivered after commit.

GOV.UK Notify's order is kept: persist the row first (in the transaction of its cause), then
queue a task that carries only the id (after commit); the task reloads the row and acts only if
it is still waiting. A sweeper (``delivery.messages_dispatch``) re-queues whatever a broker
outage or a lost task left behind. See ``delivery.py`` for the sending side.
"""

from ..delivery import (
    MAX_ATTEMPTS,
    SMS_MAX_ATTEMPTS,
    message_deliver,
    publish_after_commit,
    sms_deliver,
)
from .notify import BULK_BATCH, CHANNELS, Context, Recipient, notices_post, notify, notify_bulk
from .outbox import DELIVERED_CHANNELS, inbox_mark_read, inbox_post, sms_send, sms_signed
from .preferences import (
    KNOWN_DEVICES_KEPT,
    LANGUAGES,
    channels_for,
    device_seen,
    preference_of,
    preference_update,
    quiet_until,
)

__all__ = [
    "BULK_BATCH",
    "CHANNELS",
    "DELIVERED_CHANNELS",
    "KNOWN_DEVICES_KEPT",
    "LANGUAGES",
    "MAX_ATTEMPTS",
    "SMS_MAX_ATTEMPTS",
    "Context",
    "Recipient",
    "channels_for",
    "device_seen",
    "inbox_mark_read",
    "inbox_post",
    "message_deliver",
    "notices_post",
    "notify",
    "notify_bulk",
    "preference_of",
    "preference_update",
    "publish_after_commit",
    "quiet_until",
    "sms_deliver",
    "sms_send",
    "sms_signed",
]
