"""Paying a decision's fine (with the late fee of RTSL Art 109) through the payments app."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vmo.core import clock
from vmo.core.money import format_fen
from vmo.core.phrases import phrase
from vmo.core.services import event_record
from vmo.notices.services import notify
from vmo.payments import selectors as payment_selectors
from vmo.payments import services as payments
from vmo.payments.devices import DESKTOP, Payer
from vmo.payments.gateways.base import GatewayError

from .. import rules
from ..choices import (
    DECISION_SUBJECT,
    FINE_PURPOSE,
    PaymentStatus,
)
from ..models import (
    PenaltyDecision,
)
from ..selectors import (
    answers_for_owner,
    decision_amount,
)
from .common import _fail, _person_of

if TYPE_CHECKING:
    from vmo.accounts.models import User

logger = logging.getLogger(__name__)


def _amount_changes_on(decision: PenaltyDecision, today: date) -> date | None:
    """The next day the amount owed changes (the late fee grows), or None once it is capped."""
    if today <= decision.payment_due:
        return decision.payment_due + timedelta(days=1)
    if today >= rules.fee_growth_stops(fine_fen=decision.fine_fen, due=decision.payment_due):
        return None
    return today + timedelta(days=1)


def fine_pay_start(
    *, decision: PenaltyDecision, actor: User, return_url: str, payer: Payer = DESKTOP
) -> str:
    """The payment page for what is owed today (fine + late fee). Only the handler, the
    vehicle's owner or whoever acts for its owning company today may pay; a paid decision
    cannot be paid again."""
    person = _person_of(actor)
    # A payment made but not yet reported must be found before a second one is asked for.
    decision = fine_payment_refresh(decision=decision)
    decision = PenaltyDecision.objects.select_related("violation__vehicle").get(pk=decision.pk)
    errors = []
    # The licence holder too: a decision made at a counter was decided by the officer.
    if (
        actor.pk != decision.decided_by_id
        and person.pk != decision.licence.holder_id
        and not answers_for_owner(person, decision.violation)
    ):
        errors.append(
            _(
                "Only the person who handled the record, the vehicle's owner or someone acting"
                " for the company that owns it can pay this fine."
            )
        )
    if decision.paid_at is not None:
        errors.append(_("This fine has already been paid."))
    if decision.fine_fen == 0:
        errors.append(_("There is no fine to pay for this decision."))
    if errors:
        raise _fail(*errors)
    today = clock.today()
    owed = decision_amount(decision=decision, on=today)
    changes_on = _amount_changes_on(decision, today)
    # The order must not outlive its amount: the late fee grows at midnight.
    expires_at = (
        datetime.combine(changes_on, time.min, tzinfo=clock.OFFICE_TZ) if changes_on else None
    )
    if expires_at is not None and expires_at - clock.now() > timedelta(hours=2):
        expires_at = None
    order = payments.order_create(
        payer=actor,
        purpose=FINE_PURPOSE,
        subject_type=DECISION_SUBJECT,
        subject_id=str(decision.pk),
        amount_fen=owed.total_fen,
        # Kept as data: each reader reads it in their language, the gateway in the office's.
        description=phrase(gettext_noop("Traffic fine, decision %(number)s"))
        % {"number": decision.number},
        expires_at=expires_at,
    )
    if order.is_settled:
        raise _fail(_("This fine has already been paid."))
    return payments.order_start(order=order, return_url=return_url, payer=payer)


def fine_payment_refresh(*, decision: PenaltyDecision) -> PenaltyDecision:
    """Back from the payment page: ask the gateway at once, so a paid fine shows paid now."""
    order = payment_selectors.order_for_subject(
        subject_type=DECISION_SUBJECT, subject_id=str(decision.pk), purpose=FINE_PURPOSE
    )
    if order is not None and not order.is_settled:
        try:
            payments.order_refresh(order=order)
        except GatewayError:
            logger.warning("violations.fine_refresh_failed decision=%s", decision.pk)
    return PenaltyDecision.objects.get(pk=decision.pk)


def fine_paid(*, order: Any) -> None:
    """payments.hooks.on_paid("fine"): runs inside the transaction that credits the order."""
    if order.subject_type != DECISION_SUBJECT:
        return
    decision = (
        PenaltyDecision.objects.select_for_update(of=("self",))
        .select_related("violation")
        .get(pk=int(order.subject_id))
    )
    if decision.paid_at is not None:
        return
    decision.paid_at = order.paid_at or clock.now()
    decision.paid_fen = order.paid_amount_fen
    decision.save(update_fields=["paid_at", "paid_fen"])
    violation = decision.violation
    violation.payment_status = PaymentStatus.PAID
    violation.save(update_fields=["payment_status"])
    event_record(
        actor=order.payer,
        subject=decision,
        action="decision.paid",
        after={"order": order.reference, "paid_fen": decision.paid_fen},
    )
    event_record(
        actor=order.payer,
        subject=violation,
        action="violation.paid",
        before={"payment_status": PaymentStatus.UNPAID},
        after={"payment_status": PaymentStatus.PAID, "order": order.reference},
    )
    notify(
        kind="violation.fine_paid",
        context={"amount": format_fen(decision.paid_fen), "number": decision.number},
        dedup_key=f"violation.fine_paid:{decision.pk}",
        user=order.payer,
    )
