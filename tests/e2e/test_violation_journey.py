"""The whole violation path in a real browser, in Chinese: a camera record arrives through
intake, the owner signs in, sees it, handles it, pays on the sandbox's hosted page, comes back
and sees it paid at once (the callback is lost on purpose: the active query on return must do
it), the vehicle's status clears and the points appear on the status page. axe on every page."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import CitizenFactory, LicenceFactory, VehicleFactory
from tests.violations.online_factories import codes_ensure
from vmo.core import clock
from vmo.registry.models import PointsEntry
from vmo.violations.intake import intake_records, parse_jsonl
from vmo.violations.models import PenaltyDecision, Violation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Correct-Horse-42"  # CitizenFactory's


def _owner():
    user = CitizenFactory()
    person = user.person
    # A cycle that began a month ago, so today's record scores in the current cycle.
    LicenceFactory(holder=person, first_issue_date=clock.today() - timedelta(days=30))
    vehicle = VehicleFactory(owner_person=person, brand="比亚迪", model_name="秦PLUS")
    return user, person, vehicle


def _camera_record_arrives(plate: str) -> Violation:
    codes_ensure()
    occurred = clock.now() - timedelta(hours=2)
    line = {
        "record_id": f"652301{occurred:%Y%m%d%H%M%S}01",
        "occurred_at": occurred.isoformat(timespec="seconds"),
        "place": "昌吉市延安北路与北京南路交叉口",
        "device": "CJ-CAM-101",
        "plate_number": plate,
        "plate_type": "02",
        "code": "1625",
        "evidence": [f"cam101/{occurred:%Y%m%d}/1.jpg", f"cam101/{occurred:%Y%m%d}/2.jpg"],
    }
    batch = intake_records(
        rows=parse_jsonl(io.StringIO(json.dumps(line, ensure_ascii=False) + "\n")),
        channel="api",
        source_name="e2e.jsonl",
    )
    assert batch.loaded == 1, batch
    return Violation.objects.get(record_id=line["record_id"])


def _check(page, label: str, javascript: bool) -> None:
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    if javascript:
        assert_accessible(page, label)


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    [(PHONE, True), (DESKTOP, True), (PHONE, False)],
    ids=["phone", "desktop", "phone-nojs"],
)
def test_camera_record_to_paid_fine_in_the_browser(
    page_factory, live_server, settings, viewport, javascript
):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # the gateway's callback never comes
    size = ("phone" if viewport is PHONE else "desktop") + ("" if javascript else "-nojs")
    user, person, vehicle = _owner()
    plate = vehicle.plates.get(status="active").number
    violation = _camera_record_arrives(plate)
    vehicle.refresh_from_db()
    assert "G" in vehicle.status

    page = page_factory(viewport=viewport, javascript=javascript)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_identifier", person.phone)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")

    page.goto(live_server.url + "/violations/")
    _check(page, f"violations-list-zh-{size}", javascript)
    main = page.locator("main").inner_text()
    assert violation.place in main and "1625" in main and "¥200.00" in main

    page.locator(f"main a[href='/violations/{violation.pk}/']").click()
    page.wait_for_url(f"**/violations/{violation.pk}/")
    _check(page, f"violations-detail-zh-{size}", javascript)
    page.locator("main form[action$='/handle/'] button[type=submit]").click()
    page.wait_for_url(f"**/violations/{violation.pk}/")
    decision = PenaltyDecision.objects.get(violation=violation)
    assert decision.number in page.locator("main").inner_text()
    _check(page, f"violations-decided-zh-{size}", javascript)

    page.locator("main form[action$='/pay/'] button[type=submit]").click()
    page.wait_for_url("**/payments/sandbox/pay/**")
    _check(page, f"violations-sandbox-zh-{size}", javascript)
    page.locator("button[name=action][value=pay]").click()
    page.wait_for_url(f"**/violations/{violation.pk}/")
    _check(page, f"violations-paid-zh-{size}", javascript)

    decision.refresh_from_db()
    assert decision.paid_at is not None and decision.paid_fen == 20000
    assert page.locator("main form[action$='/pay/']").count() == 0
    assert "¥200.00" in page.locator("main").inner_text()
    vehicle.refresh_from_db()
    assert "G" not in vehicle.status
    assert PointsEntry.objects.filter(source_id=str(violation.pk), points=6).exists()

    page.goto(live_server.url + "/me/")
    _check(page, f"violations-my-status-zh-{size}", javascript)
    assert "6 / 12" in page.locator("main").inner_text()


def test_binding_and_nomination_pages_are_accessible(page_factory, live_server, settings):
    """W03 in the browser: bind a vehicle with the owner's code; a named driver's page."""
    import re

    from vmo.notices.selectors import latest_sms_to
    from vmo.violations.services import nomination_create

    owner, owner_person, vehicle = _owner()
    driver, driver_person, _ = _owner()
    plate = vehicle.plates.get(status="active").number
    violation = _camera_record_arrives(plate)
    nomination_create(
        violation=violation,
        actor=owner,
        driver_id_number=driver_person.id_number,
        driver_name=driver_person.name,
    )

    page = page_factory(viewport=PHONE)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_identifier", driver_person.phone)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")

    page.goto(live_server.url + "/violations/nominations/")
    _check(page, "violations-nominations-zh-phone", True)
    page.goto(live_server.url + "/violations/bindings/")
    _check(page, "violations-bindings-zh-phone", True)
    page.locator("main form button[type=submit]").click()  # empty: the error is named
    # The answer is a new page: wait for it rather than look at the old one.
    expect(page.locator(".error-summary")).to_be_visible()
    _check(page, "violations-bindings-errors-zh-phone", True)
    page.fill("#id_plate_number", plate)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/violations/bindings/*/confirm/")
    _check(page, "violations-binding-confirm-zh-phone", True)
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", latest_sms_to(owner_person.phone).body).group(1)
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/violations/bindings/")
    assert "秦PLUS" in page.locator("main").inner_text()
    _check(page, "violations-bindings-bound-zh-phone", True)
