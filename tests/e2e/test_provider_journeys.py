"""The done-when journeys of issue 18 with the office's environment set for real providers,
each pointed at its local protocol server: WeChat Pay (API v3, signed both ways) or Alipay
(RSA2, through its cashier) for the fine, Tencent Cloud SMS (TC3-signed requests) for every
SMS. In Chinese, in Chromium."""

from __future__ import annotations

import copy

import pytest

from tests.accounts.providers.faceid_server import FaceIdServer
from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.notices.providers.fixtures import tencent_sms  # noqa: F401 - the fixture
from tests.payments.providers.fixtures import alipay, wechat  # noqa: F401 - the fixtures
from tests.payments.providers.wechat_server import H5_PAGE
from tests.payments.test_phone_payments import IPHONE
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


def _fine_decided(page, live_server):
    """A camera record arrives; its owner signs in and handles it: the fine is decided."""
    user, person, vehicle = _owner()
    violation = _camera_record_arrives(vehicle.plates.get(status="active").number)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_identifier", person.phone)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")
    page.goto(f"{live_server.url}/violations/{violation.pk}/")
    page.locator("main form[action$='/handle/'] button[type=submit]").click()
    page.wait_for_url(f"**/violations/{violation.pk}/")
    return violation, PenaltyDecision.objects.get(violation=violation)


def _fine_shown_paid(page, violation, decision, gateway: str, txn_id: str) -> None:
    assert page.locator("main form[action$='/pay/']").count() == 0
    assert "¥200.00" in page.locator("main").inner_text()
    decision.refresh_from_db()
    assert decision.paid_at is not None and decision.paid_fen == 20000
    order = PaymentOrder.objects.get(gateway=gateway)
    assert order.gateway_txn_id == txn_id
    assert GatewayNotification.objects.get(gateway=gateway).outcome == "credited"
    assert PointsEntry.objects.filter(source_id=str(violation.pk), points=6).exists()


def test_camera_violation_to_fine_paid_with_wechat_pay(page_factory, live_server, providers):
    pay_server, sms = providers
    page = page_factory(viewport=DESKTOP)
    violation, decision = _fine_decided(page, live_server)

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
    assert_accessible(page, "provider-wechat-paid-zh-desktop")
    txn_id = pay_server.orders[reference]["transaction_id"]
    _fine_shown_paid(page, violation, decision, "wechat", txn_id)
    # Every request to WeChat Pay carried a merchant signature it accepted; no SMS was refused.
    assert pay_server.requests and all(status != 401 for _, _, status in pay_server.requests)
    assert sms.refused == []


def test_camera_violation_to_fine_paid_on_a_phone_with_wechat_pay_h5(
    page_factory, live_server, providers, settings
):
    """On a phone the same pay button opens WeChat Pay's H5 page (the WeChat app, in life), and
    WeChat sends the browser back to the fine, which asks WeChat Pay and shows it paid."""
    pay_server, _ = providers
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)  # as VMO_WECHATPAY_H5_ORIGIN does
    policy["DIRECTIVES"]["form-action"].append(pay_server.url)
    settings.CONTENT_SECURITY_POLICY = policy
    page = page_factory(viewport=PHONE, user_agent=IPHONE)
    violation, decision = _fine_decided(page, live_server)
    other = page.locator("main form[action$='/pay/'] button[name=device][value=desktop]")
    assert other.is_visible()  # the QR code stays one press away
    assert_accessible(page, "provider-fine-pay-choice-zh-phone")

    page.locator("main form[action$='/pay/'] button[type=submit]").click()
    page.wait_for_url(pay_server.url + H5_PAGE + "?**")
    [reference] = pay_server.orders
    placed = pay_server.orders[reference]
    assert placed["trade_type"] == "MWEB" and placed["amount"]["total"] == 20000
    assert placed["scene_info"]["h5_info"] == {"type": "Wap"}
    page.locator("main form button[type=submit]").click()  # pays; the callback goes out
    page.wait_for_url(f"**/violations/{violation.pk}/")
    assert pay_server.orders[reference]["delivered"] == 200
    _fine_shown_paid(page, violation, decision, "wechat", placed["transaction_id"])
    assert all(status != 401 for _, _, status in pay_server.requests)


