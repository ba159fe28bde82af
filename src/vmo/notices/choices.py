from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "inapp", _("in-app inbox")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class MessageStatus(models.TextChoices):
    CREATED = "created", _("created")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
