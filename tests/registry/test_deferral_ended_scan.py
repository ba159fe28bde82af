"""The stored status follows a renewal deferral's end (D04, R162 Art 75): the daily beat task
drops the N of every licence whose deferral ended (one rule, `registry.deferrals`), so the
officers' lists and the status lists, which read the stored letters, agree with the status page
from the day after the end date. Tested the day before, the day and the day after."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from tests.factories import LicenceFactory
from vmo.core import clock
from vmo.core.models import Event
from vmo.registry.models import DriverLicence
from vmo.registry.services import licences_deferral_ended_recompute
from vmo.registry.tasks import deferrals_ended

pytestmark = pytest.mark.django_db

EXPIRED = date(2024, 5, 31)
UNTIL = date(2026, 3, 2)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), clock.OFFICE_TZ)
        + timedelta(hours=0, minutes=15),
        tick=False,
    )


def _deferred(**extra):
    fields = {"flags": "N", "valid_to": EXPIRED, "renewal_deferred_until": UNTIL, "status": "N"}
    return LicenceFactory(**{**fields, **extra})


def _events(licence):
    return Event.objects.filter(
        action="licence.status", subject_type="registry.driverlicence", subject_id=str(licence.pk)
    )


@pytest.mark.parametrize("day", [UNTIL - timedelta(days=1), UNTIL])
def test_the_stored_n_stays_up_to_the_end_date_r162_art_75(day):
    """R162 Art 75: the day before the end and the end date itself, the deferral holds."""
    licence = _deferred()
    with at(day):
        assert deferrals_ended() == 0
    licence.refresh_from_db()
    assert licence.status == "N" and not _events(licence).exists()


def test_the_day_after_the_end_date_the_stored_status_reads_m_r162_art_75():
    """R162 Art 75: from the day after the end date N no longer applies; the expired licence
    is stored as renewal overdue (M), with its history event, once."""
    licence = _deferred()
    full = _deferred(status="BN")  # the ledger's B stays
    still_valid = _deferred(valid_to=date(2027, 1, 1))
    undated = _deferred(renewal_deferred_until=None)
    running = _deferred(renewal_deferred_until=UNTIL + timedelta(days=1))
    with at(UNTIL + timedelta(days=1)):
        assert deferrals_ended() == 3
        assert licences_deferral_ended_recompute() == 0  # a second run changes nothing
    stored = dict(DriverLicence.objects.values_list("pk", "status"))
    assert stored[licence.pk] == "M"
    assert stored[full.pk] == "BM"
    assert stored[still_valid.pk] == "A"
    assert stored[undated.pk] == "N" and stored[running.pk] == "N"
    event = _events(licence).get()
    assert event.before == {"status": "N"} and event.after == {"status": "M"}
    assert "R162 Art 75" in event.reason
    # The flags (what was decided) are untouched: only the derived letters changed.
    assert DriverLicence.objects.get(pk=licence.pk).flags == "N"


def test_a_missed_day_is_caught_up_r162_art_75():
    """R162 Art 75: a run days later still finds the licence whose deferral ended."""
    licence = _deferred()
    with at(UNTIL + timedelta(days=5)):
        assert deferrals_ended() == 1
    licence.refresh_from_db()
    assert licence.status == "M"


def test_the_task_is_on_the_beat():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "registry.deferrals_ended" in tasks
    assert settings.CELERY_TASK_ROUTES["registry.deferrals_ended"] == {"queue": "scans"}
