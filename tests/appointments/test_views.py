"""Citizen pages, officer pages, public results and the API: thin, own-data-only, every
refusal listed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.factories import CitizenFactory, OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.appointments.models import Booking, Session

from .helpers import TODAY, LearnerFactory, exam_session, inspection_session, owner_with_vehicle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_book_from_the_sessions_page_then_cancel(client, owner):
    user, car = owner
    session = inspection_session()
    page = client.get("/appointments/sessions/?kind=inspection")
    assert page.status_code == 200 and f"/appointments/sessions/{session.pk}/book/" in _main(page)
    assert "5 / 5" in _main(page)
    response = client.post(f"/appointments/sessions/{session.pk}/book/", {"vehicle": car.pk})
    assert response.status_code == 302
    # The double submit: still one booking.
    client.post(f"/appointments/sessions/{session.pk}/book/", {"vehicle": car.pk})
    assert Booking.objects.filter(person=user.person, status="booked").count() == 1
    mine = client.get("/appointments/")
    booking = Booking.objects.get()
    assert "Cancel this booking" in _main(mine)
    # A reference to quote (issue 15 finding 15), not the row id.
    assert re.fullmatch(r"YY[A-HJ-NP-Z2-9]{8}", booking.reference)
    assert f'Booking reference</dt><dd class="code">{booking.reference}</dd>' in _main(mine)
    assert "Booking number" not in _main(mine)
    assert client.post(f"/appointments/{booking.pk}/cancel/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert Session.objects.get().booked == 0


def test_someone_elses_vehicle_or_booking(client, owner):
    _other_user, other_car = owner_with_vehicle()
    session = inspection_session()
    response = client.post(f"/appointments/sessions/{session.pk}/book/", {"vehicle": other_car.pk})
    assert response.status_code == 422
    assert "not registered in your name" in _main(response)
    assert not Booking.objects.exists()
    stranger = CitizenFactory()
    theirs = Booking.objects.create(
        session=session, kind="inspection", person=stranger.person, vehicle=other_car
    )
    assert client.post(f"/appointments/{theirs.pk}/cancel/").status_code == 404
    assert client.get(f"/appointments/{theirs.pk}/reschedule/").status_code == 404


def test_an_exam_out_of_order_lists_the_reason(client):
    learner = LearnerFactory()
    client.force_login(learner.person.account)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    session = exam_session("3")
    response = client.post(f"/appointments/sessions/{session.pk}/book/")
    assert response.status_code == 422
    assert "only after passing subject 1" in _main(response)
    assert not Booking.objects.exists()


def test_reschedule_page(client, owner):
    user, car = owner
    first, second = inspection_session(), inspection_session(day=TODAY + timedelta(days=9))
    client.post(f"/appointments/sessions/{first.pk}/book/", {"vehicle": car.pk})
    booking = Booking.objects.get()
    page = client.get(f"/appointments/{booking.pk}/reschedule/")
    assert page.status_code == 200 and f'value="{second.pk}"' in _main(page)
    client.post(f"/appointments/{booking.pk}/reschedule/", {"session": second.pk})
    assert Booking.objects.get(status="booked").session == second


def test_public_exam_results_are_masked(client):
    learner = LearnerFactory(person__name="张伟强") if False else LearnerFactory()
    session = exam_session("1", day=TODAY)
    Booking.objects.create(
        session=session,
        kind="exam",
        subject="1",
        person=learner.person,
        learner=learner,
        status="passed",
        score=95,
    )
    response = client.get(
        f"/appointments/results/exams/?day={TODAY:%Y-%m-%d}", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = _main(response)
    assert response.status_code == 200
    assert learner.person.name not in body and learner.person.id_number not in body
    assert learner.person.name[0] + "*" in body


def test_officer_publishes_a_session_and_records_a_result(client):
    sign_in_verified(client, OfficerFactory(role="supervisor"))
    from .helpers import SiteFactory

    site = SiteFactory()
    response = client.post(
        "/office/appointments/sessions/new/",
        {
            "site": site.pk,
            "subject": "",
            "day": f"{TODAY:%Y-%m-%d}",
            "start_time": "15:00",
            "end_time": "17:00",
            "capacity": "3",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    user, car = owner_with_vehicle()
    booking = Booking.objects.create(
        session=session, kind="inspection", person=user.person, vehicle=car
    )
    Session.objects.filter(pk=session.pk).update(booked=1)
    page = client.get(f"/office/appointments/sessions/{session.pk}/")
    assert user.person.name not in _main(page)  # masked
    response = client.post(
        f"/office/appointments/bookings/{booking.pk}/result/", {f"b{booking.pk}-result": "passed"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "passed"


def test_a_clerk_cannot_publish_sessions(client):
    sign_in_verified(client, OfficerFactory(role="clerk"))
    assert client.get("/office/appointments/").status_code == 200
    assert client.get("/office/appointments/sessions/new/").status_code == 403


def test_api_book_list_cancel(client, owner):
    user, car = owner
    session = inspection_session()
    listed = client.get("/api/v1/appointments/sessions?kind=inspection").json()
    assert listed["items"][0]["remaining"] == 5
    response = client.post(
        "/api/v1/appointments/bookings",
        {"session_id": session.pk, "vehicle_id": car.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    booking_id = response.json()["id"]
    assert client.get("/api/v1/appointments/bookings").json()["items"][0]["id"] == booking_id
    full = inspection_session(day=TODAY + timedelta(days=9), capacity=1)
    Session.objects.filter(pk=full.pk).update(booked=1)
    other_user, other_car = owner_with_vehicle()
    refused = client.post(
        "/api/v1/appointments/bookings",
        {"session_id": full.pk, "vehicle_id": other_car.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert {e["code"] for e in refused.json()["errors"]} == {"full", "not_owner"}
    response = client.post(f"/api/v1/appointments/bookings/{booking_id}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
