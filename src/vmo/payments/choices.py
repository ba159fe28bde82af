from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    CREATED = "created", _("Awaiting payment")
    PENDING = "pending", _("Payment in progress")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
    REFUNDED = "refunded", _("Refunded")


# A subject may have one order in these states per purpose (a partly refunded order still
# stands as paid): paying the same fine twice through us is impossible by construction.
LIVE_STATUSES = (
    OrderStatus.CREATED,
    OrderStatus.PENDING,
    OrderStatus.PAID,
    OrderStatus.PARTIALLY_REFUNDED,
)
PAYABLE_STATUSES = (OrderStatus.CREATED, OrderStatus.PENDING)
SETTLED_STATUSES = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED)


class RefundKind(models.TextChoices):
    REQUESTED = "requested", _("Refund of the order")
    DUPLICATE_PAYMENT = "duplicate_payment", _("Refund of a second payment")
    LATE_PAYMENT = "late_payment", _("Refund of a payment to a closed order")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SUBMITTED = "submitted", _("Accepted by the payment service")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")


# What became of a callback. Rejections carry their reason after the colon.
class Outcome:
    CREDITED = "credited"
    DUPLICATE = "duplicate"
    DUPLICATE_PAYMENT = "duplicate_payment"
    LATE_PAYMENT = "late_payment"
    REFUNDED = "refunded"
    REFUND_FAILED = "refund_failed"

    @staticmethod
    def rejected(reason: str) -> str:
        return f"rejected:{reason}"

    @staticmethod
    def ignored(reason: str) -> str:
        # Genuine, but nothing to credit (a trade closed unpaid): answered as received.
        return f"ignored:{reason}"

    @staticmethod
    def failed(reason: str) -> str:
        # Our side broke (a hook raised): the gateway is told "fail" and will send it again.
        return f"failed:{reason}"


ACCEPTED_OUTCOMES = (
    Outcome.CREDITED,
    Outcome.DUPLICATE_PAYMENT,
    Outcome.LATE_PAYMENT,
    Outcome.REFUNDED,
    Outcome.REFUND_FAILED,
)


class NotificationKind(models.TextChoices):
    PAY = "pay", _("Payment")
    REFUND = "refund", _("Refund")
    UNKNOWN = "unknown", _("Unreadable")


class DiscrepancyKind(models.TextChoices):
    MISSING_LOCALLY = "missing_locally", _("At the payment service, not in our records")
    MISSING_AT_GATEWAY = "missing_at_gateway", _("In our records, not at the payment service")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amounts differ")
    STATUS_MISMATCH = "status_mismatch", _("States differ")


class SandboxKind(models.TextChoices):
    PAY = "pay", _("Payment")
    REFUND = "refund", _("Refund")
