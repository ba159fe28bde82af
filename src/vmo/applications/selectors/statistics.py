"""Counts of applications that other apps publish or show: the office's monthly statistics
(bulletins) and the number a person still has open (status)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Count

from ..choices import PENDING_STATUSES, ApplicationStatus
from ..models import Application

if TYPE_CHECKING:
    from vmo.registry.models import Person


def pending_count(*, person: Person) -> int:
    """Applications of the person's accounts still waiting for the office or for them."""
    return Application.objects.filter(applicant__person=person, status__in=PENDING_STATUSES).count()


def _per_business(**filters: object) -> dict[str, int]:
    return dict(
        Application.objects.filter(**filters).values_list("business_code").annotate(n=Count("id"))
    )


def business_counts(*, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """Per business code: received (by submission), completed and refused (by when that
    happened) in [start, end)."""
    return {
        "received": _per_business(submitted_at__gte=start, submitted_at__lt=end),
        "completed": _per_business(
            status=ApplicationStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end
        ),
        "refused": _per_business(
            status=ApplicationStatus.REFUSED, decided_at__gte=start, decided_at__lt=end
        ),
    }


def completions(
    *, start: datetime, end: datetime
) -> Iterator[tuple[str, datetime | None, date | None]]:
    """(business code, completed at, due on) of each application completed in [start, end)."""
    return (
        Application.objects.filter(
            status=ApplicationStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end
        )
        .values_list("business_code", "completed_at", "due_on")
        .iterator()
    )
