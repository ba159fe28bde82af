"""The engine's daily scan (registered with vmo.notices.kinds.scan)."""

from __future__ import annotations

from datetime import date

from vmo.notices import kinds

from .services.lapse import applications_lapse_unpaid


@kinds.scan("applications.lapsed")
def scan_unpaid_lapsed(*, day: date, publish: bool = True) -> int:
    """Applications still unpaid a week after they were submitted are closed and their
    applicants told (services.lapse); returns how many."""
    return len(applications_lapse_unpaid(day=day))
