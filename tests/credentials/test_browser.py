"""The e-licence pages on a 360 px phone in both languages: accessible, no horizontal
scroll, and the QR refreshed by its button (with JavaScript) issues a new credential."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import ARTIFACTS, DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 0.5)
  .map(el => el.tagName + ' ' + Math.round(el.getBoundingClientRect().right))"""


def _page(page_factory, live_server, user, locale, viewport=PHONE):
    client = Client()
    client.force_login(user)
    page = page_factory(viewport=viewport, locale=locale)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_e_licences_fit_a_phone_and_refresh(page_factory, live_server, holder, locale):
    user, _licence, car = holder
    lang = locale[:2]
    page = _page(page_factory, live_server, user, locale)
    for path, label in [
        ("/me/licence/", "licence"),
        (f"/me/vehicles/{car.pk}/licence/", "vehicle"),
    ]:
        page.goto(live_server.url + path)
        assert page.locator("svg.credential-qr").count() == 1
        assert page.evaluate(OVERFLOWING) == []
        assert_accessible(page, f"cred-{label}-{lang}-360")
    page.goto(live_server.url + "/me/licence/")
    page.locator(".credential-qr-panel details summary").click()
    before = page.locator("[data-qr-text]").inner_text()
    page.wait_for_timeout(1100)  # iat is in whole seconds: the next code differs
    page.locator(".credential-qr-panel button").click()
    page.wait_for_function(
        "(old) => document.querySelector('[data-qr-text]').textContent !== old", arg=before
    )
    assert page.locator("[data-qr-text]").inner_text() != before
    wide = _page(page_factory, live_server, user, locale, viewport=DESKTOP)
    wide.goto(live_server.url + "/me/licence/")
    wide.screenshot(path=str(ARTIFACTS / f"cred-licence-{lang}-1280.png"), full_page=True)


def test_the_verifier_fits_a_phone(page_factory, live_server, holder):
    from vmo.credentials import selectors, services

    text = services.credential_issue_licence(card=selectors.licence_card(holder[0].person))
    page = page_factory(viewport=PHONE, locale="en-US")
    page.goto(live_server.url + "/verify/")
    page.fill("#id_text", text)
    page.locator("main form button[type=submit]").click()
    assert page.locator('[data-outcome="valid"]').count() == 1
    assert page.evaluate(OVERFLOWING) == []
    assert_accessible(page, "cred-verify-valid-360")
    page.fill("#id_text", text[:-6] + "AAAAAA")
    page.locator("main form button[type=submit]").click()
    assert page.locator('[data-outcome="tampered"]').count() == 1
    assert_accessible(page, "cred-verify-invalid-360")
