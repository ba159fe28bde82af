from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vmo.core.fields import EncryptedTextField

from .choices import Channel, MessageStatus


class Message(models.Model):
    """The outbox: a message is written in the transaction of its cause, then delivered."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=40)
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
    # Where the reader acts on it (a path on this site), "" if nowhere.
    link = models.CharField(_("link"), max_length=300, blank=True)
    dedup_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.CREATED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} #{self.pk}"
