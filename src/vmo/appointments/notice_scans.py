"""Daily scans of appointments (registered with vmo.notices.kinds.scan)."""

from __future__ import annotations

from datetime import date

from vmo.notices import kinds

from .permits import learner_permits_lapse


@kinds.scan("appointments.permit_lapsed")
def scan_permit_lapsed(*, day: date, publish: bool = True) -> int:
    """Learner permits ended before `day` (R162 Art 41): the record closes, passes lapse."""
    return learner_permits_lapse(day=day)
