"""An application whose fee is not paid lapses (the office's rule, services.lapse.UNPAID_DAYS):
the seventh day after submitting is the last to pay, the next day's scan closes it with the
reason, the applicant is told once, and what it held is free again (for a temporary plate, the
VIN: R164 Art 47 allows one application per VIN at a time). Tested on the seventh, eighth and
ninth day; a fee paid late is refunded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from tests.factories import make_vin
from vmo.applications import services
from vmo.applications.checks import Incomplete
from vmo.applications.services.lapse import UNPAID_DAYS
from vmo.core.models import Event
from vmo.notices.models import Message
from vmo.notices.scans import scans_run
from vmo.payments.models import Refund

from .conftest import start
from .helpers import fill, pay
from .test_temporary_plates import _data

pytestmark = pytest.mark.django_db

SUBMITTED = date(2026, 11, 24)  # the tests' frozen day


def _submitted_unpaid(citizen, vin: str):
    application = start(citizen, "V12")
    fill(citizen, application, _data(vin))
    application = services.application_submit(actor=citizen, application=application)
    assert application.status == "submitted" and application.fee_fen and not application.paid_at
    return application


def _scan(day: date) -> int:
    with time_machine.travel(f"{day} 00:30 +0800", tick=False):
        return scans_run(day=day, codes=["applications.lapsed"])["applications.lapsed"]


def test_an_unpaid_application_lapses_after_the_seventh_day_and_frees_its_vin_r164_art_47(citizen):
    vin = make_vin(8300)
    application = _submitted_unpaid(citizen, vin)
    second = start(citizen, "V12")
    fill(citizen, second, _data(vin, start_day="2026-12-05", end_day="2026-12-20"))
    with pytest.raises(Incomplete):  # the first one holds the VIN
        services.application_submit(actor=citizen, application=second)

    assert _scan(SUBMITTED + timedelta(days=UNPAID_DAYS)) == 0  # the last day to pay
    application.refresh_from_db()
    assert application.status == "submitted"

    assert _scan(SUBMITTED + timedelta(days=UNPAID_DAYS + 1)) == 1
    application.refresh_from_db()
    assert (application.status, application.closed_reason, application.held_vin) == (
        "closed",
        "unpaid",
        vin,
    )
    closing = Event.objects.get(subject_id=str(application.pk), action="application.close")
    assert closing.after == {"status": "closed", "reason": "unpaid"}
    told = Message.objects.filter(user=citizen, kind="applications.lapsed")
    assert {m.channel for m in told} == {"inapp", "sms"}
    assert application.reference in told.get(channel="inapp").body

    assert _scan(SUBMITTED + timedelta(days=UNPAID_DAYS + 2)) == 0  # once
    assert Message.objects.filter(user=citizen, kind="applications.lapsed").count() == 2
    with time_machine.travel(f"{SUBMITTED + timedelta(days=UNPAID_DAYS + 2)} 10:00 +0800"):
        second = services.application_submit(actor=citizen, application=second)
    assert second.status == "submitted"


def test_a_paid_application_does_not_lapse(citizen):
    application = _submitted_unpaid(citizen, make_vin(8301))
    pay(services.fee_order(actor=citizen, application=application))
    assert _scan(SUBMITTED + timedelta(days=UNPAID_DAYS + 30)) == 0
    application.refresh_from_db()
    assert application.status != "closed" and application.paid_at


def test_a_fee_paid_after_the_lapse_is_refunded_at_once(citizen):
    """An order opened just before the lapse and paid after it: the money goes back."""
    application = _submitted_unpaid(citizen, make_vin(8302))
    lapse_day = SUBMITTED + timedelta(days=UNPAID_DAYS + 1)
    with time_machine.travel(f"{lapse_day} 00:10 +0800", tick=False):
        order = services.fee_order(actor=citizen, application=application)
    assert _scan(lapse_day) == 1
    with time_machine.travel(f"{lapse_day} 00:40 +0800", tick=False):
        pay(order)
    application.refresh_from_db()
    assert application.status == "closed" and application.paid_at is not None
    (refund,) = Refund.objects.filter(order__reference=order.reference)
    assert refund.amount_fen == application.fee_fen
