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
