"""Tencent Cloud SMS through its SDK against a local server that checks TC3 signatures."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory
from vmo.notices import delivery, services
from vmo.notices.models import Attempt, Message
from vmo.notices.services.receipts import receipt_delivered

from .tencent_server import TencentSmsServer

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
TOKEN = "callback-secret-for-tests"
TEMPLATES = {
    "code.signup": {"template": "100001", "params": ["code"]},
    "licence.validity_ending": {"template": "100002", "params": ["date", "days"]},
}


@pytest.fixture
def tencent(settings):
    with TencentSmsServer() as server:
        settings.VMO_SMS_BACKEND = "tencent"
        settings.VMO_SMS_TEMPLATES = TEMPLATES
        settings.VMO_SMS_SIGN_NAME = "昌吉车管所"
        settings.VMO_SMS_TENCENT_SECRET_ID = server.secret_id
        settings.VMO_SMS_TENCENT_SECRET_KEY = server.secret_key
        settings.VMO_SMS_TENCENT_SDK_APP_ID = "1400000001"
        settings.VMO_SMS_TENCENT_ENDPOINT = server.endpoint
        settings.VMO_SMS_TENCENT_SCHEME = "http"
        settings.VMO_SMS_TENCENT_TIMEOUT = 1
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


def test_a_code_goes_out_as_the_approved_template_with_its_context_value(tencent):
    message = _deliver(_code_sms("482913"))
    assert message.status == "sent"
    assert tencent.refused == []
    [sent] = tencent.requests
    assert sent["PhoneNumberSet"] == [f"+86{PHONE}"]
    assert sent["TemplateId"] == "100001"
    assert sent["TemplateParamSet"] == ["482913"]  # the value, not the rendered sentence
    assert sent["SignName"] == "昌吉车管所"
    assert sent["SmsSdkAppId"] == "1400000001"
    assert sent["SessionContext"] == str(message.pk)
    attempt = Attempt.objects.get(message=message)
    assert attempt.outcome == "sent" and len(attempt.provider_ref) == 24


def test_a_notice_sends_its_kinds_context_in_the_templates_order(tencent):
    rows = services.notify(
        kind="licence.validity_ending",
        context={"file": "****0042", "date": "2026-05-31", "days": 90},
        dedup_key="tencent:notice",
        user=CitizenFactory(),
    )
    sms = next(m for m in rows if m.channel == "sms")
    assert _deliver(sms).status == "sent"
    assert tencent.requests[0]["TemplateParamSet"] == ["2026-05-31", "90"]


def test_a_wrong_secret_key_is_refused_by_the_server_and_retried(tencent, settings):
    settings.VMO_SMS_TENCENT_SECRET_KEY = "not-the-key"
    message = _deliver(_code_sms())
    assert tencent.refused == ["AuthFailure.SignatureFailure"]
    assert message.status == "created" and message.attempts == 1  # retried after the fix
    assert "AuthFailure.SignatureFailure" in Attempt.objects.get(message=message).error


@pytest.mark.parametrize(
    "answer",
    ["LimitExceeded.PhoneNumberDailyLimit", "api:InternalError.Timeout", "500"],
)
def test_limits_provider_faults_and_5xx_are_retried(tencent, answer):
    # A timeout after the request went out is not retried: test_sms_uncertain.
    tencent.answers = [answer]
    message = _deliver(_code_sms())
    assert (message.status, message.attempts) == ("created", 1)
    assert message.not_before is not None
    assert Attempt.objects.get(message=message).outcome == "temporary"


@pytest.mark.parametrize(
    "answer",
    [
        "InvalidParameterValue.IncorrectPhoneNumber",
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "api:UnauthorizedOperation.SmsSdkAppIdVerifyFail",
    ],
)
def test_permanent_codes_fail_the_message_and_are_recorded(tencent, answer):
    tencent.answers = [answer]
    message = _deliver(_code_sms())
    assert message.status == "failed" and message.attempts == 1
    attempt = Attempt.objects.get(message=message)
    assert attempt.outcome == "permanent"
    assert answer.removeprefix("api:") in attempt.error


def test_a_kind_without_an_approved_template_fails_without_calling_tencent(tencent):
    message = services.sms_send(phone=PHONE, body="x", kind="code.password_reset")
    assert _deliver(message).status == "failed"
    assert tencent.requests == []


def _report(sid: str, status: str = "SUCCESS", errmsg: str = "DELIVRD") -> dict[str, str]:
    # The shape of Tencent's status callback push (one JSON array per POST).
    return {
        "user_receive_time": "2026-03-02 10:00:05",
        "nationcode": "86",
        "mobile": PHONE,
        "report_status": status,
        "errmsg": errmsg,
        "description": "用户短信送达成功",
        "sid": sid,
    }


def _push(client, body, token=TOKEN):
    url = reverse("notices:tencent_status", args=[token])
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


def test_status_callbacks_are_recorded_on_the_accepted_attempt(tencent, client):
    first, second = _deliver(_code_sms("111111")), _deliver(_code_sms("222222"))
    ok_ref = Attempt.objects.get(message=first).provider_ref
    bad_ref = Attempt.objects.get(message=second).provider_ref
    response = _push(client, [_report(ok_ref), _report(bad_ref, "FAIL", "MK:0001")])
    assert response.json() == {"result": 0, "errmsg": "OK"}
    delivered, undelivered = Attempt.objects.get(message=first), Attempt.objects.get(message=second)
    assert receipt_delivered(attempt=delivered) and delivered.receipt_at is not None
    assert undelivered.receipt == "FAIL/MK:0001" and not receipt_delivered(attempt=undelivered)
    # A repeated push changes nothing.
    _push(client, [_report(bad_ref)])
    assert Attempt.objects.get(message=second).receipt == "FAIL/MK:0001"


def test_forged_malformed_and_unknown_status_reports_change_nothing(tencent, client):
    message = _deliver(_code_sms())
    ref = Attempt.objects.get(message=message).provider_ref
    assert _push(client, [_report(ref)], token="guessed").status_code == 404
    assert _push(client, "[{not json").status_code == 400
    assert _push(client, [{"sid": ref}]).status_code == 400
    assert _push(client, [_report("no-such-serial")]).json()["result"] == 0
    assert Attempt.objects.get(message=message).receipt == ""


def test_no_callback_token_configured_refuses_every_report(tencent, client, settings):
    settings.VMO_SMS_CALLBACK_TOKEN = ""
    assert _push(client, [_report("x")], token="anything").status_code == 404


def test_an_uncertain_send_is_resolved_by_the_numbers_status_reports(tencent):
    """A send whose answer never came (the row is "uncertain"): the sweeper pulls the number's
    status reports and matches the SessionContext; with no report yet it stays uncertain."""
    taken, lost = _code_sms("111111"), _code_sms("222222")
    tencent.answers = ["sleep", "500"]
    _deliver(taken)
    _deliver(lost)
    Message.objects.filter(pk__in=[taken.pk, lost.pk]).update(status="uncertain")
    assert delivery.messages_resolve_uncertain() == 0  # no report yet: nothing guessed
    tencent.reports.append(
        {
            "UserReceiveTime": "2026-03-02 10:00:05",
            "CountryCode": "86",
            "SubscriberNumber": PHONE,
            "PhoneNumber": f"+86{PHONE}",
            "SerialNo": "2019:538884*********",
            "ReportStatus": "SUCCESS",
            "Description": "DELIVRD",
            "SessionContext": tencent.requests[0]["SessionContext"],
        }
    )
    assert delivery.messages_resolve_uncertain() == 1
    assert Message.objects.get(pk=taken.pk).status == "sent"
    assert Message.objects.get(pk=lost.pk).status == "uncertain"
