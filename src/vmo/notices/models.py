from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vmo.core.fields import EncryptedTextField

from .choices import AttemptOutcome, Channel, MessageStatus


class Message(models.Model):
    """The outbox: a message is written in the transaction of its cause, then delivered.

    In-app rows are delivered by being written (status sent). SMS and e-mail rows start
    "created" and are handed to a Celery worker after commit; a sweeper re-queues any that a
    lost task or a broker outage left behind, so nothing is lost and, because the worker acts
    only on a row still "created" (under a row lock), nothing is sent twice.
    """

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    recipient = EncryptedTextField(_("recipient"), blank=True, purpose="notice.recipient")
    recipient_hash = models.CharField(max_length=64, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = EncryptedTextField(_("text"), purpose="notice.body")
    # The kind's context values as JSON. SMS: template providers (Alibaba, Tencent) are sent
    # these values for their approved template, never the rendered sentence. In-app: the values
    # as data (vmo.notices.values), so the message is rendered in its reader's language when
    # read. Encrypted: the values may be names, plates or codes.
    context = EncryptedTextField(blank=True, default="", purpose="notice.context")
    # Where the reader acts on it (a path on this site), "" if nowhere.
    link = models.CharField(_("link"), max_length=300, blank=True)
    dedup_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.CREATED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not to be sent before this moment: the citizen's quiet hours, or the backoff of a retry.
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    # When a delivery task was last handed to the broker; the sweeper re-queues stale ones.
    queued_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            # The sweeper's work list stays small: only rows still waiting are indexed.
            models.Index(
                fields=["not_before", "id"],
                condition=Q(status__in=["created", "sending"]),
                name="notices_msg_waiting",
            ),
            models.Index(
                fields=["user", "channel", "read_at"],
                name="notices_msg_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} #{self.pk}"


class Attempt(models.Model):
    """One try to hand a message to its provider (Notify keeps the same trail)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AttemptOutcome.choices, blank=True
    )
    error = models.CharField(_("error"), max_length=200, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    # The provider's id for the accepted message (Tencent SerialNo, Alibaba BizId): its delivery
    # receipt names it. The receipt itself: the provider's status code and when it arrived.
    provider_ref = models.CharField(max_length=100, blank=True, db_index=True)
    receipt = models.CharField(_("delivery receipt"), max_length=100, blank=True)
    receipt_at = models.DateTimeField(_("receipt received"), null=True, blank=True)

    class Meta:
        ordering = ["message", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="one_attempt_per_number")
        ]

    def __str__(self) -> str:
        return f"#{self.message_id}/{self.number} {self.outcome}"


class Preference(models.Model):
    """A citizen's choices: channels per group of kinds, SMS quiet hours, language of notices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    language = models.CharField(_("language of notices"), max_length=8, default="zh-hans")
    # {group: [channel, ...]} for the groups the citizen changed; others keep the defaults.
    channels = models.JSONField(_("channels per group"), default=dict, blank=True)
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_to = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # Keyed hashes of the browsers/devices the account signed in from: a sign-in from another
    # one raises the "new sign-in" notice (the agent string itself is never kept).
    known_devices = models.JSONField(default=list, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"
