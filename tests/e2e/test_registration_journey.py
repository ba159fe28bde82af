"""Issue 4's journey in a real browser: a citizen draws numbers for a new car, reserves one,
applies for first registration with it, pays, and after the office decides sees the new plate on
the status page. Officers act through the services (their pages have their own browser tests)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from PIL import Image

from tests.browser import PHONE, assert_accessible
from tests.factories import CitizenFactory, OfficerFactory
from tests.pdfs import MINIMAL_PDF
from tests.plates.helpers import load_pool, new_vin
from vmo.applications import services
from vmo.applications.models import Application
from vmo.core import clock
from vmo.plates.models import Reservation
from vmo.registry.models import Vehicle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = {
    "name": "doc.pdf",
    "mimeType": "application/pdf",
    "buffer": MINIMAL_PDF,
}


def _jpeg() -> dict:
    buffer = BytesIO()
    Image.new("RGB", (800, 600), "white").save(buffer, format="JPEG")
    return {"name": "certificate.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _officer(role):
    officer = OfficerFactory(role=role)
    officer.is_verified = lambda: True
    return officer


def _signed_in_page(page_factory, live_server, citizen):
    client = Client()
    client.force_login(citizen)
    page = page_factory(viewport=PHONE, locale="zh-CN")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def _upload(page, code: str, payload: dict, reference: str) -> None:
    page.set_input_files(f"#id_m-{code}-file", payload)
    page.locator(f"form[action$='/materials/{code}/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{reference}/")


def test_draw_reserve_register_and_see_the_new_plate(page_factory, live_server):
    load_pool(120)
    citizen = CitizenFactory()
    vin = new_vin(77)
    page = _signed_in_page(page_factory, live_server, citizen)

    # The draw: 50 numbers as plates; choose one and reserve it.
    page.goto(f"{live_server.url}/plates/start/")
    page.fill("#id_vin", vin)
    page.fill("#id_model_name", "大众 朗逸")
    page.select_option("#id_plate_type", "02")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/plates/draws/*/")
    assert page.locator(".plate-grid li").count() == 50
    page.locator(".plate-grid label").nth(7).click()
    page.locator("main form button.primary").click()
    page.wait_for_url("**/plates/reservations/*/")
    reservation = Reservation.objects.get(vin=vin)
    assert reservation.status == "active"

    # First registration, started from the reservation: the VIN and model come with it.
    page.locator(f"a[href$='?reservation={reservation.pk}']").click()
    page.wait_for_url("**/applications/new/V02/**")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/applications/SQ*/")
    application = Application.objects.get(applicant=citizen, business_code="V02")
    assert page.input_value("#id_vin") == vin
    assert page.input_value("#id_model_name") == "大众 朗逸"
    answers = {
        "#id_brand": "大众",
        "#id_model_name": "朗逸",
        "#id_engine_number": "EA211X7788",
        "#id_manufacture_date": f"{clock.today() - timedelta(days=40):%Y-%m-%d}",
        "#id_seats": "5",
        "#id_insurance_valid_until": f"{clock.today() + timedelta(days=364):%Y-%m-%d}",
    }
    for selector, value in answers.items():
        page.fill(selector, value)
    page.select_option("#id_vehicle_type", "K33")
    page.select_option("#id_use_nature", "A")
    page.select_option("#id_colour", "A")
    page.check("#id_delivery_method_0")
    page.locator("form[action$='/form/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.reference}/")
    _upload(page, "conformity", _jpeg(), application.reference)
    _upload(page, "invoice", PDF, application.reference)
    _upload(page, "insurance", PDF, application.reference)
    assert_accessible(page, "registration-v02-ready-phone-zh")
    page.locator("main a[href$='/check/']").click()
    page.wait_for_url(f"**/applications/{application.reference}/check/")
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.reference}/")
    application.refresh_from_db()
    assert application.status == "submitted", list(
        application.corrections.values_list("message", flat=True)
    )

    # The fee, paid on the payment page, as the citizen would.
    page.locator("main form[action$='/pay/'] button[type=submit]").click()
    page.wait_for_url("**/payments/sandbox/pay/**")
    page.locator("button[name=action][value=pay]").click()
    page.wait_for_url(f"**/applications/{application.reference}/**")
    application.refresh_from_db()
    assert application.paid_at is not None

    # The office decides.
    clerk, reviewer = _officer("clerk"), _officer("reviewer")
    services.application_pass_check(actor=clerk, application=application)
    services.application_approve(actor=reviewer, application=application)
    services.application_complete(actor=reviewer, application=application)

    vehicle = Vehicle.objects.get(vin=vin)
    plate = vehicle.plates.get(status="active").number
    assert plate == reservation.number
    page.goto(f"{live_server.url}/me/")
    status_text = page.locator("main").inner_text()
    assert plate[2:] in status_text.replace("·", "")
    assert_accessible(page, "registration-status-new-plate-phone-zh")
