"""The daily deadline scan: who is told, about what, and only once a day."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import OfficerFactory
from vmo.applications.models import Application
from vmo.applications.tasks import deadline_scan, deadline_scan_task
from vmo.notices.models import Message

from .workbench_helpers import submitted_renewal

pytestmark = pytest.mark.django_db
KIND = "applications.deadline_near"


def _due(application, day, **fields):
    Application.objects.filter(pk=application.pk).update(due_on=day, **fields)


def test_claiming_officer_or_every_supervisor_is_told_once_a_day(clerk):
    supervisors = [OfficerFactory(role="supervisor") for _ in range(2)]
    claimed_near = submitted_renewal()  # due Wed 25 Nov: one working day from today
    _due(claimed_near, date(2026, 11, 25), claimed_by=clerk)
    unclaimed_overdue = submitted_renewal()
    _due(unclaimed_overdue, date(2026, 11, 20))
    later = submitted_renewal()
    _due(later, date(2026, 11, 27))
    approved = submitted_renewal()
    _due(approved, date(2026, 11, 20), status="approved")
    assert deadline_scan() == 3
    to_clerk = Message.objects.filter(kind=KIND, user=clerk)
    assert [m.link for m in to_clerk] == [f"/office/applications/{claimed_near.reference}/"]
    for supervisor in supervisors:
        (message,) = Message.objects.filter(kind=KIND, user=supervisor)
        assert unclaimed_overdue.reference in message.subject
    # Run again the same day: nothing new.
    assert deadline_scan_task.delay().get() == 3
    assert Message.objects.filter(kind=KIND).count() == 3
    # The next day, still undecided: told again.
    with time_machine.travel("2026-11-25 08:00 +0800", tick=False):
        call_command("applications_deadline_scan")
    assert Message.objects.filter(kind=KIND).count() == 6


def test_a_friday_deadline_is_near_on_the_thursday_only():
    supervisor = OfficerFactory(role="supervisor")
    application = submitted_renewal()
    _due(application, date(2026, 11, 30))  # Monday
    # Friday 27: Monday is the next working day, so it is near.
    with time_machine.travel("2026-11-27 08:00 +0800", tick=False):
        assert deadline_scan() == 1
    with time_machine.travel("2026-11-26 08:00 +0800", tick=False):
        assert deadline_scan() == 0
    assert Message.objects.filter(kind=KIND, user=supervisor).count() == 1


def test_the_scan_is_set_based(django_assert_max_num_queries):
    OfficerFactory(role="supervisor")
    for _ in range(3):
        _due(submitted_renewal(), date(2026, 11, 20))
    with django_assert_max_num_queries(5):
        from vmo.applications.workbench import deadline_alerts

        assert len(list(deadline_alerts())) == 3
