"""The office's log of refused check-API calls (/office/organisations/refused-calls/) in
Chromium: calls really refused by the live API (no key, a made-up key, a revoked key) are
listed newest first with their reason in the reader's language and only the key's first signs;
the page fits 360 px and passes axe-core at 360 px and on a desktop, in Chinese and English; its
page links work without JavaScript."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.checks.test_organisations import uscc
from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.checks import org_services
from vmo.checks.models import RefusalReason, RefusedKeyCall

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PATH = "/office/organisations/refused-calls/"
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 0.5)
  .map(el => el.tagName + ' ' + Math.round(el.getBoundingClientRect().right))"""
MADE_UP = "vmoc_Zq3made-up-key-that-no-one-was-given-0000"
FILLER = 50  # one page of older refusals, so the newest three go to the top of page 1 of 2


def _call(live_server, key: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["X-API-Key"] = key
    body = {"code": "ABCDEFGH2345", "licence_tail": "123456", "purpose": "车险报价"}
    request = urllib.request.Request(
        live_server.url + "/api/v1/checks",
        data=json.dumps(body).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the live test server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def refused(live_server):
    """Fifty older refusals from other addresses, then three calls the live API refuses."""
    officer = OfficerFactory(role="supervisor")
    for n in range(FILLER):
        org_services.refused_call_record(
            raw="", reason=RefusalReason.UNKNOWN_KEY, client_address=f"198.51.100.{n + 1}"
        )
    organisation = org_services.organisation_register(
        actor=officer, name="平安保险昌吉中心支公司", kind="insurer", uscc=uscc(), contact=""
    )
    key, raw = org_services.key_issue(
        actor=officer, organisation_id=organisation.pk, label="报价系统", scopes=["licence"]
    )
    org_services.key_revoke(actor=officer, organisation_id=organisation.pk, key_id=key.pk)
    assert [_call(live_server, k) for k in (None, MADE_UP, raw)] == [401, 401, 401]
    newest = list(RefusedKeyCall.objects.order_by("-called_at", "-id")[:3])
    assert [r.reason for r in newest] == ["key_revoked", "unknown_key", "unknown_key"]
    return officer, raw


def _page(page_factory, live_server, officer, *, viewport, locale, javascript=True):
    client = Client()
    sign_in_verified(client, officer)
    page = page_factory(viewport=viewport, locale=locale, javascript=javascript)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(live_server.url + PATH)
    return page


def _labels(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "revoked": str(RefusalReason.KEY_REVOKED.label),
            "unknown": str(RefusalReason.UNKNOWN_KEY.label),
            "heading": translation.gettext("Refused calls of the check API"),
        }


@pytest.mark.parametrize(("locale", "language"), [("zh-CN", "zh-hans"), ("en-US", "en")])
def test_the_refused_calls_at_360_and_on_a_desktop(
    page_factory, live_server, refused, locale, language
):
    officer, raw = refused
    words = _labels(language)
    for viewport, size in [(PHONE, "360"), (DESKTOP, "desktop")]:
        page = _page(page_factory, live_server, officer, viewport=viewport, locale=locale)
        main = page.locator("main")
        assert main.locator("h1").inner_text() == words["heading"]
        assert page.locator("html").get_attribute("lang").lower() == language
        rows = main.locator("tbody tr")
        assert rows.count() == 50
        first, second, third = (rows.nth(i).inner_text() for i in range(3))
        assert words["revoked"] in first and raw[:11] in first  # "vmoc_" and six more signs
        assert words["unknown"] in second and MADE_UP[:11] in second
        assert words["unknown"] in third and "—" in third  # no key sent at all
        content = page.content()
        assert raw not in content and MADE_UP not in content  # never more than the first signs
        assert "53" in main.locator("h2").first.inner_text()
        if viewport is PHONE:
            assert page.evaluate(OVERFLOWING) == [], f"{locale} 360"
        assert_accessible(page, f"checks-refused-calls-{language}-{size}")


def test_the_second_page_without_javascript(page_factory, live_server, refused):
    officer, _raw = refused
    page = _page(
        page_factory, live_server, officer, viewport=PHONE, locale="en-US", javascript=False
    )
    page.locator("main nav.pagination a[rel=next]").click()
    page.wait_for_url("**/refused-calls/?page=2")
    rows = page.locator("main tbody tr")
    assert rows.count() == 3  # the oldest of the fifty-three
    assert all("198.51.100." in rows.nth(i).inner_text() for i in range(3))
    assert page.locator("main nav.pagination a[rel=prev]").count() == 1
    # Scripts are off in this page, so axe and the width check, which run as scripts, are the
    # other test's (the same template, with JavaScript).
