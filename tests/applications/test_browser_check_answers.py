"""Issue 15 finding 3 in a browser at 360 px, Chinese and English: the check-your-answers page
lists what is missing with a link to it, every answer with a Change link, fits the phone (no
horizontal scrolling) and passes axe; once complete it sends the application."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from tests.browser import PHONE, assert_accessible
from tests.pdfs import MINIMAL_PDF
from vmo.applications import services
from vmo.applications.models import Application
from vmo.core import clock

from .conftest import photo
from .test_browser_applications import _renewer, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTES = Path(os.environ.get("VMO_NOTES_SHOTS", "")) if os.environ.get("VMO_NOTES_SHOTS") else None


@pytest.fixture(autouse=True)
def _frozen_day():
    """The real clock here: the browser keeps the session cookie by its own clock."""
    yield


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"], ids=["zh", "en"])
def test_check_your_answers_on_a_phone(page_factory, live_server, locale):
    user = _renewer()
    lang = locale[:2]
    app = services.application_start(actor=user, business_code="D02", idempotency_key="b" * 32)
    services.material_upload(actor=user, application=app, material_code="photo", upload=photo())
    page = page_factory(viewport=PHONE, locale=locale)
    _sign_in(page, live_server, user)

    page.goto(f"{live_server.url}/applications/{app.reference}/check/")
    assert page.locator(".error-summary li").count() == 1  # the certificate is missing
    assert page.locator(".summary-row").count() == 3
    assert page.locator(".summary-row a").count() == 3  # a Change link on each row
    assert page.locator("form[action$='/submit/']").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page, f"applications-check-incomplete-phone-{lang}")
    if NOTES:
        page.screenshot(path=str(NOTES / f"journeys-check-incomplete-{lang}.png"), full_page=True)

    page.locator(".error-summary li a").click()
    page.wait_for_url(f"**/applications/{app.reference}/#material-medical")
    page.set_input_files(
        "#id_m-medical-file",
        {"name": "cert.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF},
    )
    page.fill("#id_m-medical-issued_on", f"{clock.today() - timedelta(days=10):%Y-%m-%d}")
    page.locator("form[action$='/materials/medical/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{app.reference}/")

    page.locator("main a[href$='/check/']").click()
    page.wait_for_url(f"**/applications/{app.reference}/check/")
    assert page.locator(".error-summary").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page, f"applications-check-complete-phone-{lang}")
    if NOTES:
        page.screenshot(path=str(NOTES / f"journeys-check-complete-{lang}.png"), full_page=True)
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{app.reference}/")
    assert Application.objects.get(pk=app.pk).status == "submitted"
    assert page.locator(".message-success").count() == 1
