"""A citizen renews a driving licence in a real browser: start D02 (seeing the conditions met),
a refused photo, a photo and a dated certificate, pickup, submit, and the application received.
Phone and desktop, Chinese and English, axe-core on every page; screenshots in test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from PIL import Image

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import CitizenFactory, LicenceFactory
from tests.pdfs import MINIMAL_PDF
from vmo.applications.models import Application, ApplicationFile
from vmo.core import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Correct-Horse-42"  # CitizenFactory's


@pytest.fixture(autouse=True)
def _frozen_day():
    """The real clock here: the browser keeps the session cookie by its own clock."""
    yield


def _jpeg(width: int, height: int) -> dict:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="JPEG")
    return {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


PDF = {
    "name": "cert.pdf",
    "mimeType": "application/pdf",
    "buffer": MINIMAL_PDF,
}


def _renewer():
    user = CitizenFactory()
    today = clock.today()
    LicenceFactory(
        holder=user.person,
        valid_from=today - timedelta(days=6 * 365 - 30),
        valid_to=today + timedelta(days=30),
        first_issue_date=today - timedelta(days=12 * 365),
    )
    return user


def _sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_identifier", user.person.phone)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")


@pytest.mark.parametrize(
    ("viewport", "locale"),
    [(PHONE, "zh-CN"), (DESKTOP, "en-US"), (PHONE, "en-US"), (DESKTOP, "zh-CN")],
    ids=["phone-zh", "desktop-en", "phone-en", "desktop-zh"],
)
def test_renewal_from_start_to_received(page_factory, live_server, viewport, locale):
    user = _renewer()
    lang = "en" if locale.startswith("en") else "zh"
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{lang}"
    page = page_factory(viewport=viewport, locale=locale)
    _sign_in(page, live_server, user)
    expected_lang = "en" if lang == "en" else "zh-Hans"

    page.goto(live_server.url + "/applications/new/D02/")
    assert page.locator("html").get_attribute("lang") == expected_lang
    assert page.locator(".condition-met").count() == 4
    assert_accessible(page, f"applications-start-{label}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/applications/SQ*/")
    application = Application.objects.get(applicant=user)
    assert_accessible(page, f"applications-draft-{label}")

    # A photo too small is refused, with the reason beside the field, and nothing is stored.
    page.set_input_files("#id_m-photo-file", _jpeg(100, 120))
    page.locator("form[action$='/materials/photo/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#material-photo .error").count() == 1
    assert not ApplicationFile.objects.exists()
    assert_accessible(page, f"applications-upload-refused-{label}")

    page.set_input_files("#id_m-photo-file", _jpeg(358, 441))
    page.locator("form[action$='/materials/photo/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.reference}/")
    page.set_input_files("#id_m-medical-file", PDF)
    page.fill("#id_m-medical-issued_on", f"{clock.today() - timedelta(days=10):%Y-%m-%d}")
    page.locator("form[action$='/materials/medical/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.reference}/")
    assert ApplicationFile.objects.filter(application=application).count() == 2

    page.check("#id_delivery_method_0")  # collect at the service hall
    page.locator("form[action$='/form/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.reference}/")
    assert_accessible(page, f"applications-ready-{label}")

    page.locator("main a[href$='/check/']").click()
    page.wait_for_url(f"**/applications/{application.reference}/check/")
    assert page.locator(".error-summary").count() == 0
    assert_accessible(page, f"applications-check-{label}")
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.reference}/")
    application.refresh_from_db()
    assert application.status == "submitted" and application.due_on is not None
    assert page.locator(".message-success").count() == 1
    main = page.locator("main").inner_text()
    assert f"{application.due_on:%Y-%m-%d}" in main
    if lang == "en":
        assert "Your application is received." in main and "Pay ¥10.00" in main
    assert_accessible(page, f"applications-received-{label}")

    page.goto(live_server.url + "/applications/")
    assert application.reference in page.locator("main").inner_text()
    assert_accessible(page, f"applications-list-{label}")


def test_the_journey_works_without_javascript(page_factory, live_server):
    user = _renewer()
    page = page_factory(viewport=PHONE, javascript=False)
    _sign_in(page, live_server, user)
    page.goto(live_server.url + "/applications/new/D02/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/applications/SQ*/")
    page.locator("main a[href$='/check/']").click()
    page.wait_for_load_state()
    # Check your answers: both materials missing, listed together, nothing to submit yet.
    assert page.locator(".error-summary li").count() == 2
    assert page.locator("form[action$='/submit/']").count() == 0
    page.locator(".error-summary li a").first.click()
    page.wait_for_url("**/applications/SQ*/#material-photo")
    assert Application.objects.get().status == "draft"


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (DESKTOP, "en-US")], ids=["phone-zh", "desktop-en"]
)
def test_vehicle_start_and_the_check_page_are_accessible(
    page_factory, live_server, viewport, locale
):
    from tests.factories import VehicleFactory

    user = CitizenFactory()
    VehicleFactory(owner_person=user.person)
    VehicleFactory(owner_person=user.person, brand="比亚迪", model_name="秦PLUS")
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale[:2]}"
    page = page_factory(viewport=viewport, locale=locale)
    _sign_in(page, live_server, user)
    page.goto(live_server.url + "/applications/new/V03/")
    assert page.locator(".vehicle-option").count() == 2
    page.locator("main form button[type=submit]").click()  # no vehicle chosen
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page, f"applications-start-vehicle-error-{label}")
    page.check("#id_vehicle_1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/applications/SQ*/")
    page.locator("form[action$='/form/'] button[type=submit]").click()  # nothing answered
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 1
    assert_accessible(page, f"applications-answers-error-{label}")
    page.locator("main a[href$='/check/']").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 1  # what happened: unanswered
    assert_accessible(page, f"applications-check-errors-{label}")
