"""Settings-level values of plate selection. The office's own limits (numbers per draw,
redraws, attempts, how long a number is kept) live in OfficeConfig; these are the technical
ones an operator sets in Django settings as ``VMO_PLATES = {...}``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Availability checks of composed numbers per user: the pool must not be enumerable.
    "checks_per_hour": 30,
    "checks_per_day": 100,
    # Calendar days before the last day kept that the applicant is reminded.
    "remind_days_before": 3,
    # Composed numbers may not hold a run of this many identical characters (0 = no rule) [U]:
    # some cities ban self-composed numbers with 3 identical digits (a local rule, not R164).
    "compose_max_same_run": 3,
    # Largest pool batch one load may bring.
    "batch_max_lines": 20000,
}


def conf(name: str) -> Any:
    return getattr(settings, "VMO_PLATES", {}).get(name, DEFAULTS[name])
