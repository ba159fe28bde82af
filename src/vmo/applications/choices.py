from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    NEEDS_CORRECTION = "correction", _("needs correction")
    RESUBMITTED = "resubmitted", _("resubmitted")
    UNDER_REVIEW = "review", _("under review")
    APPROVED = "approved", _("approved")
    COMPLETED = "completed", _("completed")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


PENDING_STATUSES = frozenset({"submitted", "correction", "resubmitted", "review", "approved"})
FINAL_STATUSES = frozenset({"completed", "refused", "withdrawn"})
# The applicant may still withdraw: nothing has been decided yet.
WITHDRAWABLE = ("draft", "submitted", "correction", "resubmitted")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("collect at the service hall")
    MAIL = "mail", _("send by post (EMS)")


class DeliveryStatus(models.TextChoices):
    PREPARING = "preparing", _("being prepared")
    READY = "ready", _("ready to collect")
    MAILED = "mailed", _("posted")
    DELIVERED = "delivered", _("delivered")
    COLLECTED = "collected", _("collected")


class DocumentKind(models.TextChoices):
    REFUSAL_LETTER = "refusal", _("written refusal (不予受理/不予许可告知书)")
    CORRECTION_NOTICE = "correction", _("one-time correction notice (一次性告知书)")
