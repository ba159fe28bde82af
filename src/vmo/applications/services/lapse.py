"""An application whose fee is not paid lapses (the office's rule, in `UNPAID_DAYS`).

Submitting asks for the fee; the office checks nothing until it is paid. An application left
unpaid would otherwise wait for ever and keep what it holds: the one open application per
business and record, and for a temporary plate the vehicle's VIN, which no other applicant could
then use. The `UNPAID_DAYS`th day after it was (re)submitted is the last to pay; the next day's
scan closes it with the reason, in its history, and the applicant is told; nothing was decided, and they
may apply again. A fee paid after that (an order opened just before) is refunded at once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction

from vmo.core import clock

from .. import notify
from ..choices import CHECKABLE, ClosedReason
from ..models import Application
from ._engine import close_for

UNPAID_DAYS = 7


def lapse_cutoff(*, day: date) -> datetime:
    """Submitted before this moment (`UNPAID_DAYS` days before ``day``, at midnight) and still
    unpaid on ``day``: lapsed."""
    return datetime.combine(day - timedelta(days=UNPAID_DAYS), time.min, tzinfo=clock.OFFICE_TZ)


def applications_lapse_unpaid(*, day: date) -> list[Application]:
    """Close every application waiting for its fee since before `lapse_cutoff(day)`; one
    transaction each, the row locked and judged again, so a payment that lands meanwhile wins
    and a second run closes nothing."""
    waiting = Application.objects.filter(
        status__in=CHECKABLE,
        fee_fen__gt=0,
        paid_at__isnull=True,
        submitted_at__lt=lapse_cutoff(day=day),
    )
    closed = []
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            application = waiting.select_for_update().filter(pk=pk).first()
            if application is None:
                continue
            close_for(application=application, reason=ClosedReason.UNPAID)
            notify.lapsed(application, days=UNPAID_DAYS)
            closed.append(application)
    return closed
