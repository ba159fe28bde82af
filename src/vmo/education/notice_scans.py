"""Daily scans of education's warnings (registered with vmo.notices.kinds.scan)."""

from __future__ import annotations

from datetime import date

from vmo.notices import kinds

from . import age_duties, notice_kinds


@kinds.scan(notice_kinds.AGE_CLASS_EXCHANGE)
def scan_class_exchange(*, day: date, publish: bool = True) -> int:
    return age_duties.scan_class_exchange(day=day, publish=publish)


@kinds.scan("licence.senior_proof_set")
def scan_senior_proof_set(*, day: date, publish: bool = True) -> int:
    """Not a notice of its own: it sets the due date the physical-proof reminders read."""
    return age_duties.senior_proof_set(day=day)
