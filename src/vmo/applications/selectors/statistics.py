"""Counts of applications that other apps publish or show: the office's monthly statistics
(bulletins) and the number a person still has open (status)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from ..choices import PENDING_STATUSES, ApplicationStatus
from ..models import Application

if TYPE_CHECKING:
    from vmo.registry.models import Person


def pending_count(*, person: Person) -> int:
    """Applications of the person's accounts, for no company, still waiting for the office or
    for them (a company's are counted with the company: pending_counts_of_companies)."""
    return Application.objects.filter(
        applicant__person=person, company__isnull=True, status__in=PENDING_STATUSES
    ).count()


def pending_counts(*, person: Person) -> dict[int | None, int]:
    """In one query: the person's own applications for no company still waiting (under None),
    and per company they act for today, the company's (whoever applied)."""
    from vmo.registry import selectors as registry

    legal, agent = registry.acting_paths(person, company_field="company_id")
    waiting = Application.objects.filter(status__in=PENDING_STATUSES)
    mine: QuerySet[Any, Any] = waiting.filter(applicant__person=person, company__isnull=True)
    as_legal: QuerySet[Any, Any] = waiting.filter(legal).values("pk").order_by()
    as_agent: QuerySet[Any, Any] = waiting.filter(agent).values("pk").order_by()
    ids = mine.values("pk").order_by().union(as_legal, as_agent)
    return dict(
        Application.objects.filter(pk__in=ids)
        .values_list("company_id")
        .annotate(n=Count("id"))
        .order_by()
    )


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
