"""What every payment gateway adapter offers (Alipay, WeChat Pay, UnionPay, the sandbox).

Adapters talk to the outside world only; they never change our orders. The services decide.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from ..devices import DESKTOP, Payer

if TYPE_CHECKING:
    from ..models import PaymentOrder


class NotificationError(Exception):
    """A callback that cannot be trusted, read or acted on. `reason` is recorded as
    rejected:<reason> (or ignored:<reason>, see `acknowledge`);
    `fields` holds what could be read of it anyway (kind, order_reference, txn_id,
    refund_reference, amount_fen), kept for the record and never acted on.
    """

    def __init__(
        self,
        reason: str,
        *,
        signature_valid: bool = False,
        fields: dict | None = None,
        acknowledge: bool = False,
    ):
        super().__init__(reason)
        self.reason = reason
        self.signature_valid = signature_valid
        self.fields = fields or {}
        # A genuine notice with nothing to act on (Alipay's "trade closed unpaid"): recorded as
        # ignored:<reason> and answered as received, so the provider stops sending it.
        self.acknowledge = acknowledge


class GatewayError(Exception):
    """The gateway could not be reached or refused a request; worth retrying later."""


@dataclass(frozen=True)
class Notification:
    kind: Literal["pay", "refund"]
    order_reference: str
    txn_id: str  # the payment's transaction number, or the gateway's refund number
    amount_fen: int
    occurred_at: datetime
    refund_reference: str = ""  # our refund number, on refund notices
    refunded_txn_id: str = ""  # on refund notices: the payment given back
    succeeded: bool = True  # a refund notice may report a failed refund


@dataclass(frozen=True)
class GatewayStatus:
    state: Literal["paid", "pending", "closed", "not_found"]
    txn_id: str = ""
    amount_fen: int = 0
    paid_at: datetime | None = None


@dataclass(frozen=True)
class StatementLine:
    kind: Literal["pay", "refund"]
    order_reference: str
    txn_id: str
    amount_fen: int
    occurred_at: datetime
    refund_reference: str = ""
    refunded_txn_id: str = ""


@dataclass(frozen=True)
class Acknowledgement:
    """What our callback endpoint answers, in the form the provider reads."""

    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class Gateway(ABC):
    name: str = ""
    # What the gateway expects our callback endpoint to answer.
    ack_success: str = "success"
    ack_failure: str = "fail"
    # Whether the gateway has a flow of its own for phones (the order page then offers the
    # payer the choice between it and the desktop one).
    phone_flow: bool = False

    def acknowledgement(self, accepted: bool) -> Acknowledgement:
        """The answer to a callback: accepted, or refused so that the provider sends it again."""
        return Acknowledgement(200, self.ack_success if accepted else self.ack_failure)

    @abstractmethod
    def start(self, order: PaymentOrder, return_url: str, payer: Payer = DESKTOP) -> str:
        """Open a payment with the gateway; the URL of its hosted payment page (the phone's
        when `payer.device` is "phone" and the gateway has a phone flow)."""

    @abstractmethod
    def query(self, order: PaymentOrder) -> GatewayStatus:
        """Ask the gateway what became of the order (the active query)."""

    @abstractmethod
    def verify_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        """Check the signature and read the callback; raise NotificationError if untrusted."""

    @abstractmethod
    def refund(self, order: PaymentOrder, amount_fen: int, refund_id: str, txn_id: str) -> str:
        """Ask for a refund of (part of) a payment; the gateway's refund number.

        `refund_id` is ours and makes the request idempotent at the gateway.
        """

    @abstractmethod
    def statement(self, day: date) -> list[StatementLine]:
        """The gateway's record of that day's payments and refunds (office time)."""

    def close(self, order: PaymentOrder) -> None:  # noqa: B027 - optional for adapters
        """Stop the gateway from taking payments for the order (not every gateway can)."""
