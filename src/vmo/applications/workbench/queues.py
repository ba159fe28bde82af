"""The queues and the deadline states the officers see in them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vmo.accounts.permissions import officer_can
from vmo.core import clock
from vmo.core.workdays import WorkingDays, add_working_days

from ..choices import CHECKABLE, OPEN
from ..models import Application

NEAR_DAYS = 1


@dataclass(frozen=True)
class Deadline:
    due_on: date | None
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < clock.today()

    @property
    def days_overdue(self) -> int:
        return max(0, -(self.days_left or 0))

    @property
    def near(self) -> bool:
        return not self.overdue and self.days_left is not None and self.days_left <= NEAR_DAYS


def deadlines(due_dates: Iterable[date | None], today: date | None = None) -> dict[date, Deadline]:
    today = today or clock.today()
    wanted = {d for d in due_dates if d is not None}
    calendar = WorkingDays([today, *wanted])
    return {d: Deadline(d, calendar.between(today, d)) for d in wanted}


def near_limit(today: date | None = None) -> date:
    """The last due date that counts as near: one working day from today."""
    return add_working_days(today or clock.today(), NEAR_DAYS)


# ----- the queues -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    code: str
    title: Promise
    description: Promise
    capability: str


QUEUES: dict[str, Queue] = {
    q.code: q
    for q in (
        Queue(
            "check",
            _("To check"),
            _("Submitted or resubmitted, paid or free of charge: check the materials."),
            "application.check",
        ),
        Queue(
            "review",
            _("To decide"),
            _("Checked by a clerk: approve, refuse or ask for corrections."),
            "application.decide",
        ),
        Queue(
            "mine",
            _("Claimed by me"),
            _("Applications you are working on."),
            "application.check",
        ),
        Queue(
            "counter",
            _("Counter handling"),
            _("Moved to the service hall (R164 Art 74): the applicant completes them in person."),
            "application.check",
        ),
        Queue(
            "delivery",
            _("Documents to hand over"),
            _("Completed applications whose documents are not yet collected or delivered."),
            "application.check",
        ),
    )
}


def queues_for(user: Any) -> list[Queue]:
    return [q for q in QUEUES.values() if officer_can(user, q.capability)]


def queue_applications(
    code: str,
    *,
    user: Any,
    business: str = "",
    due: str = "",
    claimed: str = "",
) -> QuerySet[Application]:
    """One queue, soonest deadline first; ``due`` is "overdue" or "near", ``claimed`` "me" or
    "none"."""
    rows = Application.objects.select_related("person", "claimed_by")
    if code == "check":
        rows = rows.filter(status__in=CHECKABLE, counter_reason="").filter(
            Q(fee_fen=0) | Q(paid_at__isnull=False)
        )
    elif code == "review":
        rows = rows.filter(status="review", counter_reason="")
    elif code == "mine":
        rows = rows.filter(claimed_by=user, status__in=(*OPEN, "correction"))
    elif code == "counter":
        rows = rows.exclude(counter_reason="").filter(status__in=(*OPEN, "correction"))
    elif code == "delivery":
        rows = rows.filter(status="completed", delivery__isnull=False).exclude(
            delivery__status__in=("collected", "delivered")
        )
    else:
        raise KeyError(code)
    if business:
        rows = rows.filter(business_code=business)
    today = clock.today()
    if due == "overdue":
        rows = rows.filter(due_on__lt=today)
    elif due == "near":
        rows = rows.filter(due_on__gte=today, due_on__lte=near_limit(today))
    if claimed == "me":
        rows = rows.filter(claimed_by=user)
    elif claimed == "none":
        rows = rows.filter(claimed_by__isnull=True)
    return rows.order_by(F("due_on").asc(nulls_last=True), "submitted_at", "pk")


def queue_counts(user: Any) -> dict[str, int]:
    """How many are in each queue the officer may see: one query per queue, a handful."""
    return {q.code: queue_applications(q.code, user=user).count() for q in queues_for(user)}
