"""The points cycle (R163 Art 15): what is carried into the next cycle when one ends."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from vmo.core import clock
from vmo.core.services import event_record
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry
from vmo.registry.choices import PointsKind
from vmo.registry.services import (
    licence_recompute_status,
    points_record,
)

from .. import rules
from ..choices import (
    OTHER_POINTS_SOURCE,
    POINTS_SOURCE,
    PaymentStatus,
)
from ..models import (
    PenaltyDecision,
    Violation,
)
from ..selectors import (
    licences_starting_cycle,
)

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, PointsEntry


def _violation_id(entry: PointsEntry) -> int:
    return int(entry.source_id.split("@")[0])


@transaction.atomic
def points_cycle_rollover(*, licence: DriverLicence, on: date) -> list[PointsEntry]:
    """Close the cycle that ended before `on`'s cycle (R163 Art 15). Idempotent: what was carried
    once is not carried again. Returns the entries written now."""
    licence = registry.licence_for_update(pk=licence.pk)
    first = licence.first_issue_date
    new_start = registry_rules.cycle_start(first, on)
    if new_start <= first:
        return []
    last_day = new_start - timedelta(days=1)
    old_start = registry_rules.cycle_start(first, last_day)
    by_violation: dict[int, int] = defaultdict(int)
    other = 0
    for entry in registry.points_entries().filter(licence=licence, cycle_start=old_start):
        if entry.source_type == POINTS_SOURCE and entry.source_id:
            by_violation[_violation_id(entry)] += entry.points
        else:
            other += entry.points
    end = datetime.combine(new_start, time.min, tzinfo=clock.OFFICE_TZ)
    decisions = {
        d.violation_id: d for d in PenaltyDecision.objects.filter(violation_id__in=by_violation)
    }
    statuses = dict(
        Violation.objects.filter(pk__in=by_violation).values_list("pk", "payment_status")
    )
    items = []
    for violation_id, points in by_violation.items():
        decision = decisions.get(violation_id)
        if decision is not None:
            # As it stood when the cycle ended: a later payment does not change the past.
            paid = decision.fine_fen == 0 or (
                decision.paid_at is not None and decision.paid_at < end
            )
            due = decision.payment_due
        else:
            paid = statuses.get(violation_id) != PaymentStatus.UNPAID
            due = None
        items.append(rules.CycleItem(violation_id, points, paid, due))
    carry, other_carry = rules.points_to_carry(items=items, other_points=other, last_day=last_day)
    suffix = f"@{new_start.isoformat()}"
    wanted = [(POINTS_SOURCE, f"{vid}{suffix}", pts) for vid, pts in sorted(carry.items())]
    if other_carry:
        wanted.append((OTHER_POINTS_SOURCE, f"{licence.pk}{suffix}", other_carry))
    done = set(
        registry.points_entries()
        .filter(licence=licence, cycle_start=new_start, kind=PointsKind.CARRY_OVER)
        .values_list("source_type", "source_id")
    )
    written = [
        points_record(
            licence=licence,
            actor=None,
            points=points,
            kind=PointsKind.CARRY_OVER,
            occurred_on=new_start,
            source_type=source_type,
            source_id=source_id,
            note=f"carried from the cycle {old_start.isoformat()} – {last_day.isoformat()}",
        )
        for source_type, source_id, points in wanted
        if (source_type, source_id) not in done
    ]
    if written:
        event_record(
            actor=None,
            subject=licence,
            action="points.carry_over",
            after={
                "from_cycle": old_start.isoformat(),
                "to_cycle": new_start.isoformat(),
                "points": sum(e.points for e in written),
            },
            reason="R163 Art 15",
        )
    else:
        licence_recompute_status(licence=licence, reason="cycle ended")
    return written


def points_rollover_for_day(*, day: date) -> int:
    """Roll over every licence whose cycle started on `day`; one transaction per licence."""
    count = 0
    for licence in licences_starting_cycle(day=day).iterator(chunk_size=500):
        points_cycle_rollover(licence=licence, on=day)
        count += 1
    return count
