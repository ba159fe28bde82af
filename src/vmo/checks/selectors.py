"""Reads of check codes and attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import CheckAttempt, CheckCode


def codes_of_holder(user: Any) -> QuerySet[CheckCode]:
    return CheckCode.objects.filter(holder_user_id=user.pk)


def code_of_holder_for_update(*, user: Any, pk: int) -> CheckCode:
    return get_object_or_404(codes_of_holder(user).select_for_update(), pk=pk)


def code_by_hash_for_update(code_hash: str) -> CheckCode | None:
    return CheckCode.objects.select_for_update().filter(code_hash=code_hash).first()


def failures_from(client_address: str, *, since: datetime) -> int:
    return CheckAttempt.objects.filter(
        client_address=client_address, succeeded=False, attempted_at__gte=since
    ).count()


def holder_user(row: CheckCode) -> Any:
    return get_user_model().objects.filter(pk=row.holder_user_id).first()
