"""A draw and a reservation in a real browser, on a phone and a desktop, with axe-core; and the
choice of a plate without JavaScript (the plates are styled radio buttons)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import CitizenFactory
from vmo.plates import services
from vmo.plates.models import Reservation

from .helpers import load_pool, new_vin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _citizen_page(page_factory, live_server, citizen, **kwargs):
    client = Client()
    client.force_login(citizen)
    page = page_factory(**kwargs)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (DESKTOP, "en")], ids=["phone-zh", "desktop-en"]
)
def test_draw_and_reserve_are_accessible(page_factory, live_server, viewport, locale):
    load_pool(120)
    load_pool(60, plate_type="52")
    citizen = CitizenFactory()
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    page = _citizen_page(page_factory, live_server, citizen, viewport=viewport, locale=locale)
    page.goto(f"{live_server.url}/plates/")
    assert_accessible(page, f"plates-index-{label}")
    page.goto(f"{live_server.url}/plates/start/")
    page.fill("#id_vin", new_vin(1))
    page.fill("#id_model_name", "比亚迪 秦PLUS")
    page.select_option("#id_plate_type", "52" if viewport is PHONE else "02")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/plates/draws/*/")
    assert page.locator(".plate-grid li").count() == 50
    assert_accessible(page, f"plates-draw-{label}")
    page.locator(".plate-grid label").nth(4).click()
    assert_accessible(page, f"plates-draw-chosen-{label}")
    page.locator("main form button.primary").click()
    page.wait_for_url("**/plates/reservations/*/")
    reservation = Reservation.objects.get()
    assert reservation.vin == new_vin(1) and reservation.status == "active"
    assert reservation.number[2:] in page.locator("main").inner_text()
    assert_accessible(page, f"plates-reservation-{label}")

    page.goto(f"{live_server.url}/plates/compose/")
    page.fill("#id_vin", new_vin(2))
    page.fill("#id_model_name", "哈弗 H6")
    page.select_option("#id_plate_type", "02")
    page.fill("#id_number", "新BQ0013")
    page.locator("button[value=check]").click()
    page.wait_for_load_state()
    assert page.locator(".plates-availability").count() == 1
    assert_accessible(page, f"plates-compose-{label}")

    draw = reservation.draw
    page.goto(f"{live_server.url}/plates/verify/?draw={draw.public_id}")
    assert_accessible(page, f"plates-verify-{label}")
    page.goto(f"{live_server.url}/plates/results/")
    assert_accessible(page, f"plates-results-{label}")


def test_choose_a_plate_without_javascript(page_factory, live_server):
    load_pool(80)
    citizen = CitizenFactory()
    draw = services.draw_create(actor=citizen, vin=new_vin(3), model_name="x", plate_type="02")
    services.seed_commit(day=draw.day.day + timedelta(days=1))
    page = _citizen_page(page_factory, live_server, citizen, viewport=PHONE, javascript=False)
    page.goto(f"{live_server.url}/plates/draws/{draw.public_id}/")
    page.locator("main form button.primary").click()  # nothing chosen
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    page.locator(".plate-grid label").nth(10).click()
    page.locator("main form button.primary").click()
    page.wait_for_url("**/plates/reservations/*/")
    assert Reservation.objects.get().number == draw.candidates[10]
