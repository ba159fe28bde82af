"""Pure rules of online handling, fines and the points cycle (no database, no clock).

Sources (each rule with its article in docs/legal-rules.md):
- RP   道路交通安全违法行为处理程序规定 Arts 20, 52-60 (camera records, simple procedure, late fee cap)
- R163 道路交通安全违法行为记分管理办法 Arts 3, 13-17 (cycle, points with the decision, carry-over)
- RTSL 道路交通安全法 Arts 108-109 (15 days to pay, 3 % a day after)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vmo.core.money import format_fen, percent_of
from vmo.registry.rules import FULL_SCORE

PAYMENT_DAYS = 15  # RTSL Art 108
LATE_FEE_PERMILLE = 30  # 3 % of the fine a day, RTSL Art 109 / RP Art 60

# Licence letters that allow handling online. H (violations not handled) is the very thing being
# handled; N, P, T are deferrals granted by the office (R162 Art 75). Every other letter means the
# licence is not in a state the self-service platform may score (full score, suspended, revoked,
# cancelled, withheld, overdue ...): the record goes to a counter.
LICENCE_LETTERS_OK = frozenset({"A", "H", "N", "P", "T"})

# Which licence classes a class also permits (R162 Annex, 准驾车型代号): A1 drives A3 B1 B2 C1-C4 M...
CLASS_ALSO_PERMITS: dict[str, frozenset[str]] = {
    "A1": frozenset({"A3", "B1", "B2", "C1", "C2", "C3", "C4", "M"}),
    "A2": frozenset({"B1", "B2", "C1", "C2", "C3", "C4", "C6", "M"}),
    "A3": frozenset({"C1", "C2", "C3", "C4"}),
    "B1": frozenset({"C1", "C2", "C3", "C4", "M"}),
    "B2": frozenset({"C1", "C2", "C3", "C4", "M"}),
    "C1": frozenset({"C2", "C3", "C4"}),
    "C3": frozenset({"C4"}),
    "D": frozenset({"E", "F"}),
    "E": frozenset({"F"}),
}

# The classes any one of which may drive a vehicle type (GA 802 type codes). Rough on purpose:
# the record does not say whether a small car is automatic, so C2 and C5 (automatic only) are
# accepted for small and mini passenger cars; a manual car driven on C2 is for a counter to find.
# Types missing here (wheeled tractors are licensed by the agriculture authority) cannot be
# checked online and go to a counter.
VEHICLE_TYPE_CLASSES: dict[str, frozenset[str]] = {
    "K11": frozenset({"A1"}),
    "K21": frozenset({"B1"}),
    "K31": frozenset({"C1", "C2", "C5"}),
    "K33": frozenset({"C1", "C2", "C5"}),
    "K39": frozenset({"C1", "C2", "C5"}),
    "K41": frozenset({"C1", "C2", "C5"}),
    "H11": frozenset({"B2"}),
    "H21": frozenset({"B2"}),
    "H31": frozenset({"C1"}),
    "M21": frozenset({"E"}),
}

COUNTER = _(
    "Take the record to the service hall of the vehicle management office or to a traffic police"
    " enforcement station."
)


@dataclass(frozen=True)
class Problem:
    """One reason a record cannot be handled online: why, and where to go instead."""

    code: str
    message: str | Promise
    where: str | Promise = COUNTER

    def __str__(self) -> str:
        return f"{self.message} {self.where}"


def permitted_classes(classes: Iterable[str]) -> frozenset[str]:
    held = set(classes)
    for code in list(held):
        held |= CLASS_ALSO_PERMITS.get(code, frozenset())
    return frozenset(held)


def online_handling_problems(
    *,
    source: str,
    code_online: bool,
    fine_fen: int,
    points: int,
    driver_points_now: int,
    licence_status: str | None,
    licence_valid_to: date | None,
    licence_classes: Iterable[str],
    vehicle_type: str,
    today: date,
    fine_limit_fen: int,
) -> list[Problem]:
    """Every reason the record cannot be handled online; empty when it can.

    `licence_status` None means the handler has no licence on record; `licence_valid_to` None is
    a long-term licence. `driver_points_now` are the points already in the cycle the new ones
    would go into.
    """
    problems: list[Problem] = []
    if source != "camera":
        # Only records of the electronic-monitoring equipment are handled on the platform (RP Art 58).
        problems.append(
            Problem(
                "not_camera",
                _("Only records made by traffic cameras can be handled online."),
                _("An on-site record is handled by the traffic police unit that made it."),
            )
        )
    if not code_online:
        problems.append(
            Problem("code_counter", _("This kind of violation must be handled in person."))
        )
    if fine_fen > fine_limit_fen:
        # Above the limit the general procedure applies (RP Art 52): an officer decides.
        problems.append(
            Problem(
                "fine_limit",
                _(
                    "The fine is above %(limit)s, the largest handled online; an officer decides"
                    " it under the general procedure."
                )
                % {"limit": format_fen(fine_limit_fen)},
            )
        )
    if licence_status is None:
        problems.append(
            Problem(
                "no_licence",
                _("There is no driver's licence on record for you, so no points can be recorded."),
            )
        )
        return problems
    if driver_points_now + points >= FULL_SCORE:
        # R163 Art 14: records may be handled only while the total stays below 12.
        problems.append(
            Problem(
                "points",
                _(
                    "You have %(now)d points in this cycle; with these %(points)d you would reach"
                    " %(total)d, and 12 points cannot be reached online."
                )
                % {"now": driver_points_now, "points": points, "total": driver_points_now + points},
            )
        )
    if licence_valid_to is not None and licence_valid_to < today:
        problems.append(
            Problem(
                "licence_expired",
                _("Your driver's licence expired on %(date)s.") % {"date": licence_valid_to},
                _("Renew the licence first; then the record can be handled."),
            )
        )
    blocking = [letter for letter in licence_status if letter not in LICENCE_LETTERS_OK]
    if blocking:
        problems.append(
            Problem(
                "licence_status",
                _(
                    "Your driver's licence has the status %(letters)s, which does not allow"
                    " handling online."
                )
                % {"letters": "".join(blocking)},
            )
        )
    required = VEHICLE_TYPE_CLASSES.get(vehicle_type)
    if required is None:
        problems.append(
            Problem(
                "class_unknown",
                _("The licence class for this type of vehicle cannot be checked online."),
            )
        )
    elif not required & permitted_classes(licence_classes):
        problems.append(
            Problem(
                "licence_class",
                _("Your licence classes do not include this type of vehicle (%(needed)s).")
                % {"needed": "/".join(sorted(required))},
            )
        )
    return problems


def payment_due(decided_on: date) -> date:
    """The last day to pay: 15 natural days after the decision is served (RTSL Art 108).

    Natural days, not working days: RP Art 81's working-day rule covers the periods of that
    regulation, and the 15 days come from the law (行政处罚法 Art 67 says the same and its Art 85
    lists only 2/3/5/7 days as working days). The day of service is not counted (民法典 Art 201).
    Online decisions are served electronically the day they are made (RP Art 56).
    The service moves a deadline that falls on a holiday to the next working day (民法典 Art 203,
    the principle of R163 Art 36): that only ever favours the payer, and keeps this rule pure.
    """
    return decided_on + timedelta(days=PAYMENT_DAYS)


def late_fee(fine_fen: int, due: date, on: date) -> int:
    """加处罚款: 3 % of the fine for each day after `due`, never more than the fine (RP Art 60)."""
    days = max(0, (on - due).days)
    return min(days * percent_of(fine_fen, permille=LATE_FEE_PERMILLE), fine_fen)


@dataclass(frozen=True)
class AmountDue:
    """What is owed on a day, with the working shown."""

    fine_fen: int
    due: date
    on: date
    days_late: int
    per_day_fen: int
    late_fee_fen: int
    capped: bool

    @property
    def total_fen(self) -> int:
        return self.fine_fen + self.late_fee_fen

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


def amount_due(*, fine_fen: int, due: date, on: date) -> AmountDue:
    days = max(0, (on - due).days)
    per_day = percent_of(fine_fen, permille=LATE_FEE_PERMILLE)
    fee = late_fee(fine_fen, due, on)
    return AmountDue(
        fine_fen=fine_fen,
        due=due,
        on=on,
        days_late=days,
        per_day_fen=per_day,
        late_fee_fen=fee,
        capped=days * per_day > fine_fen,
    )


def fee_growth_stops(*, fine_fen: int, due: date) -> date:
    """The first day on which the late fee has reached its cap (it grows no more after)."""
    per_day = percent_of(fine_fen, permille=LATE_FEE_PERMILLE)
    if per_day == 0:
        return due
    days = -(-fine_fen // per_day)  # ceil
    return due + timedelta(days=days)


# --- The points cycle ------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleItem:
    """The net points of one violation in an ending cycle, and the state of its fine then."""

    violation_id: int
    points: int
    paid_by_end: bool
    due: date | None  # the payment deadline; None when no decision says one


def points_to_carry(
    *, items: Iterable[CycleItem], other_points: int, last_day: date
) -> tuple[dict[int, int], int]:
    """What passes into the next cycle: (points per violation id, other points).

    R163 Art 15: below 12 the cycle's points clear, but when a fine is overdue and unpaid at the
    end, the points of the cycle's violations whose fine is still unpaid pass into the next cycle.
    Read literally, the overdue fine is the trigger and every unpaid one carries; reductions by
    education (`other_points`) are not violations and clear.
    At 12 or more nothing clears: the points stand until the full-score study and exam are passed
    and the fines paid (R163 Arts 17, 23), so the whole total passes on, each violation with its
    own source so a later cycle can still tell which fines are unpaid.
    """
    items = [item for item in items if item.points > 0]
    total = sum(item.points for item in items) + other_points
    if total >= FULL_SCORE:
        return {item.violation_id: item.points for item in items}, other_points
    overdue = any(
        not item.paid_by_end and item.due is not None and item.due < last_day for item in items
    )
    if not overdue:
        return {}, 0
    return {item.violation_id: item.points for item in items if not item.paid_by_end}, 0
