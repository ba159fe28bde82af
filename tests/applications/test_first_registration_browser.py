"""The first-registration start page with the reservation the applicant holds, in a browser:
axe-core and no sideways scroll at a phone's width and on a desktop, both languages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import CitizenFactory, OfficerFactory, make_vin
from vmo.accounts.choices import OfficerRole
from vmo.plates.pool import pool_batch_load
from vmo.plates.services import reservation_create

from .conftest import verified

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (DESKTOP, "en")], ids=["phone-zh", "desktop-en"]
)
def test_the_start_page_shows_the_reserved_number(page_factory, live_server, viewport, locale):
    citizen = CitizenFactory()
    admin = verified(OfficerFactory(role=OfficerRole.ADMINISTRATOR))
    pool_batch_load(actor=admin, plate_type="02", text="新BD2361\n")
    vin = make_vin(90021)
    reservation_create(
        actor=citizen, number="新BD2361", vin=vin, model_name="帝豪", plate_type="02"
    )
    client = Client()
    client.force_login(citizen)
    page = page_factory(viewport=viewport, locale=locale)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/applications/new/V02/")
    assert vin in page.locator("main").inner_text()
    assert_accessible(
        page, f"v02-start-reservation-{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
