"""Issue 15 finding 5: the open sessions list on a phone. A full page of sessions was a table
stacked into one card per session, about 5,400 px tall at 360 px; it is now grouped by day, a
session a short row with its Book link, and the filters fold away (a <details>, no JavaScript
needed). Checked at 360 px in both languages, with and without JavaScript, and with axe-core."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.test import Client

from tests.browser import ARTIFACTS, DESKTOP, PHONE, assert_accessible
from vmo.appointments.models import Booking
from vmo.core import clock

from .helpers import SessionFactory, SiteFactory, owner_with_vehicle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A full page (20 sessions over four days) and the top of the next.
SESSIONS = 25
# The header, the filters' summary, four day headings and twenty rows: 2,058 px in Chinese and
# 2,579 in English when written (a long site name wraps its line), 4,874 as a stacked table.
MAX_PHONE_HEIGHT = 2800


def _signed_in(page_factory, live_server, viewport, locale, javascript=True):
    today = clock.today()
    user, _car = owner_with_vehicle(inspection_valid_until=today + timedelta(days=40))
    client = Client()
    client.force_login(user)
    page = page_factory(viewport=viewport, locale=locale, javascript=javascript)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value}]
    if locale == "en":
        cookies.append({"name": "django_language", "value": "en"})
    page.context.add_cookies([{**c, "url": live_server.url} for c in cookies])
    return page


def _sessions():
    site = SiteFactory(name="昌吉州机动车检测站")
    day = clock.today() + timedelta(days=7)
    return [
        SessionFactory(site=site, day=day + timedelta(days=n // 5), start_time=time(9 + n % 5))
        for n in range(SESSIONS)
    ]


@pytest.mark.parametrize(
    ("viewport", "locale"),
    [(PHONE, "zh-CN"), (PHONE, "en"), (DESKTOP, "en")],
    ids=["phone-zh", "phone-en", "desktop-en"],
)
def test_a_page_of_sessions_is_short_on_a_phone(page_factory, live_server, viewport, locale):
    _sessions()
    page = _signed_in(page_factory, live_server, viewport, locale)
    page.goto(f"{live_server.url}/appointments/sessions/")
    label = f"appointments-sessions-list-{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    assert_accessible(page, label)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert width <= viewport["width"], width
    if viewport is PHONE:
        assert height <= MAX_PHONE_HEIGHT, height  # 4,874 px as a stacked table
    # Twenty a page, each with its own Book link whose name says which session it is.
    books = page.locator("main a[href$='/book/']")
    assert books.count() == 20
    first = books.first.inner_text()
    assert "09:00" in first and ("Book" if locale == "en" else "预约") in first
    # The filters fold away; a refused filter opens them, so the error summary reaches it.
    assert not page.locator("main details.filters").evaluate("d => d.open")
    page.goto(f"{live_server.url}/appointments/sessions/?day=tomorrow")
    assert page.locator("main details.filters").evaluate("d => d.open")
    assert_accessible(page, f"{label}-refused")


def test_filter_page_and_book_without_javascript(page_factory, live_server):
    sessions = _sessions()
    page = _signed_in(page_factory, live_server, PHONE, "en", javascript=False)
    page.goto(f"{live_server.url}/appointments/sessions/")
    # The summary opens the filters without JavaScript.
    page.locator("main details summary").first.click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "subject=" in url)
    page.locator("main a[rel=next]").click()
    page.wait_for_url(lambda url: url.endswith("page=2"))
    assert page.locator("main a[href$='/book/']").count() == SESSIONS - 20
    page.screenshot(path=str(ARTIFACTS / "appointments-sessions-list-phone-en-page2.png"))
    last = sessions[-1]
    page.locator(f"a[href='/appointments/sessions/{last.pk}/book/']").click()
    page.wait_for_url(f"**/appointments/sessions/{last.pk}/book/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appointments/")
    assert Booking.objects.filter(session=last, status="booked").count() == 1
