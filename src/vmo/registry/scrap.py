"""Compulsory scrapping of a vehicle left uninspected (机动车强制报废标准规定 Art 4(4)) and the
office's step when the owner does not cancel (R164 Art 41(1)): which vehicles have reached it,
and from which day after the owner's notice the office may announce the certificates void.

The cycle rule itself is ``inspection.compulsory_scrap_from``; this module adds the reads the
daily notice scan and the officers' worklist share, so both find the same vehicles.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from .choices import PlateStatus
from .inspection import compulsory_scrap_from
from .models import Vehicle
from .selectors import VEHICLE_GONE, letters_q

# Three 6-month cycles are 546 days at least: a safe superset for SQL; the rule decides.
MIN_OVERDUE = timedelta(days=540)

# R164 Art 41(1) has the office announce the certificates, plates and vehicle licence void when
# the owner of a vehicle at the compulsory scrapping standard "逾期不办理注销登记" (does not apply
# for cancellation in time) but fixes no period. [U] The office gives the owner 30 days from the
# day the notice was sent, the period R162 Art 65 gives for its comparable exchange notice: the
# owner may still cancel on the 30th day; the office may act from the 31st.
CANCEL_PERIOD_DAYS = 30


def candidates(day: date) -> QuerySet[Vehicle]:
    """Vehicles that may have reached it on ``day`` (plated, not cancelled, transferred out or
    already void, long overdue), with the owner loaded; ``reached`` decides each one."""
    return (
        Vehicle.objects.filter(
            plates__status=PlateStatus.ACTIVE,
            inspection_valid_until__lte=day - MIN_OVERDUE,
        )
        .filter(~letters_q(*VEHICLE_GONE))
        .select_related("owner_person", "owner_company")
    )


def reached(vehicle: Any, day: date) -> bool:
    """The third missed cycle has ended by ``day`` (a vehicle, or a row of the fields the cycle
    rule reads: ``inspection.compulsory_scrap_from``)."""
    return compulsory_scrap_from(vehicle) <= day


def may_void_from(told_on: date) -> date:
    """The first day the office may announce the certificates void, for an owner told on
    ``told_on`` (the day after the period ends)."""
    return told_on + timedelta(days=CANCEL_PERIOD_DAYS + 1)
