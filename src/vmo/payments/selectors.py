"""Reads of payments. Business apps ask here whether their subject is paid."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vmo.core.selectors import office_config

from .choices import LIVE_STATUSES, OrderStatus
from .gateways import UnknownGateway, default_gateway_name, get_gateway
from .models import Discrepancy, GatewayNotification, PaymentOrder, Reconciliation, Refund


def order_for_payer(*, user: Any, reference: str) -> PaymentOrder:
    """The payer's order; anyone else gets DoesNotExist (shown as 404), never a hint."""
    return PaymentOrder.objects.for_payer(user).get(reference=reference)


def orders_for_payer(*, user: Any) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.for_payer(user)


def order_for_subject(
    *, subject_type: str, subject_id: str, purpose: str, paid_only: bool = False
) -> PaymentOrder | None:
    """The subject's open or paid order (only a paid one with paid_only), if any."""
    return (
        PaymentOrder.objects.filter(
            subject_type=subject_type,
            subject_id=str(subject_id),
            purpose=purpose,
            status__in=(OrderStatus.PAID,) if paid_only else LIVE_STATUSES,
        )
        .order_by("-created_at")
        .first()
    )


def refunds_of(order: PaymentOrder) -> QuerySet[Refund]:
    return order.refunds.order_by("created_at", "id")


def notifications_for(order: PaymentOrder) -> QuerySet[GatewayNotification]:
    return GatewayNotification.objects.filter(order_reference=order.reference)


def reconciliations_recent(limit: int = 30) -> QuerySet[Reconciliation]:
    return Reconciliation.objects.order_by("-statement_date", "gateway")[:limit]


def discrepancies_open() -> QuerySet[Discrepancy]:
    return (
        Discrepancy.objects.filter(resolved_at__isnull=True)
        .select_related("reconciliation")
        .order_by("reconciliation__statement_date", "id")
    )


def receipt_office_name(language: str) -> str:
    config = office_config()
    return config.office_name_en if language.startswith("en") else config.office_name_zh


def gateway_has_phone_flow() -> bool:
    """Whether the office's gateway pays phones its own way (pay pages then offer the choice)."""
    try:
        return get_gateway(default_gateway_name()).phone_flow
    except UnknownGateway:
        return False
