"""Temporary plates for a vehicle that has no plates yet (临时行驶车号牌, R164 Arts 46-47): every
rule of them, and the reads the rules need. The one write that issues a plate is
``registry.services.temporary_plates``; it asks these rules again under its lock.

The application's conditions (``catalog.conditions``), the decision (``applications.effects``),
the status page and the demo all ask this module; no view, form or template knows a limit.

- Cases (Art 46): unsold (a dealer's vehicle), acquired and not yet registered, new for export,
  research or type-approval tests, oversize (not registrable).
- Longest validity (Art 47 para 2; Appendix: natural days, holidays included): 30 days for the
  first three cases, 6 months for tests, 90 days for oversize. The first and the last day both
  count, so 30 days from 24 November end on 23 December.
- Never beyond the compulsory insurance (Art 47 para 5).
- Issues (Art 47 para 4): at most three for an unsold or an acquired vehicle, one for export;
  counted per VIN and case [U: the article says "the owner applying several times"; the VIN is
  the vehicle the owner applies for, and a case change (the dealer sells it) is a new owner].
- Void three days after the plates are received (Art 47 para 6).
- Only a vehicle without plates: a VIN that is registered has its plates, and a VIN whose
  temporary plate is still valid on the new start day already has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from . import company_selectors
from .choices import TemporaryPlateCase as Case
from .choices import TemporaryPlateState
from .models import Company, Person, TemporaryPlate, Vehicle
from .rules import add_months

if TYPE_CHECKING:
    pass

ARTICLES = "R164 Arts 46-47"

# The longest validity of each case: ("days", n) or ("months", n) (Art 47 para 2).
LONGEST: dict[str, tuple[str, int]] = {
    Case.UNSOLD: ("days", 30),
    Case.ACQUIRED: ("days", 30),
    Case.EXPORT: ("days", 30),
    Case.TESTING: ("months", 6),
    Case.OVERSIZE: ("days", 90),
}
# How many temporary plates one vehicle may get in a case (Art 47 para 4); no limit otherwise.
ISSUE_LIMIT: dict[str, int] = {Case.UNSOLD: 3, Case.ACQUIRED: 3, Case.EXPORT: 1}
# The documents of each case beyond identity and the insurance policy (Art 47 para 1, items
# 3-6), by material code (catalog.materials).
CASE_MATERIALS: dict[str, tuple[str, ...]] = {
    Case.UNSOLD: ("conformity",),
    Case.ACQUIRED: ("origin", "conformity"),
    Case.EXPORT: ("safety_check", "export_proof"),
    Case.TESTING: ("test_request", "safety_check"),
    Case.OVERSIZE: ("conformity",),
}
# The cases a company applies for (its vehicle is not yet anyone else's): a dealer's unsold
# vehicle, and a manufacturer's export and test vehicles.
COMPANY_CASES = frozenset({Case.UNSOLD, Case.EXPORT, Case.TESTING})


def latest_end(case: str, start: date) -> date:
    """The last day a plate of this case starting on ``start`` may be valid."""
    unit, n = LONGEST[case]
    if unit == "months":
        return add_months(start, n) - timedelta(days=1)
    return start + timedelta(days=n - 1)


def allowed_end(case: str, start: date, insurance_until: date) -> date:
    """The last day allowed: the case's longest validity, cut at the insurance's end."""
    return min(latest_end(case, start), insurance_until)


def period_within_longest(case: str, start: date | None, end: date | None) -> bool:
    if case not in LONGEST or start is None or end is None:
        return False
    return start <= end <= latest_end(case, start)


def period_within_insurance(end: date | None, insurance_until: date | None, today: date) -> bool:
    return (
        end is not None
        and insurance_until is not None
        and insurance_until >= today
        and end <= insurance_until
    )


def start_allowed(start: date | None, today: date) -> bool:
    # A plate is issued for the days to come, not for days already driven.
    return start is not None and start >= today


def issues_so_far(vin: str, case: str) -> int:
    return TemporaryPlate.objects.filter(vin=vin, case=case).count()


def issues_left(vin: str, case: str) -> int | None:
    """How many more may be issued for this VIN in this case; None when there is no limit."""
    limit = ISSUE_LIMIT.get(case)
    return None if limit is None else max(limit - issues_so_far(vin, case), 0)


def may_issue_again(vin: str, case: str) -> bool:
    left = issues_left(vin, case)
    return left is None or left > 0


def has_no_plate(vin: str, start: date | None) -> bool:
    """The vehicle has no plate: not registered, and no temporary plate valid on the start day."""
    if Vehicle.objects.filter(vin=vin).exists():
        return False
    if start is None:
        return True
    return not _valid_on(vin, start).exists()


def _valid_on(vin: str, start: date) -> QuerySet[TemporaryPlate]:
    """The VIN's temporary plates still valid on the start day or after it."""
    return TemporaryPlate.objects.filter(vin=vin, valid_to__gte=start)


