"""Booking a session in a real browser at a phone's and a desktop's width, with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from vmo.appointments.models import Booking
from vmo.core import clock

from .helpers import inspection_session, owner_with_vehicle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (DESKTOP, "en")], ids=["phone-zh", "desktop-en"]
)
def test_book_a_session(page_factory, live_server, viewport, locale):
    # The live server reads the real clock: sessions are placed relative to it.
    today = clock.today()
    user, car = owner_with_vehicle(inspection_valid_until=today + timedelta(days=40))
    session = inspection_session(day=today + timedelta(days=7))
    client = Client()
    client.force_login(user)
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    page = page_factory(viewport=viewport, locale=locale)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    if locale == "en":
        page.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": live_server.url}]
        )
    page.goto(f"{live_server.url}/appointments/sessions/")
    assert_accessible(page, f"appointments-sessions-{label}")
    page.locator(f"a[href='/appointments/sessions/{session.pk}/book/']").click()
    page.wait_for_url(f"**/appointments/sessions/{session.pk}/book/")
    assert_accessible(page, f"appointments-book-{label}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appointments/")
    assert Booking.objects.filter(session=session, status="booked").count() == 1
    assert_accessible(page, f"appointments-mine-{label}")