def test_camera_violation_to_fine_paid_at_the_alipay_cashier(
    page_factory,
    live_server,
    settings,
    alipay,  # noqa: F811
):
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "alipay"
    settings.VMO_PAYMENT_SANDBOX_ENABLED = False
    settings.VMO_PUBLIC_BASE_URL = live_server.url
    # What the settings add when Alipay is configured: the cashier's origin in form-action
    # (our pay form's POST is redirected there, and Chromium checks the redirect).
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(alipay.url)
    settings.CONTENT_SECURITY_POLICY = policy
    page = page_factory(viewport=PHONE)
    violation, decision = _fine_decided(page, live_server)

    page.locator("main form[action$='/pay/'] button[type=submit]").click()
    page.wait_for_url(alipay.gateway_url + "?**")
    assert "¥200.00" in page.locator("main").inner_text()
    # Paying sends Alipay's signed notification to the live server, then the payer back.
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/violations/{violation.pk}/")
    trade = next(iter(alipay.trades.values()))
    assert trade["delivered"] == (200, "success")
    _fine_shown_paid(page, violation, decision, "alipay", trade["trade_no"])
    assert not [r for r in alipay.requests if r[1] == "40002"]  # every signature accepted


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


@pytest.fixture
def faceid_page(settings):
    """Tencent Cloud FaceID's local server, its DetectAuth Url pointing at its own H5 page."""
    with FaceIdServer(page=True) as server:
        settings.VMO_IDENTITY_VERIFIER = "faceid"
        settings.VMO_IDENTITY_FACEID = {
            "secret_id": server.secret_id,
            "secret_key": server.secret_key,
            "rule_id": server.rule_id,
            "region": "ap-guangzhou",
            "endpoint": server.endpoint,
            "scheme": "http",
            "timeout": 5,
            "page_origins": [f"http://{server.endpoint}"],
        }
        # What the settings add when FaceID is configured: its page's origin in form-action
        # ("Verify online" is a form post redirected there, and Chromium checks the redirect).
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(f"http://{server.endpoint}")
        settings.CONTENT_SECURITY_POLICY = policy
        yield server


def test_sign_up_with_a_new_phone_and_verify_through_faceid(
    page_factory,
    live_server,
    tencent_sms,  # noqa: F811
    faceid_page,
):
    """A phone other than the one on record: the account shows nothing until FaceID has verified
    the person on Tencent's page; the result is asked of FaceID when they come back."""
    person = _person_with_records()
    page = page_factory(viewport=PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_name", person.name)
    page.fill("#id_id_number", person.id_number)
    page.fill("#id_phone", "13700002222")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/signup/verify/")
    [[code]] = tencent_sms.codes_sent_to("13700002222")
    page.fill("#id_code", code)
    page.fill("#id_password", "Tianshan-Road-88")
    page.fill("#id_password_confirm", "Tianshan-Road-88")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/identity/")
    assert "秦PLUS" not in page.locator("main").inner_text()
    assert_accessible(page, "provider-identity-faceid-zh-phone")

    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"http://{faceid_page.endpoint}/h5/**")
    [(action, sent)] = faceid_page.requests
    assert action == "DetectAuth" and sent["IdCard"] == person.id_number
    assert sent["RedirectUrl"] == live_server.url + "/accounts/identity/"
    page.locator("main form button[type=submit]").click()  # Tencent's page: the face check
    page.wait_for_url("**/me/")
    assert "秦PLUS" in page.locator("main").inner_text()
    assert_accessible(page, "provider-identity-faceid-verified-zh-phone")
    assert faceid_page.requests[-1][0] == "GetDetectInfoEnhanced"  # asked, not told
    assert faceid_page.refused == [] and tencent_sms.refused == []
