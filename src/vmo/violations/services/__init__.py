"""Every write of online handling: penalty decisions, nominated drivers, bound vehicles, fines
and the points cycle, one module per section. Each service is one transaction and writes
history; the rules are in rules.py, the reads in selectors.py, and every problem is reported at
once before anything is written. Callers import them from here."""

from ..choices import DECISION_SUBJECT, FINE_PURPOSE, OTHER_POINTS_SOURCE, POINTS_SOURCE
from ..proxy_selectors import proxy_problems
from .bindings import (
    CODE_HOURLY_LIMIT,
    CODE_MAX_ATTEMPTS,
    CODE_MIN_INTERVAL,
    CODE_TTL,
    binding_code_send,
    binding_codes_purge,
    binding_create,
    binding_end,
    bindings_end_on_transfer,
)
from .common import decision_payment_due
from .counter import counter_problem_summary, violation_counter_decide
from .cycle import points_cycle_rollover, points_rollover_for_day
from .fines import fine_paid, fine_pay_start, fine_payment_refresh
from .handling import nomination_confirm, nomination_create, nomination_decline, violation_handle
from .proxy import (
    nomination_answer_by,
    nominations_expire,
    proxy_count_driver,
    proxy_count_vehicle,
    proxy_suspect_clear,
)

__all__ = [
    "CODE_HOURLY_LIMIT",
    "CODE_MAX_ATTEMPTS",
    "CODE_MIN_INTERVAL",
    "CODE_TTL",
    "DECISION_SUBJECT",
    "FINE_PURPOSE",
    "OTHER_POINTS_SOURCE",
    "POINTS_SOURCE",
    "binding_code_send",
    "binding_codes_purge",
    "binding_create",
    "binding_end",
    "bindings_end_on_transfer",
    "counter_problem_summary",
    "decision_payment_due",
    "fine_paid",
    "fine_pay_start",
    "fine_payment_refresh",
    "nomination_answer_by",
    "nomination_confirm",
    "nomination_create",
    "nomination_decline",
    "nominations_expire",
    "points_cycle_rollover",
    "points_rollover_for_day",
    "proxy_count_driver",
    "proxy_count_vehicle",
    "proxy_problems",
    "proxy_suspect_clear",
    "violation_counter_decide",
    "violation_handle",
]
