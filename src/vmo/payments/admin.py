"""Read-only admin: money records change through the services only, never by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Discrepancy, GatewayNotification, PaymentOrder, Reconciliation, Refund


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "purpose",
        "subject_type",
        "subject_id",
        "amount_fen",
        "status",
        "paid_at",
    ]
    list_filter = ["status", "purpose", "gateway"]
    search_fields = ["reference", "gateway_txn_id", "subject_id"]


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "gateway", "kind", "order_reference", "txn_id", "outcome"]
    list_filter = ["gateway", "kind", "signature_valid"]
    search_fields = ["order_reference", "txn_id"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["reference", "order", "kind", "amount_fen", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "gateway_txn_id"]


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ["statement_date", "gateway", "gateway_lines", "matched", "discrepancy_count"]


@admin.register(Discrepancy)
class DiscrepancyAdmin(ReadOnlyAdmin):
    list_display = ["reconciliation", "kind", "key", "order_reference", "resolved_at"]
    list_filter = ["kind"]
