"""Alibaba Cloud SMS through its SDK against a local server that checks ACS3 signatures."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory
from vmo.notices import delivery, services
from vmo.notices.models import Attempt, Message
from vmo.notices.services.receipts import receipt_delivered

from .alibaba_server import AlibabaSmsServer

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
TOKEN = "callback-secret-for-tests"
TEMPLATES = {
    "code.signup": {"template": "SMS_460000001", "params": ["code"]},
    "licence.validity_ending": {"template": "SMS_460000002", "params": ["date", "days"]},
}


@pytest.fixture
def alibaba(settings):
    with AlibabaSmsServer() as server:
        settings.VMO_SMS_BACKEND = "alibaba"
        settings.VMO_SMS_TEMPLATES = TEMPLATES
        settings.VMO_SMS_SIGN_NAME = "昌吉车管所"
        settings.VMO_SMS_ALIBABA_ACCESS_KEY_ID = server.access_key_id
        settings.VMO_SMS_ALIBABA_ACCESS_KEY_SECRET = server.access_key_secret
        settings.VMO_SMS_ALIBABA_ENDPOINT = server.endpoint
        settings.VMO_SMS_ALIBABA_SCHEME = "http"
        settings.VMO_SMS_ALIBABA_TIMEOUT = 1
        settings.VMO_SMS_CALLBACK_TOKEN = TOKEN
        yield server


def _code_sms(code: str = "482913") -> Message:
    return services.sms_send(
        phone=PHONE, body=f"Your code is {code}", kind="code.signup", context={"code": code}
    )


def _deliver(message: Message) -> Message:
    result = delivery.message_deliver(message_id=message.pk)
    assert result is not None
    return result


def test_a_code_goes_out_as_the_approved_template_with_its_named_parameters(alibaba):
    message = _deliver(_code_sms("482913"))
    assert message.status == "sent"
    assert alibaba.refused == []
    [sent] = alibaba.requests
    assert sent["PhoneNumbers"] == PHONE
    assert sent["TemplateCode"] == "SMS_460000001"
    assert json.loads(sent["TemplateParam"]) == {"code": "482913"}  # not the rendered sentence
    assert sent["SignName"] == "昌吉车管所"
    assert sent["OutId"] == str(message.pk)
    attempt = Attempt.objects.get(message=message)
    assert attempt.outcome == "sent" and "^" in attempt.provider_ref


def test_a_notice_sends_its_kinds_context_as_the_templates_variables(alibaba):
    rows = services.notify(
        kind="licence.validity_ending",
        context={"file": "****0042", "date": "2026-05-31", "days": 90},
        dedup_key="alibaba:notice",
        user=CitizenFactory(),
    )
    sms = next(m for m in rows if m.channel == "sms")
    assert _deliver(sms).status == "sent"
    assert json.loads(alibaba.requests[0]["TemplateParam"]) == {"date": "2026-05-31", "days": "90"}


def test_every_call_carries_a_fresh_nonce(alibaba):
    _deliver(_code_sms("111111"))
    _deliver(_code_sms("222222"))
    assert len(alibaba.nonces) == 2 and alibaba.refused == []


def test_a_wrong_secret_is_refused_by_the_gateway_and_retried(alibaba, settings):
    settings.VMO_SMS_ALIBABA_ACCESS_KEY_SECRET = "not-the-secret"
    message = _deliver(_code_sms())
    assert alibaba.refused == ["SignatureDoesNotMatch"]
    assert message.status == "created" and message.attempts == 1  # retried after the fix
    assert "SignatureDoesNotMatch" in Attempt.objects.get(message=message).error


def test_an_unknown_access_key_is_refused_and_retried(alibaba, settings):
    settings.VMO_SMS_ALIBABA_ACCESS_KEY_ID = "LTAIunknown"
    message = _deliver(_code_sms())
    assert alibaba.refused == ["InvalidAccessKeyId.NotFound"]
    assert message.status == "created"


@pytest.mark.parametrize(
    "answer",
    [
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.AMOUNT_NOT_ENOUGH",
        "isp.SYSTEM_ERROR",
        "503",
        "garbage",
    ],
)
def test_flow_control_balance_provider_faults_and_5xx_are_retried(alibaba, answer):
    # A timeout after the request went out is not retried: test_sms_uncertain.
    alibaba.answers = [answer]
    message = _deliver(_code_sms())
    assert (message.status, message.attempts) == ("created", 1)
    assert message.not_before is not None
    assert Attempt.objects.get(message=message).outcome == "temporary"


def test_a_retry_after_a_fault_goes_through(alibaba):
    alibaba.answers = ["503", "ok"]
    message = _deliver(_code_sms())
    assert message.status == "created"
    message.not_before = None
    message.save(update_fields=["not_before"])
    assert _deliver(message).status == "sent"
    outcomes = list(Attempt.objects.filter(message=message).values_list("outcome", flat=True))
    assert outcomes == ["temporary", "sent"]


@pytest.mark.parametrize(
    "answer",
    [
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
    ],
)
def test_permanent_codes_fail_the_message_and_are_recorded(alibaba, answer):
    alibaba.answers = [answer]
    message = _deliver(_code_sms())
    assert message.status == "failed" and message.attempts == 1
    attempt = Attempt.objects.get(message=message)
    assert attempt.outcome == "permanent"
    assert answer in attempt.error


def test_a_kind_without_an_approved_template_fails_without_calling_alibaba(alibaba):
    message = services.sms_send(phone=PHONE, body="x", kind="code.password_reset")
    assert _deliver(message).status == "failed"
    assert alibaba.requests == []


def _report(biz_id: str, success: bool = True, code: str = "DELIVERED") -> dict[str, object]:
    # The shape of Alibaba's SmsReport HTTP batch push (one JSON array per POST).
    return {
        "phone_number": PHONE,
        "send_time": "2026-03-02 10:00:00",
        "report_time": "2026-03-02 10:00:05",
        "success": success,
        "err_code": code,
        "err_msg": "用户接收成功" if success else "失败",
        "sms_size": "1",
        "biz_id": biz_id,
        "out_id": "1",
    }


def _push(client, body, token=TOKEN):
    url = reverse("notices:alibaba_report", args=[token])
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


def test_delivery_reports_are_recorded_on_the_accepted_attempt(alibaba, client):
    first, second = _deliver(_code_sms("111111")), _deliver(_code_sms("222222"))
    ok_ref = Attempt.objects.get(message=first).provider_ref
    bad_ref = Attempt.objects.get(message=second).provider_ref
    response = _push(client, [_report(ok_ref), _report(bad_ref, False, "MK:0001")])
    assert response.json() == {"code": 0, "msg": "成功"}
    delivered, undelivered = Attempt.objects.get(message=first), Attempt.objects.get(message=second)
    assert receipt_delivered(attempt=delivered) and delivered.receipt == "DELIVERED"
    assert delivered.receipt_at is not None
    assert undelivered.receipt == "FAILED/MK:0001" and not receipt_delivered(attempt=undelivered)
    # A repeated push changes nothing.
    _push(client, [_report(bad_ref)])
    assert Attempt.objects.get(message=second).receipt == "FAILED/MK:0001"


@pytest.mark.parametrize(
    "body",
    [
        "[{not json",
        {"biz_id": "x"},
        [{"biz_id": "x"}],
        [{"biz_id": "x", "success": "yes", "err_code": "DELIVERED"}],
    ],
)
def test_malformed_delivery_reports_are_refused_and_change_nothing(alibaba, client, body):
    message = _deliver(_code_sms())
    response = _push(client, body)
    assert response.status_code == 400 and response.json()["code"] != 0
    assert Attempt.objects.get(message=message).receipt == ""


def test_forged_and_unknown_delivery_reports_change_nothing(alibaba, client, settings):
    message = _deliver(_code_sms())
    ref = Attempt.objects.get(message=message).provider_ref
    assert _push(client, [_report(ref)], token="guessed").status_code == 404
    assert _push(client, [_report("no-such-biz-id")]).json()["code"] == 0
    settings.VMO_SMS_CALLBACK_TOKEN = ""
    assert _push(client, [_report(ref)], token="anything").status_code == 404
    assert Attempt.objects.get(message=message).receipt == ""


def test_sign_up_runs_end_to_end_with_the_code_read_from_the_providers_request(
    alibaba, client, django_capture_on_commit_callbacks
):
    """The sign-up pages with Alibaba Cloud SMS as the gateway: the code the person types is
    the one the provider was asked to send (read from the signed request the server received),
    and the message's attempt keeps the provider's BizId."""
    from tests.accounts.helpers import PASSWORD
    from tests.factories import make_id_number, make_phone
    from vmo.accounts.models import User

    phone = make_phone(91)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {"name": "李娜", "id_number": make_id_number(91), "phone": phone},
        )
    assert response.status_code == 302
    [sent] = alibaba.requests
    assert sent["PhoneNumbers"] == phone and alibaba.refused == []
    code = json.loads(sent["TemplateParam"])["code"]
    response = client.post(
        reverse("accounts:signup_verify"),
        {"code": code, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(identity_claim__isnull=False).count() == 1
    message = Message.objects.get(kind="code.signup")
    assert message.status == "sent"
    assert Attempt.objects.get(message=message).provider_ref


def test_an_uncertain_send_is_resolved_by_asking_alibaba(alibaba):
    """A send whose answer never came (the worker died mid-call, the row is "uncertain"): the
    sweeper asks QuerySendDetails, matched by OutId; one Alibaba never took stays uncertain."""
    taken, lost = _code_sms("111111"), _code_sms("222222")
    alibaba.answers = ["sleep", "503"]  # the first is taken but its answer is too late
    _deliver(taken)
    _deliver(lost)
    Message.objects.filter(pk__in=[taken.pk, lost.pk]).update(status="uncertain")
    assert delivery.messages_resolve_uncertain() == 1
    assert Message.objects.get(pk=taken.pk).status == "sent"
    assert Message.objects.get(pk=lost.pk).status == "uncertain"
