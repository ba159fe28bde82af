from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "inapp", _("in-app inbox")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class MessageStatus(models.TextChoices):
    """created → sending → sent | failed; a temporary failure goes back to created, later.

    A row still "sending" past its deadline (the worker died while the provider was talking)
    becomes "uncertain": the provider may have accepted it, so it is never sent again by
    itself; the provider's answer to a status query resolves it to sent or failed. Final
    states (sent, failed) never change: updates are guarded by the current status.
    """

    CREATED = "created", _("created")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    UNCERTAIN = "uncertain", _("uncertain: may have been sent")


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("accepted by the provider")
    TEMPORARY = "temporary", _("temporary failure, retried later")
    PERMANENT = "permanent", _("permanent failure")
    TIMEOUT = "timeout", _("no answer: stuck while sending")
