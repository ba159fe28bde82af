"""The one clock of the product. Everything asks it for "now", in Asia/Shanghai.

Tests freeze it with time-machine, which moves the system clock that this reads.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

OFFICE_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return timezone.now().astimezone(OFFICE_TZ)


def today() -> date:
    return now().date()


def local(moment: datetime) -> datetime:
    """An aware datetime shown in office time."""
    return moment.astimezone(OFFICE_TZ)
