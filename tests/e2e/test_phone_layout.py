"""Finding 5 of issue 15: on a 360 px phone the first screen shows the page (the navigation
folds into a menu that works without JavaScript) and tables become stacked rows that fit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from tests.appointments.helpers import inspection_session, owner_with_vehicle
from tests.browser import ARTIFACTS, PHONE, assert_accessible
from tests.factories import OfficerFactory
from vmo.core import clock
from vmo.core.services import data_access_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Everything inside <main> stays within the viewport (not merely inside a scrolling box).
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 0.5)
  .map(el => el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(el.getBoundingClientRect().right))"""


def _signed_in_page(page_factory, live_server, user, locale, javascript=True):
    client = Client()
    client.force_login(user)
    page = page_factory(viewport=PHONE, locale=locale, javascript=javascript)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_sessions_and_data_access_fit_a_phone(page_factory, live_server, locale):
    today = clock.today()
    user, _car = owner_with_vehicle(inspection_valid_until=today + timedelta(days=40))
    site = inspection_session(day=today + timedelta(days=7)).site
    site.name = "昌吉市机动车安全技术检验站（北京南路）"
    site.save()
    for days in (8, 9):
        inspection_session(day=today + timedelta(days=days))
    officer = OfficerFactory(first_name="Eleanor", last_name="Featherstonehaugh-Wolstenholme")
    data_access_record(
        officer=officer,
        person_id=user.person_id,
        screen="person_detail",
        purpose="counter enquiry about a renewal of a licence, window 3",
    )
    lang = locale[:2]
    page = _signed_in_page(page_factory, live_server, user, locale)
    for path, label in [("/appointments/sessions/", "sessions"), ("/me/data-access/", "data")]:
        page.goto(live_server.url + path)
        assert page.evaluate(OVERFLOWING) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
        assert_accessible(page, f"phone-{label}-{lang}")
    # Each session's Book button is on screen with its row, not cut off to the right.
    book = page.goto(live_server.url + "/appointments/sessions/") and page.locator(
        "main a[href$='/book/']"
    )
    assert book.count() == 3 and book.first.is_visible()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_header_is_one_row_and_its_menu_opens_without_javascript(
    page_factory, live_server, locale
):
    user, _car = owner_with_vehicle()
    page = _signed_in_page(page_factory, live_server, user, locale, javascript=False)
    page.goto(live_server.url + "/me/")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 100, header  # was ~185 px: three rows of links
    assert page.locator("main h1").bounding_box()["y"] < 140
    menu = page.locator("header details.nav-menu")
    assert not page.locator("header a[href='/appointments/']").first.is_visible()
    menu.locator("summary").click()
    for href in ("/me/", "/applications/", "/violations/", "/plates/", "/appointments/"):
        assert menu.locator(f"a[href='{href}']").is_visible(), href
    # (axe needs JavaScript: the crawl test runs it on this page with the menu closed.)
    page.screenshot(path=str(ARTIFACTS / f"phone-menu-open-{locale[:2]}.png"))
