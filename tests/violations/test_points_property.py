"""Property tests (hypothesis): for any sequence of violations, payments, reductions and cycle
ends, the ledger in the database follows R163, checked against a model written from the text.

- Each cycle's total is the sum of its own entries plus what the previous cycle carried
  (Art 15: below 12, the points of unpaid fines carry when any fine is overdue; Arts 17/23: at
  12 or more nothing clears).
- The licence shows B exactly when the current cycle's total is 12 or more.
- Running the rollover twice changes nothing.
- The late fee is never negative, never above the fine, and never falls as days pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.violations.online_factories import camera_violation, owner_with_vehicle
from vmo.core import clock
from vmo.registry import rules as registry_rules
from vmo.registry.models import DriverLicence, PointsEntry
from vmo.registry.services import points_record
from vmo.violations import rules, selectors, services
from vmo.violations.models import PenaltyDecision

FIRST_ISSUE = date(2015, 6, 1)
START = date(2023, 1, 1)
SPAN_DAYS = 3 * 365
CYCLE_STARTS = [date(y, 6, 1) for y in range(2023, 2027)]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=clock.OFFICE_TZ)


# --- The model ---------------------------------------------------------------------------------


@dataclass
class Item:
    ident: int
    points: int
    fine: int
    due: date
    paid_on: date | None = None


@dataclass
class Model:
    """Cycles keyed by start: their violations (with points) and other entries (reductions)."""

    own: dict[date, list[Item]] = field(default_factory=dict)
    other: dict[date, int] = field(default_factory=dict)
    carried: dict[date, list[tuple[int, int]]] = field(default_factory=dict)  # (ident, points)
    carried_other: dict[date, int] = field(default_factory=dict)

    def total(self, start: date) -> int:
        return (
            sum(i.points for i in self.own.get(start, []))
            + self.other.get(start, 0)
            + sum(p for _, p in self.carried.get(start, []))
            + self.carried_other.get(start, 0)
        )

    def close(self, start: date, items_by_id: dict[int, Item]) -> None:
        """The cycle starting `start` ends: decide what the next one inherits, from the text."""
        nxt = registry_rules.add_months(start, 12)
        last = nxt - timedelta(days=1)
        lines = [(i.ident, i.points) for i in self.own.get(start, [])] + self.carried.get(start, [])
        lines = [(ident, p) for ident, p in lines if p > 0]

        def unpaid(ident: int) -> bool:
            item = items_by_id[ident]
            return item.fine > 0 and (item.paid_on is None or item.paid_on > last)

        if self.total(start) >= 12:
            self.carried[nxt] = lines
            self.carried_other[nxt] = self.other.get(start, 0) + self.carried_other.get(start, 0)
            return
        overdue = any(unpaid(ident) and items_by_id[ident].due < last for ident, _ in lines)
        self.carried[nxt] = [(ident, p) for ident, p in lines if overdue and unpaid(ident)]


# --- Events ------------------------------------------------------------------------------------

# Days anywhere, and days just before a cycle ends, where deadlines and payments meet it.
near_end = st.builds(
    lambda start, back: (start - START).days - back,
    st.sampled_from(CYCLE_STARTS[1:3]),
    # 16 days before the end: the deadline (15 days on) falls on the last day of the cycle.
    st.one_of(st.sampled_from([15, 16, 17]), st.integers(1, 30)),
)
a_day = st.one_of(st.integers(0, SPAN_DAYS), near_end)

event = st.one_of(
    st.tuples(
        st.just("violation"),
        a_day,
        st.sampled_from([0, 1, 3, 6, 9, 12]),
        st.sampled_from([0, 5000, 20000]),
        st.one_of(st.none(), st.integers(0, 40)),  # paid that many days after the decision
    ),
    st.tuples(st.just("reduction"), a_day, st.sampled_from([1, 2])),
)


def _counter_decision(owner, violation, day: date) -> PenaltyDecision:
    """What a counter does when the online rules refuse (e.g. 12 points): the same decision and
    points, decided by an officer. Only the online rules are skipped, never the ledger."""
    decision = PenaltyDecision.objects.create(
        number=f"TEST{violation.pk:012d}",
        violation=violation,
        licence=owner.licence,
        decided_by=owner.user,
        decided_at=_at(day, 11),
        points=violation.points,
        fine_fen=violation.fine_fen,
        payment_due=services.decision_payment_due(decided_on=day),
    )
    if violation.points:
        points_record(
            licence=owner.licence,
            actor=None,
            points=violation.points,
            kind="violation",
            occurred_on=day,
            source_type="violation",
            source_id=str(violation.pk),
        )
    violation.handling_status = 1
    violation.save(update_fields=["handling_status"])
    return decision


def _pay(decision: PenaltyDecision, day: date, owner) -> None:
    order = SimpleNamespace(
        subject_type=services.DECISION_SUBJECT,
        subject_id=str(decision.pk),
        paid_at=_at(day, 15),
        paid_amount_fen=decision.fine_fen,
        payer=owner.user,
        reference=f"PO-{decision.pk}",
    )
    with transaction.atomic():
        services.fine_paid(order=order)


def _status_has_b(licence: DriverLicence) -> bool:
    licence.refresh_from_db()
    return "B" in licence.status


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=st.lists(event, min_size=1, max_size=8),
    # The daily job may run late (a worker was down): it catches up, judging as of the end.
    lags=st.lists(st.integers(0, 2), min_size=len(CYCLE_STARTS), max_size=len(CYCLE_STARTS)),
)
@example(  # overdue at the end, paid on the first day of the next cycle, job a day late: carries
    events=[("violation", (date(2024, 5, 1) - START).days, 3, 20000, 31)], lags=[0, 1, 0, 0]
)
def test_the_ledger_follows_the_cycle_rules(events, lags):
    with transaction.atomic():
        _run(events, lags)
        transaction.set_rollback(True)  # each example starts from an empty ledger


def _run(events, lags) -> None:
    owner = owner_with_vehicle(first_issue=FIRST_ISSUE)
    model = Model()
    items: dict[int, Item] = {}
    payments: dict[date, list[tuple[PenaltyDecision, Item]]] = {}
    timeline: list[tuple[date, int, tuple]] = [(START + timedelta(days=e[1]), 1, e) for e in events]
    timeline += [
        (d + timedelta(days=lag), 0, ("cycle", d))
        for d, lag in zip(CYCLE_STARTS, lags, strict=False)
    ]
    timeline.sort(key=lambda t: (t[0], t[1]))
    last_day = max(d for d, _, _ in timeline) + timedelta(days=61)

    day = START
    while day <= last_day:
        for when, _, ev in [t for t in timeline if t[0] == day]:
            _apply(ev, when, owner, model, items, payments)
        for decision, item in payments.pop(day, []):  # in the afternoon, after the day's events
            with time_machine.travel(_at(day, 15), tick=False):
                _pay(decision, day, owner)
            item.paid_on = day
        day += timedelta(days=1)
        if day > timeline[-1][0] and not payments:
            break

    for start in CYCLE_STARTS:
        db_total = sum(
            PointsEntry.objects.filter(licence=owner.licence, cycle_start=start).values_list(
                "points", flat=True
            )
        )
        assert db_total == model.total(start), (start, events)


def _apply(ev, day: date, owner, model: Model, items, payments) -> None:
    start = registry_rules.cycle_start(FIRST_ISSUE, day)
    with time_machine.travel(_at(day, 11), tick=False):
        if ev[0] == "cycle":
            new_start = ev[1]
            model.close(registry_rules.add_months(new_start, -12), items)
            services.points_rollover_for_day(day=new_start)
            services.points_rollover_for_day(day=new_start)  # twice: idempotent
        elif ev[0] == "reduction":
            total = model.total(start)
            reduced = -sum(
                p
                for p in PointsEntry.objects.filter(
                    licence=owner.licence, cycle_start=start, kind="reduction"
                ).values_list("points", flat=True)
            )
            # R163 Art 25: only below 12 and at most 6 a cycle; never below zero here.
            if 0 < total < 12 and reduced + ev[2] <= 6 and total - ev[2] >= 0:
                points_record(
                    licence=owner.licence,
                    actor=None,
                    points=-ev[2],
                    kind="reduction",
                    occurred_on=day,
                )
                model.other[start] = model.other.get(start, 0) - ev[2]
        else:
            _, _, points, fine, pay_after = ev
            violation = camera_violation(
                owner.vehicle, occurred_at=_at(day, 9), points=points, fine_fen=fine
            )
            online = not selectors.handling_problems(
                violation=violation, licence=owner.licence, points_now=model.total(start)
            )
            if online:
                decision = services.violation_handle(violation=violation, actor=owner.user)
            else:
                decision = _counter_decision(owner, violation, day)
            item = Item(violation.pk, points, fine, decision.payment_due)
            items[violation.pk] = item
            model.own.setdefault(start, []).append(item)
            if fine and pay_after is not None:
                payments.setdefault(day + timedelta(days=pay_after), []).append((decision, item))
    current = model.total(registry_rules.cycle_start(FIRST_ISSUE, day))
    assert _status_has_b(owner.licence) == (current >= 12), (day, current)


# --- The late fee ------------------------------------------------------------------------------

fines = st.integers(min_value=0, max_value=5_000_000)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(fine=fines, due=days, on=days, later=st.integers(0, 400))
def test_the_late_fee_is_bounded_and_never_falls(fine, due, on, later):
    fee = rules.late_fee(fine, due, on)
    assert 0 <= fee <= fine
    assert rules.late_fee(fine, due, on + timedelta(days=later)) >= fee
    if on <= due:
        assert fee == 0
    owed = rules.amount_due(fine_fen=fine, due=due, on=on)
    assert owed.total_fen == fine + fee and owed.late_fee_fen == fee
    assert owed.capped == (fee == fine and fine > 0 and owed.days_late * owed.per_day_fen > fine)
