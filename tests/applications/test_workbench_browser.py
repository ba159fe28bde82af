"""The workbench in a real browser: the three journeys of an application through the office
(approved; corrected once, then approved; refused with its letter), and every page at a phone's
and a desktop's width, in Chinese and English, through axe-core."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.test import Client

from tests.browser import ARTIFACTS, DESKTOP, PHONE, assert_accessible
from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.applications import services
from vmo.applications.models import Application
from vmo.applications.office_forms import CorrectionForm

from .conftest import pdf, photo
from .workbench_helpers import checked_renewal, submitted_renewal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _frozen_day():
    # The day of the other tests, but the clock runs: the browser and the server need it to.
    with time_machine.travel("2026-11-24 10:00 +0800", tick=True):
        yield


def _officer_page(page_factory, live_server, officer, **kwargs):
    client = sign_in_verified(Client(), officer)
    page = page_factory(**kwargs)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def _open(page, live_server, application):
    page.goto(f"{live_server.url}/office/applications/{application.reference}/")


def _press(page, action):
    page.locator(f'main form[action*="/{action}/"] button[type=submit]').click()
    page.wait_for_load_state()


def _status(application) -> str:
    return Application.objects.get(pk=application.pk).status


def test_renewal_checked_approved_and_completed(page_factory, live_server):
    application = submitted_renewal()
    clerk = _officer_page(page_factory, live_server, OfficerFactory(role="clerk"))
    clerk.goto(f"{live_server.url}/office/applications/")
    clerk.locator(f"main table a:has-text('{application.reference}')").click()
    clerk.wait_for_url(f"**/{application.reference}/")
    _press(clerk, "check")
    assert _status(application) == "review"
    assert "messages" in clerk.content()

    reviewer = _officer_page(page_factory, live_server, OfficerFactory(role="reviewer"))
    reviewer.goto(f"{live_server.url}/office/applications/")
    reviewer.wait_for_url("**/queue/review/")
    reviewer.locator(f"main table a:has-text('{application.reference}')").click()
    _press(reviewer, "approve")  # the confirmation page
    _press(reviewer, "approve")
    _press(reviewer, "complete")
    assert _status(application) == "completed"
    assert reviewer.locator("#delivery-title").count() == 1
    assert_accessible(reviewer, "workbench-completed-desktop-zh")


def _row(application, item) -> int:
    form = CorrectionForm(application=application, problems=[], versions={}, asked={})
    return next(row.n for row in form.rows if row.item == item)


def test_corrected_once_then_approved(page_factory, live_server):
    application = submitted_renewal()
    holder = application.applicant
    clerk_officer = OfficerFactory(role="clerk")
    clerk = _officer_page(page_factory, live_server, clerk_officer, viewport=PHONE)
    _open(clerk, live_server, application)
    photo_n, medical_n = _row(application, "material:photo"), _row(application, "material:medical")
    clerk.check(f"#id_c{photo_n}_pick")
    clerk.fill(f"#id_c{photo_n}_message", "照片背景应为白色，请重新拍摄上传")
    clerk.check(f"#id_c{medical_n}_pick")
    clerk.fill(f"#id_c{medical_n}_message", "体检证明盖章不清晰，请重新上传")
    _press(clerk, "corrections")
    assert _status(application) == "correction"
    assert application.corrections.count() == 2
    assert_accessible(clerk, "workbench-after-correction-phone-zh")

    # The applicant re-uploads both and resubmits (their own pages are tested elsewhere).
    for code, upload, kwargs in (
        ("photo", photo(width=360, height=450), {}),
        ("medical", pdf(), {"issued_on": date(2026, 11, 20)}),
    ):
        services.material_upload(
            actor=holder, application=application, material_code=code, upload=upload, **kwargs
        )
    services.application_submit(actor=holder, application=application)
    assert _status(application) == "resubmitted"

    _open(clerk, live_server, application)
    assert "2" in clerk.locator("main").inner_text()  # version 2 of the materials
    _press(clerk, "check")
    assert _status(application) == "review"

    reviewer = _officer_page(page_factory, live_server, OfficerFactory(role="reviewer"))
    _open(reviewer, live_server, application)
    _press(reviewer, "approve")  # the confirmation page
    _press(reviewer, "approve")
    assert _status(application) == "approved"


def test_refusal_with_its_letter(page_factory, live_server):
    application = checked_renewal(_verified(OfficerFactory(role="clerk")))
    reviewer = _officer_page(page_factory, live_server, OfficerFactory(role="reviewer"))
    _open(reviewer, live_server, application)
    reviewer.fill("#id_r1_reason", "申请人提交的照片与本人明显不符")
    options = reviewer.locator("#id_r1_basis option")
    reviewer.select_option("#id_r1_basis", options.nth(1).get_attribute("value"))
    _press(reviewer, "refuse")
    assert _status(application) == "refused"
    assert_accessible(reviewer, "workbench-refused-desktop-zh")
    link = reviewer.locator("main a[href*='/documents/']")
    response = reviewer.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    letter = ARTIFACTS / "workbench-refusal-letter.pdf"
    letter.write_bytes(response.body())
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                str(letter),
                str(ARTIFACTS / "workbench-refusal-letter"),
            ],
            check=True,
        )
        assert list(ARTIFACTS.glob("workbench-refusal-letter*.png"))


def _verified(officer):
    officer.is_verified = lambda: True
    return officer


@pytest.mark.parametrize(
    ("viewport", "locale"),
    [(PHONE, "zh-CN"), (PHONE, "en"), (DESKTOP, "zh-CN"), (DESKTOP, "en")],
    ids=["phone-zh", "phone-en", "desktop-zh", "desktop-en"],
)
def test_pages_are_accessible(page_factory, live_server, viewport, locale):
    clerk = _verified(OfficerFactory(role="clerk"))
    application = submitted_renewal()
    submitted_renewal()
    checked_renewal(clerk)
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale[:2]}"
    page = _officer_page(
        page_factory,
        live_server,
        OfficerFactory(role="supervisor"),
        viewport=viewport,
        locale=locale,
    )
    page.goto(f"{live_server.url}/office/applications/queue/check/")
    assert_accessible(page, f"workbench-queue-{label}")
    _open(page, live_server, application)
    assert_accessible(page, f"workbench-application-{label}")
    _press(page, "corrections")  # nothing ticked: every problem listed, nothing changed
    assert page.locator(".error-summary").count() >= 1
    assert _status(application) == "submitted"
    assert_accessible(page, f"workbench-application-errors-{label}")
    page.goto(f"{live_server.url}/office/applications/compliance/")
    assert_accessible(page, f"workbench-compliance-{label}")
