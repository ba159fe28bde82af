"""The done-when journeys of issue 18 with the office's environment set for real providers,
each pointed at its local protocol server: WeChat Pay (API v3, signed both ways) for the fine,
Tencent Cloud SMS (TC3-signed requests) for every SMS. In Chinese, in Chromium."""

from __future__ import annotations

import pytest

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.notices.providers.fixtures import tencent_sms  # noqa: F401 - the fixture
from tests.payments.providers.fixtures import wechat  # noqa: F401 - the fixture
from vmo.notices.models import Attempt, Message
from vmo.payments.models import GatewayNotification, PaymentOrder
from vmo.registry.models import PointsEntry
from vmo.violations.models import PenaltyDecision

from .test_journeys import _person_with_records
from .test_violation_journey import PASSWORD, _camera_record_arrives, _owner

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def providers(settings, live_server, wechat, tencent_sms):  # noqa: F811
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "wechat"
    settings.VMO_PAYMENT_SANDBOX_ENABLED = False  # the office pays through WeChat Pay only
    settings.VMO_PUBLIC_BASE_URL = live_server.url  # where WeChat Pay sends its callbacks
    return wechat, tencent_sms


def test_camera_violation_to_fine_paid_with_wechat_pay(page_factory, live_server, providers):
    pay_server, sms = providers
    user, person, vehicle = _owner()
    violation = _camera_record_arrives(vehicle.plates.get(status="active").number)

    page = page_factory(viewport=DESKTOP)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_identifier", person.phone)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")
    page.goto(f"{live_server.url}/violations/{violation.pk}/")
    page.locator("main form[action$='/handle/'] button[type=submit]").click()
    page.wait_for_url(f"**/violations/{violation.pk}/")
    decision = PenaltyDecision.objects.get(violation=violation)

    page.locator("main form[action$='/pay/'] button[type=submit]").click()
    page.wait_for_url("**/payments/wechat/native/**")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("main img.qr").is_visible()
    assert_accessible(page, "provider-wechat-native-zh-desktop")
    # The payer scans the code shown and pays; WeChat Pay posts its signed, encrypted callback
    # to the office's callback URL on the live server.
    code_url = page.locator("[data-code-url]").inner_text().strip()
    reference = pay_server.order_by_code_url(code_url)
    assert pay_server.orders[reference]["amount"]["total"] == 20000
    pay_server.pay(reference, deliver=True)
    assert pay_server.orders[reference]["delivered"] == 200
    page.locator("main a.button.primary").click()
    page.wait_for_url(f"**/violations/{violation.pk}/")
    assert page.locator("main form[action$='/pay/']").count() == 0
    assert "¥200.00" in page.locator("main").inner_text()
    assert_accessible(page, "provider-wechat-paid-zh-desktop")

    decision.refresh_from_db()
    order = PaymentOrder.objects.get(reference=reference)
    assert decision.paid_at is not None and decision.paid_fen == 20000
    assert order.gateway == "wechat"
    assert order.gateway_txn_id == pay_server.orders[reference]["transaction_id"]
    assert GatewayNotification.objects.get(gateway="wechat").outcome == "credited"
    assert PointsEntry.objects.filter(source_id=str(violation.pk), points=6).exists()
    # Every request to WeChat Pay carried a merchant signature it accepted; no SMS was refused.
    assert pay_server.requests and all(status != 401 for _, _, status in pay_server.requests)
    assert sms.refused == []


def test_sign_up_with_the_code_sent_through_tencent_sms(page_factory, live_server, providers):
    _, sms = providers
    person = _person_with_records()
    page = page_factory(viewport=PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_name", person.name)
    page.fill("#id_id_number", person.id_number)
    page.fill("#id_phone", person.phone)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/signup/verify/")

    # The code is read where Tencent received it: the approved template's parameter.
    [params] = sms.codes_sent_to(person.phone)
    [code] = params
    assert code.isdigit() and len(code) == 6
    [sent] = sms.requests
    assert sent["SignName"] == "昌吉车管所" and sent["TemplateId"].isdigit()
    message = Message.objects.get(channel="sms", kind="code.signup")
    assert Attempt.objects.get(message=message).outcome == "sent"

    page.fill("#id_code", code)
    page.fill("#id_password", "Tianshan-Road-88")
    page.fill("#id_password_confirm", "Tianshan-Road-88")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")
    assert "秦PLUS" in page.locator("main").inner_text()
    assert_accessible(page, "provider-signup-my-status-zh-phone")
    assert sms.refused == []
