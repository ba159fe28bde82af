"""The compulsory-scrapping pages (R164 Art 41(1)) in a real browser: axe-core, a phone's width
without horizontal scroll and without JavaScript, both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import CitizenFactory, OfficerFactory, VehicleFactory
from tests.office.conftest import sign_in_verified
from vmo.core import clock
from vmo.notices.models import Message
from vmo.notices.notice_scans import scan_compulsory_scrap_reached
from vmo.registry.rules import add_months

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _due_truck():
    """Three yearly cycles missed, reached two months ago, owner told 40 days ago."""
    today = clock.today()
    truck = VehicleFactory(
        owner_person=CitizenFactory().person,
        vehicle_type="H21",
        use_nature="F",
        registration_date=today - timedelta(days=6 * 365),
        inspection_valid_until=add_months(today, -38),
    )
    assert scan_compulsory_scrap_reached(day=today) == 2
    Message.objects.filter(kind="vehicle.compulsory_scrap_reached").update(
        created_at=clock.now() - timedelta(days=40)
    )
    return truck


def _officer_page(page_factory, live_server, **kwargs):
    client = Client()
    sign_in_verified(client, OfficerFactory(role="supervisor"))
    page = page_factory(**kwargs)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("viewport", "locale"),
    [(PHONE, "zh-CN"), (PHONE, "en"), (DESKTOP, "zh-CN"), (DESKTOP, "en")],
    ids=["phone-zh", "phone-en", "desktop-zh", "desktop-en"],
)
def test_worklist_confirmation_and_done_pages(page_factory, live_server, viewport, locale):
    truck = _due_truck()
    phone = viewport is PHONE
    page = _officer_page(page_factory, live_server, viewport=viewport, locale=locale)
    label = f"{'phone' if phone else 'desktop'}-{locale}"
    page.goto(f"{live_server.url}/office/vehicles/scrap/")
    assert_accessible(page, f"office-scrap-list-{label}")
    _no_sideways_scroll(page)
    page.locator(f"main a[href$='/office/vehicles/scrap/{truck.pk}/']").click()
    page.wait_for_url(f"**/office/vehicles/scrap/{truck.pk}/")
    assert truck.vin in page.locator("main").inner_text()
    assert_accessible(page, f"office-scrap-confirm-{label}")
    _no_sideways_scroll(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/office/vehicles/scrap/{truck.pk}/done/**")
    assert_accessible(page, f"office-scrap-done-{label}")
    _no_sideways_scroll(page)
    truck.refresh_from_db()
    assert "P" in truck.status


def test_the_confirmation_works_without_javascript(page_factory, live_server):
    truck = _due_truck()
    page = _officer_page(page_factory, live_server, viewport=PHONE, javascript=False)
    page.goto(f"{live_server.url}/office/vehicles/scrap/{truck.pk}/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/office/vehicles/scrap/{truck.pk}/done/**")
    truck.refresh_from_db()
    assert "P" in truck.status
