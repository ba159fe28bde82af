"""The deadline scan's candidates and the time-limit compliance figures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from vmo.accounts import selectors as account_selectors
from vmo.accounts.permissions import roles_with
from vmo.core import clock
from vmo.core.workdays import WorkingDays

from ..choices import FINISHED, OPEN, UNDECIDED
from ..models import Application
from .queues import near_limit

if TYPE_CHECKING:
    from vmo.accounts.models import User

# ----- the deadline scan ----------------------------------------------------------------------


def deadline_alerts(today: date | None = None) -> QuerySet[Application]:
    """Undecided applications due within one working day, or overdue, in one query."""
    today = today or clock.today()
    return (
        Application.objects.filter(status__in=UNDECIDED, due_on__lte=near_limit(today))
        .select_related("claimed_by")
        .order_by("due_on", "pk")
    )


def supervisors() -> list[User]:
    """The officers who watch time limits: whoever may supervise the workbench."""
    return list(
        account_selectors.users().filter(
            kind="officer", role__in=roles_with("workbench.supervise"), is_active=True
        )
    )


# ----- time-limit compliance ------------------------------------------------------------------


@dataclass
class ComplianceRow:
    key: Any
    label: str
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return self.on_time + self.late

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.finished) if self.finished else None


@dataclass
class Compliance:
    by_business: list[ComplianceRow]
    by_officer: list[ComplianceRow]
    total: ComplianceRow


def compliance(date_from: date, date_to: date) -> Compliance:
    """Applications finished (completed, or refused) in the range, on time when finished by
    their due date, and the open ones already overdue. [U] An application counts for the
    reviewer who decided it; "finished" is the completion, or the refusal, as the applicant
    has their answer only then."""
    from vmo.catalog.businesses import BUSINESSES

    finished_day = TruncDate(Coalesce("completed_at", "decided_at"), tzinfo=clock.OFFICE_TZ)
    accepted_day = TruncDate("accepted_at", tzinfo=clock.OFFICE_TZ)
    grouped = list(
        Application.objects.filter(status__in=FINISHED, accepted_at__isnull=False)
        .annotate(fin=finished_day, acc=accepted_day)
        .filter(fin__gte=date_from, fin__lte=date_to)
        .values("business_code", "decided_by", "acc", "fin")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(fin__lte=F("due_on"))),
        )
    )
    today = clock.today()
    overdue = list(
        Application.objects.filter(status__in=OPEN, due_on__lt=today)
        .values("business_code", "claimed_by")
        .annotate(n=Count("id"))
    )
    officer_ids = {r["decided_by"] for r in grouped} | {r["claimed_by"] for r in overdue}
    names = {
        u.pk: u.get_full_name() or u.username
        for u in account_selectors.users().filter(pk__in={i for i in officer_ids if i})
    }
    calendar = WorkingDays([d for r in grouped for d in (r["acc"], r["fin"])])

    def business_label(code: str) -> str:
        business = BUSINESSES.get(code)
        return f"{code} {business.name}" if business else code

    def officer_label(pk: int | None) -> str:
        return names.get(pk, "") if pk else str(_("(system, automatic)"))

    businesses: dict[Any, ComplianceRow] = {}
    officers: dict[Any, ComplianceRow] = {}
    total = ComplianceRow(None, pgettext("table: total row", "All"))
    for r in grouped:
        days = calendar.between(r["acc"], r["fin"])
        rows = (
            businesses.setdefault(
                r["business_code"],
                ComplianceRow(r["business_code"], business_label(r["business_code"])),
            ),
            officers.setdefault(
                r["decided_by"], ComplianceRow(r["decided_by"], officer_label(r["decided_by"]))
            ),
            total,
        )
        for row in rows:
            row.on_time += r["on_time"]
            row.late += r["n"] - r["on_time"]
            row.days += [days] * r["n"]
    for r in overdue:
        businesses.setdefault(
            r["business_code"],
            ComplianceRow(r["business_code"], business_label(r["business_code"])),
        ).open_overdue += r["n"]
        if r["claimed_by"]:
            officers.setdefault(
                r["claimed_by"], ComplianceRow(r["claimed_by"], officer_label(r["claimed_by"]))
            ).open_overdue += r["n"]
        total.open_overdue += r["n"]
    return Compliance(
        by_business=sorted(businesses.values(), key=lambda row: str(row.key)),
        by_officer=sorted(officers.values(), key=lambda row: row.label),
        total=total,
    )
