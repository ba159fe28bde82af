"""The guide in a real browser: axe-core at a phone's and a desktop's width, in Chinese and in
English; the search works without JavaScript."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from tests.browser import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def shipped_regulations():
    """The summaries the migration ships. The serialized rollback is meant to restore them
    after each transactional test, but after a Playwright test it finds the rows gone when
    other database tests ran first in the process; shipping again is idempotent."""
    ship = import_module("vmo.catalog.migrations.0002_ship_regulation_summaries").ship
    ship(apps, None)


@pytest.mark.parametrize(
    ("viewport", "locale"),
    [(PHONE, "zh-CN"), (PHONE, "en"), (DESKTOP, "zh-CN"), (DESKTOP, "en")],
    ids=["phone-zh", "phone-en", "desktop-zh", "desktop-en"],
)
def test_guide_pages_are_accessible(page_factory, live_server, viewport, locale):
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{'en' if locale == 'en' else 'zh'}"
    page = page_factory(viewport=viewport, locale=locale)
    page.goto(f"{live_server.url}/guide/")
    assert_accessible(page, f"guide-index-{label}")

    page.fill("#id_q", "换证" if locale != "en" else "renewal")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main a[href='/guide/D02/']").count() == 1
    assert page.locator("main a[href='/guide/V14/']").count() == 0
    assert_accessible(page, f"guide-search-{label}")

    page.locator("main a[href='/guide/D02/']").click()
    page.wait_for_url("**/guide/D02/")
    main = page.locator("main").inner_text()
    assert "期满换证" in main
    assert page.locator("main a[href='/guide/D02/form.pdf']").count() >= 1
    assert_accessible(page, f"guide-d02-{label}")

    page.goto(f"{live_server.url}/guide/regulations/")
    assert "机动车登记规定" in page.locator("main").inner_text()
    assert_accessible(page, f"guide-regulations-{label}")

    page.goto(f"{live_server.url}/guide/V13/")
    assert_accessible(page, f"guide-v13-{label}")

    page.goto(f"{live_server.url}/guide/downloads/")
    assert_accessible(page, f"guide-downloads-{label}")


def test_search_works_without_javascript(page_factory, live_server):
    page = page_factory(viewport=PHONE, javascript=False)
    page.goto(f"{live_server.url}/guide/")
    page.fill("#id_q", "抵押")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    codes = page.locator("main .card-list .code").all_inner_texts()
    assert codes == ["V15", "V16"]
    response = page.request.get(f"{live_server.url}/guide/D02/form.pdf")
    assert response.ok and response.body().startswith(b"%PDF")


def test_editor_pages_are_accessible(page_factory, live_server):
    from django.test import Client

    from tests.factories import OfficerFactory
    from tests.office.conftest import sign_in_verified

    client = Client()
    sign_in_verified(client, OfficerFactory(role="editor"))
    page = page_factory(viewport=PHONE, locale="zh-CN")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/office/catalog/")
    assert_accessible(page, "guide-manage-index-phone-zh")
    page.goto(f"{live_server.url}/office/catalog/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 4  # every problem at once
    assert_accessible(page, "guide-manage-form-errors-phone-zh")
    page.locator("main a").first.click()
    page.wait_for_load_state()
    page.locator("main table a").first.click()
    page.wait_for_url("**/office/catalog/*/")
    assert_accessible(page, "guide-manage-detail-phone-zh")
