"""Violations over five years and what handling them left behind, as rows.

Per vehicle the number of records is heavy-tailed (a Lomax draw, scaled by the years the
vehicle and its owner's licence were on the road): most vehicles have none to three, a few
dozens. A record older than two years is handled (intake refuses an unhandled one that old);
newer ones mostly are. A handled record is what services/handling.py (online, by the owner's
account) or services/counter.py (an officer, for an owner without an account or a record
that only a counter may decide) leave: the numbered penalty decision, the points entry in
the cycle of the violation, the fine paid (services/fines.py: the decision's paid_at and
paid_fen, the record's payment status and, when paid online, the paid payment order).

Points are kept below the full score of a cycle (a driver at 12 would be at full-score
education, not collecting records): a draw that would reach it takes a code without points.
Only licences drawn as full-score reach 12, with two red lights in the current cycle.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_noop

from vmo.core.phrases import phrase
from vmo.core.workdays import WorkingDays
from vmo.notices import values
from vmo.payments.choices import OrderStatus
from vmo.registry import rules
from vmo.violations import rules as violation_rules
from vmo.violations.choices import (
    DECISION_SUBJECT,
    FINE_PURPOSE,
    POINTS_SOURCE,
    DecisionChannel,
    HandlingStatus,
    PaymentStatus,
)
from vmo.violations.models import ViolationCode

from .data import PLACES_ON_ROADS
from .draws import LicenceSpec, VehicleSpec, moment

YEARS_BACK = 5
DAYS_BACK = 365 * YEARS_BACK + 1
INTAKE_LIMIT_DAYS = 730  # intake refuses an unhandled record older than two years
# Lomax (Pareto II) draw per vehicle over five years: mean about 10, median about 3.
TAIL_ALPHA = 1.7
TAIL_SCALE = 11.0
TAIL_CAP = 150
# Weights of the codes by their points: minor camera offences are the common ones.
CODE_WEIGHT_BY_POINTS = {0: 30, 1: 20, 3: 12, 6: 4, 9: 0.4, 12: 0.2}
PAY_ORDER_MINUTES = 120
GATEWAYS = ("alipay", "wechat")


@dataclass(slots=True)
class Owner:
    """What a vehicle's records need to know of the batch's ids."""

    vehicle_pk: int
    person_pk: int  # the owner, kept on each record (who answers for it after a sale)
    plate: str
    plate_type: str
    licence_pk: int
    user_pk: int | None  # the owner's account, if they have one


def _weights(codes: list[ViolationCode]) -> list[float]:
    return [CODE_WEIGHT_BY_POINTS.get(c.points, 1) for c in codes]


class Records:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        now: datetime,
        codes: list[ViolationCode],
        red_light: ViolationCode | None,
        officer_pk: int,
        online_fine_limit_fen: int,
    ) -> None:
        self.rng, self.today, self.now = rng, today, now
        self.codes = codes
        self.code_cum = list(_accumulate(_weights(codes)))
        self.zero_codes = [c for c in codes if c.points == 0] or codes[:1]
        self.red_light = red_light
        self.officer_pk = officer_pk
        self.fine_limit = online_fine_limit_fen
        self._due: dict[date, date] = {}
        # The office's calendar read once for the whole span (one query, not one a day).
        self.calendar = WorkingDays(
            [today - timedelta(days=DAYS_BACK + 400), today + timedelta(days=800)]
        )
        # The order's description as services/fines.py makes it: a Phrase kept as data.
        marker = "\x00N\x00"
        description = phrase(gettext_noop("Traffic fine, decision %(number)s")) % {"number": marker}
        self._desc_values = values.encode({"description": description}).split(marker)
        self._desc_text = description.again().split(marker)

    def payment_due(self, day: date) -> date:
        """services/common.decision_payment_due, on the calendar read once."""
        due = self._due.get(day)
        if due is None:
            due = violation_rules.payment_due(day)
            while not self.calendar.is_working(due):
                due += timedelta(days=1)
            self._due[day] = due
        return due

    def add_working_days(self, start: date, days: int) -> date:
        """core.workdays.add_working_days, on the calendar read once."""
        current, remaining = start, days
        while remaining:
            current += timedelta(days=1)
            if self.calendar.is_working(current):
                remaining -= 1
        return current

    def description(self, number: str) -> tuple[str, str]:
        return number.join(self._desc_text), number.join(self._desc_values)

    # --- Pass 1: which records, when, handled or not -------------------------------------

    def count_for(self, first_day: date) -> int:
        """How many records a vehicle on the road since first_day collected."""
        span = (self.today - first_day).days
        if span <= 1:
            return 0
        draw = TAIL_SCALE * (self.rng.random() ** (-1 / TAIL_ALPHA) - 1)
        return int(min(draw, TAIL_CAP) * span / DAYS_BACK + self.rng.random())

    def draw(
        self, licences: list[LicenceSpec], vehicles: list[VehicleSpec]
    ) -> list[tuple[Any, ...]]:
        """Every record of the batch's vehicles as (vehicle index, code, occurred_at, handled,
        decided_at, paid_at, points_cycle): the points are checked against the cycle here."""
        rng, today = self.rng, self.today
        earliest = today - timedelta(days=DAYS_BACK)
        cycle_points: dict[tuple[int, date], int] = {}
        current = [rules.cycle_start(lic.fields["first_issue_date"], today) for lic in licences]
        codes, code_cum = self.codes, self.code_cum
        code_total = code_cum[-1]
        drawn: list[tuple[Any, ...]] = []
        full_score_done: set[int] = set()
        for vi, vehicle in enumerate(vehicles):
            li = vehicle.licence
            licence = licences[li]
            issue = licence.fields["first_issue_date"]
            if (
                licence.scenario == "full_score"
                and self.red_light is not None
                and li not in full_score_done
            ):
                full_score_done.add(li)
                span = max((today - max(current[li], vehicle.registered)).days, 2)
                for _n in range(2):
                    day = today - timedelta(days=rng.randint(1, span - 1))
                    drawn.append(self._handled(vi, self.red_light, day, current[li]))
                cycle_points[(li, current[li])] = 2 * self.red_light.points
            first = max(earliest, vehicle.registered, issue)
            for _m in range(self.count_for(first)):
                day = first + timedelta(days=int(rng.random() * (today - first).days))
                code = codes[bisect(code_cum, rng.random() * code_total)]
                cycle = _cycle_start(issue, day)
                if code.points:
                    total = cycle_points.get((li, cycle), 0) + code.points
                    if total >= rules.FULL_SCORE:
                        code = rng.choice(self.zero_codes)
                    else:
                        cycle_points[(li, cycle)] = total
                age = (today - day).days
                if age > INTAKE_LIMIT_DAYS:
                    handled = True
                elif age > 30:
                    handled = rng.random() < 0.92
                else:
                    handled = age > 1 and rng.random() < 0.4
                if handled:
                    drawn.append(self._handled(vi, code, day, cycle))
                else:
                    drawn.append((vi, code, moment(rng, day), False, None, None, cycle))
        for vi, _code, _at, handled, _d, _p, cycle in drawn:
            li = vehicles[vi].licence
            if handled and cycle == current[li]:
                licences[li].points_now += _code.points
        return drawn

    def _handled(self, vi: int, code: ViolationCode, day: date, cycle: date) -> tuple[Any, ...]:
        rng, now = self.rng, self.now
        occurred = moment(rng, day)
        room = max((now - occurred).total_seconds() - 3600, 60)
        # Most are handled within weeks of the camera's record, some months later.
        decided = occurred + timedelta(seconds=min(room, 3600 * 6 + rng.random() ** 3 * 86400 * 90))
        since = (now - decided).total_seconds()
        paid_share = 0.97 if since > 15 * 86400 else 0.55
        paid = None
        if code.fine_max_fen and rng.random() < paid_share:
            paid = decided + timedelta(seconds=min(since - 30, rng.random() ** 2 * 86400 * 14))
        return (vi, code, occurred, True, decided, paid, cycle)

    # --- Pass 2: rows ---------------------------------------------------------------------

    def rows(
        self,
        drawn: list[tuple[Any, ...]],
        owners: list[Owner],
        *,
        record_ids: list[str],
        violation_pks: list[int],
        decision_pks: list[int],
        numbers: list[str],
        order_refs: list[str],
        txn_ids: list[str],
        out: dict[str, list[tuple[Any, ...]]],
    ) -> None:
        """Rows for violations, decisions, points entries and payment orders, appended to out
        (decision_pks, numbers: one per handled record; order_refs, txn_ids: one per fine
        paid online, in the order of drawn)."""
        rng, places, n_places = self.rng, PLACES_ON_ROADS, len(PLACES_ON_ROADS)
        violations, decisions = out["violations"], out["decisions"]
        points, orders = out["points"], out["orders"]
        handled_n = paid_n = 0
        online, counter = DecisionChannel.ONLINE, DecisionChannel.COUNTER
        for i, (vi, code, occurred, handled, decided, paid, cycle) in enumerate(drawn):
            owner = owners[vi]
            pk = violation_pks[i]
            fine = code.fine_max_fen
            speed = limit = None
            if code.speed_required:
                limit = rng.choice((40, 60, 80, 100))
                speed = int(limit * (1.12 + rng.random() * 0.4))
            payment = PaymentStatus.PAID if paid else PaymentStatus.UNPAID
            if handled and not fine:
                payment = PaymentStatus.NOT_DUE
            violations.append(
                (
                    pk,
                    record_ids[i],
                    owner.vehicle_pk,
                    owner.plate,
                    owner.plate_type,
                    code.pk,
                    occurred,
                    places[i % n_places],
                    f"CJ-CAM-{100 + pk % 900}",
                    code.points,
                    fine,
                    HandlingStatus.HANDLED if handled else HandlingStatus.UNHANDLED,
                    payment,
                    occurred + timedelta(hours=5),
                    speed,
                    limit,
                    owner.person_pk,
                )
            )
            if not handled:
                continue
            decision_pk, number = decision_pks[handled_n], numbers[handled_n]
            handled_n += 1
            by_owner = (
                owner.user_pk is not None and code.online_handleable and fine <= self.fine_limit
            )
            decisions.append(
                (
                    decision_pk,
                    number,
                    pk,
                    owner.licence_pk,
                    owner.user_pk if by_owner else self.officer_pk,
                    decided,
                    code.points,
                    fine,
                    self.payment_due(decided.date()),
                    online if by_owner else counter,
                    paid,
                    fine if paid else 0,
                )
            )
            if code.points:
                points.append(
                    (
                        owner.licence_pk,
                        cycle,
                        occurred.date(),
                        code.points,
                        "violation",
                        POINTS_SOURCE,
                        str(pk),
                        code.code,
                        decided,
                    )
                )
            if paid and owner.user_pk is not None:
                text, data = self.description(number)
                started = paid - timedelta(seconds=60 + rng.random() * 1140)
                orders.append(
                    (
                        order_refs[paid_n],
                        FINE_PURPOSE,
                        DECISION_SUBJECT,
                        str(decision_pk),
                        text,
                        data,
                        fine,
                        owner.user_pk,
                        OrderStatus.PAID,
                        GATEWAYS[paid_n % 2],
                        txn_ids[paid_n],
                        started,
                        started + timedelta(minutes=PAY_ORDER_MINUTES),
                        paid,
                        fine,
                    )
                )
                paid_n += 1


@lru_cache(maxsize=65536)
def _anniversary(issue: date, years: int) -> date:
    return rules.add_months(issue, 12 * years)


def _cycle_start(issue: date, on: date) -> date:
    """rules.cycle_start with the anniversaries cached: it runs once a record."""
    years = on.year - issue.year
    start = _anniversary(issue, years)
    if start > on:
        start = _anniversary(issue, years - 1)
    return max(start, issue)


def _accumulate(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out
