"""The 404 and 403 pages in a browser: both languages, phone and desktop, axe-clean."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_404_and_403_pages_are_accessible(page_factory, live_server, viewport, locale):
    size = "phone" if viewport is PHONE else "desktop"
    lang = "en" if locale.startswith("en") else "zh"
    page = page_factory(viewport=viewport, locale=locale)

    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("main h1").is_visible()
    assert page.locator("main a[href='/']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(page, f"error-404-{lang}-{size}")

    # An officer on a citizen's page: the session made by the test client, handed to the browser.
    client = Client()
    client.force_login(OfficerFactory())
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    response = page.goto(live_server.url + "/me/")
    assert response.status == 403
    assert page.locator("main h1").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(page, f"error-403-{lang}-{size}")
