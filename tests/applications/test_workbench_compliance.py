"""The supervisor's time-limit compliance, on a small dataset whose numbers are known."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.applications import workbench
from vmo.applications.models import Application
from vmo.core.clock import OFFICE_TZ

from .conftest import start
from .workbench_helpers import renewal_holder

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=OFFICE_TZ)


def _application(
    *,
    status,
    accepted,
    due,
    finished=None,
    refused=False,
    decided_by=None,
    claimed_by=None,
    code="D02",
):
    application = start(renewal_holder(), code)
    # Test data: states set directly, the way years of history would have left them.
    Application.objects.filter(pk=application.pk).update(
        status=status,
        submitted_at=_at(accepted),
        accepted_at=_at(accepted),
        due_on=due,
        decided_at=_at(finished, 9) if finished else None,
        completed_at=_at(finished, 23) if finished and not refused else None,
        decided_by=decided_by,
        claimed_by=claimed_by,
    )
    return application


@pytest.fixture
def dataset():
    first = OfficerFactory(role="reviewer", first_name="Li", last_name="")
    second = OfficerFactory(role="reviewer", first_name="Zhao", last_name="")
    # Mon 2 Nov accepted, due Tue 3, completed Tue 3 late evening: on time, 1 working day.
    _application(
        status="completed",
        accepted=date(2026, 11, 2),
        due=date(2026, 11, 3),
        finished=date(2026, 11, 3),
        decided_by=first,
    )
    # Thu 5 accepted, due Fri 6, completed Tue 10: late, 3 working days.
    _application(
        status="completed",
        accepted=date(2026, 11, 5),
        due=date(2026, 11, 6),
        finished=date(2026, 11, 10),
        decided_by=first,
    )
    # Refused the day it was accepted: on time, 0 working days.
    _application(
        status="refused",
        accepted=date(2026, 11, 12),
        due=date(2026, 11, 13),
        finished=date(2026, 11, 12),
        refused=True,
        decided_by=second,
    )
    # Open, checked, due Fri 20: overdue today (Tue 24), claimed by the second reviewer.
    _application(
        status="review", accepted=date(2026, 11, 19), due=date(2026, 11, 20), claimed_by=second
    )
    # Finished in October: outside the range.
    _application(
        status="completed",
        accepted=date(2026, 10, 12),
        due=date(2026, 10, 13),
        finished=date(2026, 10, 20),
        decided_by=first,
    )
    # Waiting for the applicant's corrections: not the office's delay.
    _application(status="correction", accepted=date(2026, 11, 2), due=date(2026, 11, 3))
    return first, second


def test_numbers_by_business_and_officer(dataset):
    first, second = dataset
    result = workbench.compliance(date(2026, 11, 1), date(2026, 11, 24))
    (d02,) = result.by_business
    assert (d02.key, d02.on_time, d02.late, d02.median_days, d02.open_overdue) == (
        "D02",
        2,
        1,
        1,
        1,
    )
    officers = {row.key: row for row in result.by_officer}
    assert (officers[first.pk].on_time, officers[first.pk].late) == (1, 1)
    assert officers[first.pk].median_days == 2
    assert officers[first.pk].open_overdue == 0
    assert (officers[second.pk].on_time, officers[second.pk].late) == (1, 0)
    assert officers[second.pk].open_overdue == 1
    assert result.total.finished == 3 and result.total.on_time_percent == 67


def test_a_holiday_is_not_a_working_day(dataset):
    from vmo.core.services import calendar_day_set

    calendar_day_set(actor=None, day=date(2026, 11, 9), is_working_day=False, name="test")
    result = workbench.compliance(date(2026, 11, 1), date(2026, 11, 24))
    officers = {row.key: row for row in result.by_officer}
    # Thu 5 -> Tue 10 is now Fri 6 and Tue 10: 2 working days; median of [1, 2] is 1.5.
    assert officers[dataset[0].pk].median_days == 1.5


def test_page_for_supervisors_only(dataset, django_assert_max_num_queries):
    url = reverse("applications_office:compliance")
    supervisor = sign_in_verified(Client(), OfficerFactory(role="supervisor"))
    with django_assert_max_num_queries(16):
        response = supervisor.get(url, {"date_from": "2026-11-01", "date_to": "2026-11-24"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Li" in body and "Zhao" in body and "67%" in body
    for role in ("clerk", "reviewer"):
        other = sign_in_verified(Client(), OfficerFactory(role=role))
        assert other.get(url).status_code == 403


def test_page_queries_do_not_grow_with_the_data(django_assert_max_num_queries):
    supervisor = sign_in_verified(Client(), OfficerFactory(role="supervisor"))
    url = reverse("applications_office:compliance")
    reviewer = OfficerFactory(role="reviewer")
    _application(
        status="completed",
        accepted=date(2026, 11, 2),
        due=date(2026, 11, 3),
        finished=date(2026, 11, 3),
        decided_by=reviewer,
    )
    with django_assert_max_num_queries(16) as one:
        supervisor.get(url)
    for day in range(3, 13):
        _application(
            status="completed",
            accepted=date(2026, 11, day),
            due=date(2026, 11, 20),
            finished=date(2026, 11, 16),
            decided_by=OfficerFactory(role="reviewer"),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        supervisor.get(url)


def test_a_reversed_range_is_refused():
    supervisor = sign_in_verified(Client(), OfficerFactory(role="supervisor"))
    response = supervisor.get(
        reverse("applications_office:compliance"),
        {"date_from": "2026-11-20", "date_to": "2026-11-01"},
    )
    assert "The end of the range is before its start." in response.content.decode()
