"""A renewal deferral (D04, R162 Art 75) holds the reminders until its end date, that day
included; from the next day the renewal is due again and the holder is told, and the
cancellation of Art 79 comes a year after the deferral ended. Days from the one clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from tests.factories import CitizenFactory, LicenceFactory
from vmo.core import clock
from vmo.notices.models import Message
from vmo.notices.scans import scans_run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EXPIRED = date(2024, 5, 31)
DEFERRED_UNTIL = date(2026, 3, 2)
ENDED = "licence.renewal_deferral_ended"
CANCEL = "licence.cancel_overdue_renewal"
REMINDERS = ["licence.validity_ending", "licence.validity_ended", ENDED, CANCEL]


def at(day: date) -> time_machine.travel:
    return time_machine.travel(datetime.combine(day, datetime.min.time(), clock.OFFICE_TZ))


def _run(day: date) -> dict[str, int]:
    with at(day), translation.override("en"):
        assert clock.today() == day
        return scans_run(day=clock.today(), codes=REMINDERS)


@pytest.fixture
def deferred():
    user = CitizenFactory()
    licence = LicenceFactory(
        holder=user.person,
        valid_from=date(2018, 5, 31),
        valid_to=EXPIRED,
        flags="N",
        renewal_deferred_until=DEFERRED_UNTIL,
    )
    return user, licence


def test_no_reminder_while_the_deferral_runs_to_its_last_day_art_75(deferred):
    for day in (EXPIRED + timedelta(days=1), DEFERRED_UNTIL - timedelta(days=1), DEFERRED_UNTIL):
        assert set(_run(day).values()) == {0}, day
    assert not Message.objects.exists()


def test_the_day_after_the_deferral_ends_the_holder_is_told_once_art_75(deferred):
    user, licence = deferred
    assert _run(DEFERRED_UNTIL + timedelta(days=1))[ENDED] == 2  # in-app and SMS
    message = Message.objects.get(user=user, kind=ENDED, channel="inapp")
    assert DEFERRED_UNTIL.isoformat() in message.body and licence.file_number[-4:] in message.body
    assert _run(DEFERRED_UNTIL + timedelta(days=2))[ENDED] == 0


def test_cancellation_is_told_a_year_after_the_deferral_ended_not_after_the_expiry_art_79(
    deferred,
):
    user, _licence = deferred
    first_day = DEFERRED_UNTIL + timedelta(days=335)  # 30 days before the year is up
    assert _run(first_day - timedelta(days=1))[CANCEL] == 0
    assert _run(first_day)[CANCEL] == 2
    cancel_on = (DEFERRED_UNTIL + timedelta(days=365)).isoformat()
    assert cancel_on in Message.objects.get(user=user, kind=CANCEL, channel="inapp").subject
    assert _run(first_day + timedelta(days=1))[CANCEL] == 0


def test_a_deferral_without_an_end_date_still_holds_the_reminders():
    """Records from before the end date was kept: nothing to count from, nothing told."""
    LicenceFactory(valid_from=date(2018, 5, 31), valid_to=EXPIRED, flags="N")
    assert set(_run(DEFERRED_UNTIL + timedelta(days=400)).values()) == {0}