def materials_missing(case: str, uploaded: Iterable[str]) -> list[str]:
    """The codes of this case's documents that are not uploaded."""
    have = set(uploaded)
    return [code for code in CASE_MATERIALS.get(case, ()) if code not in have]


def company_needed(case: str) -> bool:
    return case in COMPANY_CASES


def company_acted_for(person: Person | None, uscc: str, today: date) -> Company | None:
    """The company of this credit code if the person acts for it on the day: its legal
    representative, or an agent whose authorisation the office recorded and which runs then
    (the one rule of ``registry.company_selectors``); else None."""
    if person is None or not uscc.strip():
        return None
    company = company_selectors.company_by_uscc(uscc)
    if company is None:
        return None
    acting = company_selectors.company_ids_acted_for(person, on=today).filter(pk=company.pk)
    return company if acting.exists() else None


# The temporary plate is void three days after the owner receives the plates (Art 47 para 6).
VOID_DAYS_AFTER_PLATES = 3
# A plate ending within this many days is shown as a next step on the holder's status.
ENDING_SOON_DAYS = 3


def state(
    *, valid_from: date, valid_to: date, registered_on: date | None, today: date
) -> TemporaryPlateState:
    """Where a temporary plate stands today. The registration day stands for the day the plates
    are received [U: the office hands them over at registration or mails them]."""
    if registered_on is not None and today > registered_on + timedelta(days=VOID_DAYS_AFTER_PLATES):
        return TemporaryPlateState.VOID
    if today < valid_from:
        return TemporaryPlateState.UPCOMING
    if today > valid_to:
        return TemporaryPlateState.EXPIRED
    return TemporaryPlateState.VALID


def refusals(
    *,
    vin: str,
    case: str,
    valid_from: date,
    valid_to: date,
    insurance_valid_until: date,
    today: date,
) -> list[str]:
    """Every rule the plate would break, in words: the decision checks them again under a lock,
    since two applications for one VIN may be decided one after the other."""
    found = []
    current = _valid_on(vin, valid_from).order_by("valid_to", "pk").first()
    if Vehicle.objects.filter(vin=vin).exists():
        found.append(_("the vehicle is registered and has its plates"))
    elif current is not None:
        # Two applications for one VIN decided one after the other: the second is told which
        # plate the first one issued.
        found.append(
            _("temporary plate %(number)s of this vehicle is valid until %(day)s")
            % {"number": current.display, "day": current.valid_to.isoformat()}
        )
    if not start_allowed(valid_from, today):
        found.append(_("the validity starts before today"))
    if not period_within_longest(case, valid_from, valid_to):
        found.append(_("the validity is longer than the case allows"))
    if not period_within_insurance(valid_to, insurance_valid_until, today):
        found.append(_("the validity ends after the compulsory insurance"))
    if not may_issue_again(vin, case):
        found.append(_("the vehicle has had as many temporary plates as the case allows"))
    return found
