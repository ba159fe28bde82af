"""Daily reconciliation: the gateway's statement of a day against our records.

Compared by transaction (payments) and by our refund number (refunds), in office time.
Running a day again updates the same run: nothing is listed twice, and what no longer
differs is closed as cleared. (Re-exported by services.py, the app's one door for writes.)
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from .choices import DiscrepancyKind, RefundKind, RefundStatus
from .gateways import get_gateway
from .gateways.base import StatementLine
from .models import Discrepancy, PaymentOrder, Reconciliation, Refund

if TYPE_CHECKING:
    from vmo.accounts.models import User

Found = dict[tuple[str, str], dict[str, Any]]


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=clock.OFFICE_TZ)
    return start, start + timedelta(days=1)


def _found(kind: str, key: str, order_reference: str, txn_id: str, **details: Any) -> Found:
    return {(kind, key): {"order_reference": order_reference, "txn_id": txn_id, "details": details}}


def _compare_payments(
    gateway: str, day: date, lines: list[StatementLine]
) -> tuple[Found, int, int]:
    theirs = {line.txn_id: line for line in lines if line.kind == "pay"}
    start, end = _day_range(day)
    ours_today = list(
        PaymentOrder.objects.filter(gateway=gateway, paid_at__gte=start, paid_at__lt=end).exclude(
            gateway_txn_id=""
        )
    )
    by_txn = {
        order.gateway_txn_id: order
        for order in PaymentOrder.objects.filter(gateway=gateway, gateway_txn_id__in=list(theirs))
    }
    # Second payments we know of and are giving back are ours too, though they credit nothing.
    returned = {
        refund.gateway_txn_id: refund
        for refund in Refund.objects.filter(
            gateway=gateway, gateway_txn_id__in=list(theirs)
        ).exclude(kind=RefundKind.REQUESTED)
    }
    found: Found = {}
    matched = 0
    for txn, line in theirs.items():
        order = by_txn.get(txn)
        ours_amount = (
            order.paid_amount_fen
            if order
            else (returned[txn].amount_fen if txn in returned else None)
        )
        if ours_amount is None:
            found |= _found(
                DiscrepancyKind.MISSING_LOCALLY,
                txn,
                line.order_reference,
                txn,
                gateway_fen=line.amount_fen,
            )
        elif ours_amount != line.amount_fen:
            found |= _found(
                DiscrepancyKind.AMOUNT_MISMATCH,
                txn,
                line.order_reference,
                txn,
                ours_fen=ours_amount,
                gateway_fen=line.amount_fen,
            )
        else:
            matched += 1
    for order in ours_today:
        if order.gateway_txn_id not in theirs:
            found |= _found(
                DiscrepancyKind.MISSING_AT_GATEWAY,
                order.gateway_txn_id,
                order.reference,
                order.gateway_txn_id,
                ours_fen=order.paid_amount_fen,
                status=order.status,
            )
    return found, matched, len(ours_today)


def _compare_refunds(gateway: str, day: date, lines: list[StatementLine]) -> tuple[Found, int, int]:
    theirs = {line.refund_reference or line.txn_id: line for line in lines if line.kind == "refund"}
    start, end = _day_range(day)
    ours_today = list(
        Refund.objects.filter(
            gateway=gateway,
            status=RefundStatus.SUCCEEDED,
            completed_at__gte=start,
            completed_at__lt=end,
        ).select_related("order")
    )
    by_ref = {
        refund.reference: refund
        for refund in Refund.objects.filter(
            gateway=gateway, reference__in=list(theirs)
        ).select_related("order")
    }
    found: Found = {}
    matched = 0
    for ref, line in theirs.items():
        refund = by_ref.get(ref)
        if refund is None:
            found |= _found(
                DiscrepancyKind.MISSING_LOCALLY,
                ref,
                line.order_reference,
                line.refunded_txn_id,
                refund=True,
                gateway_fen=line.amount_fen,
            )
        elif refund.amount_fen != line.amount_fen:
            found |= _found(
                DiscrepancyKind.AMOUNT_MISMATCH,
                ref,
                refund.order.reference,
                refund.gateway_txn_id,
                refund=True,
                ours_fen=refund.amount_fen,
                gateway_fen=line.amount_fen,
            )
        elif refund.status != RefundStatus.SUCCEEDED:
            found |= _found(
                DiscrepancyKind.STATUS_MISMATCH,
                ref,
                refund.order.reference,
                refund.gateway_txn_id,
                refund=True,
                ours=refund.status,
                gateway="refunded",
            )
        else:
            matched += 1
    for refund in ours_today:
        if refund.reference not in theirs:
            found |= _found(
                DiscrepancyKind.MISSING_AT_GATEWAY,
                refund.reference,
                refund.order.reference,
                refund.gateway_txn_id,
                refund=True,
                ours_fen=refund.amount_fen,
            )
    return found, matched, len(ours_today)


def reconcile(*, gateway: str, day: date) -> Reconciliation:
    """Compare one gateway's statement of one day with our records; list what differs."""
    lines = get_gateway(gateway).statement(day)  # outside the transaction: a remote call
    now = clock.now()
    with transaction.atomic():
        run, _created = Reconciliation.objects.select_for_update().get_or_create(
            gateway=gateway, statement_date=day, defaults={"run_at": now}
        )
        pay_found, pay_matched, pay_ours = _compare_payments(gateway, day, lines)
        refund_found, refund_matched, refund_ours = _compare_refunds(gateway, day, lines)
        found = pay_found | refund_found
        known = {(d.kind, d.key): d for d in run.discrepancies.select_for_update()}
        for (kind, key), data in found.items():
            existing = known.get((kind, key))
            if existing is None:
                Discrepancy.objects.create(
                    reconciliation=run, kind=kind, key=key, found_at=now, **data
                )
            elif existing.resolved_at is None and existing.details != data["details"]:
                existing.details = data["details"]
                existing.save(update_fields=["details"])
        for (kind, key), existing in known.items():
            if (kind, key) not in found and existing.resolved_at is None:
                existing.resolved_at = now
                existing.resolution = "cleared: no longer found on a later run"
                existing.save(update_fields=["resolved_at", "resolution"])
        run.run_at = now
        run.gateway_lines = len(lines)
        run.local_records = pay_ours + refund_ours
        run.matched = pay_matched + refund_matched
        run.discrepancy_count = len(found)
        run.save()
        event_record(
            actor=None,
            subject=run,
            action="reconcile.run",
            after={
                "gateway_lines": run.gateway_lines,
                "local_records": run.local_records,
                "matched": run.matched,
                "discrepancies": run.discrepancy_count,
            },
        )
    return run


@transaction.atomic
def discrepancy_resolve(*, discrepancy: Discrepancy, actor: User, resolution: str) -> Discrepancy:
    locked = Discrepancy.objects.select_for_update().get(pk=discrepancy.pk)
    errors: dict[str, list[str]] = {}
    if locked.resolved_at is not None:
        errors["discrepancy"] = [_("This discrepancy is already resolved.")]
    if not (resolution or "").strip():
        errors["resolution"] = [_("Say how the discrepancy was resolved.")]
    if errors:
        raise ValidationError(errors)
    locked.resolved_at = clock.now()
    locked.resolved_by = actor
    locked.resolution = resolution.strip()
    locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    event_record(
        actor=actor,
        subject=locked,
        action="discrepancy.resolve",
        after={"kind": locked.kind, "key": locked.key},
        reason=locked.resolution,
    )
    return locked
