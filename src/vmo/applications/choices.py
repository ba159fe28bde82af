from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    # No longer needed: replaced by another application, or the records changed (closed_reason).
    CLOSED = "closed", pgettext_lazy("application status", "closed")


# The status sets, here only: the transitions (models.py), the guards (permissions.py) and the
# queues (workbench) all read them.
S = ApplicationStatus
# The applicant may change the answers and materials, and submit.
EDITABLE = (S.DRAFT, S.NEEDS_CORRECTION)
# Waiting for the clerk's check.
CHECKABLE = (S.SUBMITTED, S.RESUBMITTED)
# Accepted and waiting for the office; an application in correction waits for the applicant,
# and its limit starts again when it is resubmitted (R164 Art 6).
UNDECIDED = (*CHECKABLE, S.UNDER_REVIEW)
# Still with the office: undecided, or approved and not yet completed.
OPEN = (*UNDECIDED, S.APPROVED)
FINISHED = (S.COMPLETED, S.REFUSED)
PENDING_STATUSES = frozenset({*OPEN, S.NEEDS_CORRECTION})
FINAL_STATUSES = frozenset({*FINISHED, S.WITHDRAWN, S.CLOSED})
# Open for the rule "one open application per business and record" (a database constraint).
IN_PROGRESS = (*EDITABLE, *OPEN)
# Not decided yet: such an application is closed when it is no longer needed.
CLOSABLE = (*EDITABLE, *UNDECIDED)
# The applicant may still withdraw: nothing has been decided yet.
WITHDRAWABLE = (S.DRAFT, *CHECKABLE, S.NEEDS_CORRECTION)


class ClosedReason(models.TextChoices):
    SUPERSEDED = "superseded", _("another application for the same service and record replaced it")
    MOOT = "moot", _("the records changed, so it is no longer needed")
    UNPAID = "unpaid", _("its fee was not paid in time")


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
