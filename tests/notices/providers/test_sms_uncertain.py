"""A send whose outcome is unknown is never sent again: the provider took it, then stalled past
our timeout. The message goes "uncertain" at once and is settled by the provider's status query
or its delivery report, and the phone gets it exactly once. A connection that was never made
(nothing listening) is still retried: nothing can have reached the provider. The generic HTTP
gateway follows the same rule (sms.answer_lost) though it answers no status query."""

from __future__ import annotations

import json
import socket

import pytest
from django.urls import reverse

from tests.notices.test_delivery import gateway  # noqa: F401 - the fixture
from vmo.notices import delivery
from vmo.notices.models import Attempt, Message
from vmo.notices.services.receipts import receipt_delivered

from .test_alibaba_sms import (
    _code_sms,
    alibaba,  # noqa: F401 - the fixture
)
from .test_alibaba_sms import _report as alibaba_report
from .test_tencent_sms import PHONE, TOKEN, tencent  # noqa: F401 - the fixture
from .test_tencent_sms import _report as tencent_report

pytestmark = pytest.mark.django_db


def _deliver(message: Message) -> Message:
    result = delivery.message_deliver(message_id=message.pk)
    assert result is not None
    return result


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def _stalled_send_is_uncertain(message: Message) -> Message:
    message = _deliver(message)
    assert message.status == "uncertain" and message.attempts == 1
    assert message.not_before is None  # not due again: no retry is scheduled
    attempt = Attempt.objects.get(message=message)
    assert attempt.outcome == "timeout" and attempt.finished_at is not None
    assert "may have been sent" in message.error
    assert _deliver(message).attempts == 1  # a duplicate task does not send it again
    return message


def _uncertain_attempt_sent(message: Message, provider_ref: str) -> None:
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None
    attempt = Attempt.objects.get(message=message)
    assert attempt.outcome == "sent" and attempt.provider_ref == provider_ref
    assert receipt_delivered(attempt=attempt)


def test_alibaba_took_it_then_stalled_one_delivery_settled_by_the_query(alibaba):  # noqa: F811
    alibaba.answers = ["sleep", "ok"]  # a resend would be taken: counted below
    message = _stalled_send_is_uncertain(_code_sms("111111"))
    assert len(alibaba.requests) == 1 and len(alibaba.taken[PHONE]) == 1
    delivery.messages_dispatch()  # the sweeper asks QuerySendDetails, which finds its OutId
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(alibaba.requests) == 1 and len(alibaba.taken[PHONE]) == 1  # delivered once


def test_alibaba_delivery_report_settles_an_uncertain_send(alibaba, client):  # noqa: F811
    alibaba.answers = ["sleep"]
    message = _stalled_send_is_uncertain(_code_sms("111111"))
    report = alibaba_report("900415^1234567890") | {"out_id": str(message.pk)}
    response = client.post(
        reverse("notices:alibaba_report", args=[TOKEN]),
        data=json.dumps([report]),
        content_type="application/json",
    )
    assert response.json()["code"] == 0
    _uncertain_attempt_sent(message, "900415^1234567890")
    assert len(alibaba.requests) == 1


def test_tencent_took_it_then_stalled_one_delivery_settled_by_the_status_report(
    tencent,  # noqa: F811
    client,
):
    tencent.answers = ["sleep", "ok"]
    message = _stalled_send_is_uncertain(_code_sms("111111"))
    assert len(tencent.taken) == 1
    delivery.messages_dispatch()  # no status report yet: it stays uncertain, not re-sent
    message.refresh_from_db()
    assert message.status == "uncertain" and len(tencent.requests) == 1
    report = tencent_report("2019:5388840000000001") | {"ext": str(message.pk)}
    response = client.post(
        reverse("notices:tencent_status", args=[TOKEN]),
        data=json.dumps([report]),
        content_type="application/json",
    )
    assert response.json() == {"result": 0, "errmsg": "OK"}
    _uncertain_attempt_sent(message, "2019:5388840000000001")
    delivery.messages_dispatch()
    assert len(tencent.taken) == 1 and len(tencent.requests) == 1  # delivered exactly once


def test_a_report_naming_a_message_that_is_not_uncertain_changes_nothing(
    tencent,  # noqa: F811
    client,
):
    message = _deliver(_code_sms("111111"))  # sent, its SerialNo known
    report = tencent_report("2019:unknown") | {"ext": str(message.pk)}
    client.post(
        reverse("notices:tencent_status", args=[TOKEN]),
        data=json.dumps([report]),
        content_type="application/json",
    )
    attempt = Attempt.objects.get(message=message)
    assert attempt.provider_ref != "2019:unknown" and attempt.receipt == ""


@pytest.mark.parametrize("provider", ["alibaba", "tencent"])
def test_a_connection_never_made_is_retried(request, settings, provider):
    request.getfixturevalue(provider)
    setattr(settings, f"VMO_SMS_{provider.upper()}_ENDPOINT", _closed_port())
    message = _deliver(_code_sms("111111"))
    assert (message.status, message.attempts) == ("created", 1)
    assert message.not_before is not None  # retried after the backoff
    assert Attempt.objects.get(message=message).outcome == "temporary"


def test_the_http_gateway_took_it_then_stalled_it_is_uncertain_never_resent(gateway, settings):  # noqa: F811
    settings.VMO_SMS_HTTP_TIMEOUT = 0.5
    gateway.answers[:] = ["sleep", 200]  # a resend would be answered: counted below
    message = _stalled_send_is_uncertain(_code_sms("111111"))
    delivery.messages_dispatch()  # the generic gateway answers no status query: left for an officer
    message.refresh_from_db()
    assert message.status == "uncertain"
    assert [row["reference"] for row in gateway.received] == [str(message.pk)]  # sent once


def test_the_http_gateway_never_reached_is_retried(gateway, settings):  # noqa: F811
    settings.VMO_SMS_HTTP_URL = f"http://{_closed_port()}/send"
    message = _deliver(_code_sms("111111"))
    assert (message.status, message.attempts) == ("created", 1)
    assert message.not_before is not None
    assert Attempt.objects.get(message=message).outcome == "temporary"
    assert gateway.received == []
