"""The officers' violation pages in a real browser: axe-core, a phone's width, no JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import OfficerFactory, VehicleFactory
from tests.office.conftest import sign_in_verified
from tests.violations.intake_helpers import codes_ensure, csv_rows, record
from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import intake_records
from vmo.violations.models import Violation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _officer_page(page_factory, live_server, role, **kwargs):
    client = Client()
    sign_in_verified(client, OfficerFactory(role=role))
    page = page_factory(**kwargs)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (DESKTOP, "en")], ids=["phone-zh", "desktop-en"]
)
def test_search_detail_void_and_batches_are_accessible(page_factory, live_server, viewport, locale):
    codes_ensure()
    VehicleFactory(plate="新B12345")
    batch = intake_records(
        rows=csv_rows([record(1), record(2, code="9999", place=""), record(3)]),
        channel=IntakeChannel.COMMAND,
        source_name="cameras.csv",
    )
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    page = _officer_page(page_factory, live_server, "supervisor", viewport=viewport, locale=locale)
    page.goto(f"{live_server.url}/office/violations/")
    assert_accessible(page, f"office-violations-search-{label}")
    page.fill("#id_plate", "新B12345")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.locator("main table a").first.click()
    page.wait_for_url("**/office/violations/*/")
    assert_accessible(page, f"office-violations-detail-{label}")

    page.fill("#id_reason", "plate misread on the photo")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Violation.objects.filter(handling_status=-1).count() == 1
    assert_accessible(page, f"office-violations-voided-{label}")

    page.goto(f"{live_server.url}/office/violations/intake/")
    assert_accessible(page, f"office-violations-batches-{label}")
    page.goto(f"{live_server.url}/office/violations/intake/{batch.pk}/")
    assert "9999" in page.locator("main").inner_text()
    assert_accessible(page, f"office-violations-batch-{label}")


def test_search_and_void_work_without_javascript(page_factory, live_server):
    codes_ensure()
    VehicleFactory(plate="新B12345")
    intake_records(
        rows=csv_rows([record(1)]), channel=IntakeChannel.COMMAND, source_name="cameras.csv"
    )
    page = _officer_page(page_factory, live_server, "supervisor", viewport=PHONE, javascript=False)
    page.goto(f"{live_server.url}/office/violations/?plate=新B12345")
    page.locator("main table a").first.click()
    page.wait_for_url("**/office/violations/*/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1  # the reason is required
    page.fill("#id_reason", "plate misread on the photo")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Violation.objects.get().handling_status == -1
