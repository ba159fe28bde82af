"""The mDL page in a real browser at 360 px and 1280 px, both languages, with axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import CitizenFactory, LicenceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("VMO_MDL_SHOTS")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_mdoc_page_is_accessible(page_factory, live_server, viewport, locale):
    licence = LicenceFactory()
    client = Client()
    client.force_login(CitizenFactory(person=licence.holder))
    page = page_factory(viewport=viewport, locale=locale)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/me/licence/mdoc/")
    label = f"mdl-{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator("a[href='/me/licence/mdoc/download']").count() == 1
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{label}.png", full_page=True)
    assert_accessible(page, label)
