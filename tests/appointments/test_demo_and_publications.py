"""Demo sessions are idempotent; the publications' rows are masked."""

from __future__ import annotations

import pytest

from vmo.appointments import selectors, services
from vmo.appointments.demo import demo_sessions_create
from vmo.appointments.models import Session

from .helpers import TODAY, inspection_session, owner_with_vehicle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_demo_sessions_are_made_once():
    made = demo_sessions_create(days=3)
    assert len(made) == 3 * 2 + 3 * 5
    assert demo_sessions_create(days=3) == []
    assert Session.objects.filter(kind="exam").earliest("day").day >= TODAY.replace(day=20)


def test_appointment_results_are_masked(django_assert_max_num_queries):
    user, car = owner_with_vehicle()
    session = inspection_session()
    services.booking_create(actor=user, person=user.person, session=session, vehicle=car)
    with django_assert_max_num_queries(2):
        rows = selectors.appointment_results(session.day)
    assert len(rows) == 1
    row = rows[0]
    assert row["name_masked"] != user.person.name and row["name_masked"][0] == user.person.name[0]
    assert "*" in row["id_masked"] and row["id_masked"] != user.person.id_number
    assert set(row) == {
        "name_masked",
        "id_masked",
        "kind",
        "subject",
        "site",
        "day",
        "time",
        "status",
    }
