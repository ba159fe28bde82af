"""Delivery: attempts recorded, retries with backoff, permanent failures, the sweeper, quiet
hours, preferences, e-mail over a real SMTP server, the HTTP SMS gateway against a real server."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from datetime import datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError

from tests.factories import CitizenFactory
from vmo.core import clock
from vmo.notices import delivery, services
from vmo.notices.models import Attempt, Message
from vmo.notices.selectors import failed_messages

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=clock.OFFICE_TZ)


class FlakyGateway:
    calls = 0

    def send(self, *, phone: str, text: str, message_id: int) -> None:
        from vmo.notices.sms import SmsError

        raise SmsError("gateway busy")


def _notice(user, key="k1", **kwargs):
    return services.notify(
        kind="licence.validity_ending",
        context={"file": "****0042", "date": "2026-05-31", "days": 90},
        dedup_key=f"licence.validity_ending:{key}",
        user=user,
        **kwargs,
    )


def _sms_of(rows):
    return next(m for m in rows if m.channel == "sms")


def test_every_attempt_is_recorded_and_retries_back_off_then_fail(settings):
    settings.VMO_SMS_BACKEND = "tests.notices.test_delivery.FlakyGateway"
    user = CitizenFactory()
    with time_machine.travel(NOW, tick=False):
        sms = _sms_of(_notice(user))
        message = delivery.message_deliver(message_id=sms.pk)
        assert (message.status, message.attempts) == ("created", 1)
        assert message.not_before == NOW + timedelta(minutes=1)
        assert delivery.messages_due() == []  # not before its backoff
    waits = []
    moment = NOW
    for _ in range(4):
        moment = Message.objects.get(pk=sms.pk).not_before
        waits.append(moment)
        with time_machine.travel(moment, tick=False):
            assert delivery.messages_due() == [sms.pk]
            delivery.messages_dispatch()
    message = Message.objects.get(pk=sms.pk)
    assert (message.status, message.attempts) == ("failed", 5)
    gaps = [b - a for a, b in zip([NOW, *waits], waits, strict=False)]
    assert gaps == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
    ]
    outcomes = list(Attempt.objects.filter(message=sms).values_list("number", "outcome"))
    assert outcomes == [
        (1, "temporary"),
        (2, "temporary"),
        (3, "temporary"),
        (4, "temporary"),
        (5, "permanent"),
    ]
    assert list(failed_messages()) == [message]


def test_the_sweeper_sends_what_was_never_queued_exactly_once():
    user = CitizenFactory()
    # Not committed in this test: the on-commit queueing never ran, as with a broker down.
    sms = _sms_of(_notice(user))
    assert Message.objects.get(pk=sms.pk).status == "created"
    assert delivery.messages_dispatch() == 1
    assert delivery.messages_dispatch() == 0
    message = Message.objects.get(pk=sms.pk)
    assert (message.status, message.attempts) == ("sent", 1)
    assert Attempt.objects.filter(message=sms, outcome="sent").count() == 1


def test_a_row_stuck_in_sending_is_uncertain_not_sent_again():
    """Changed on purpose (issue 14): "uncertain", not "failed" (the provider may have sent it;
    an officer re-sending a "failed" one would text the citizen twice)."""
    user = CitizenFactory()
    sms = _sms_of(_notice(user))
    Message.objects.filter(pk=sms.pk).update(
        status="sending", not_before=clock.now() - timedelta(seconds=1), attempts=1
    )
    Attempt.objects.create(message=sms, number=1, started_at=clock.now())
    delivery.messages_dispatch()
    delivery.messages_dispatch()
    message = Message.objects.get(pk=sms.pk)
    assert message.status == "uncertain" and "deadline" in message.error
    assert message.attempts == 1  # never tried again
    assert Attempt.objects.get(message=sms).outcome == "timeout"
    assert message in failed_messages()  # the officers see it


def test_quiet_hours_hold_the_sms_until_they_end():
    user = CitizenFactory()
    services.preference_update(
        user=user, language="en", channels={}, quiet_from=time(22, 0), quiet_to=time(7, 30)
    )
    late = datetime(2026, 3, 2, 23, 15, tzinfo=clock.OFFICE_TZ)
    with time_machine.travel(late, tick=False):
        rows = _notice(user)
        sms = _sms_of(rows)
        assert sms.not_before == datetime(2026, 3, 3, 7, 30, tzinfo=clock.OFFICE_TZ)
        assert delivery.messages_dispatch() == 0
        assert "expires" in next(m for m in rows if m.channel == "inapp").subject  # English
    with time_machine.travel(datetime(2026, 3, 3, 7, 30, tzinfo=clock.OFFICE_TZ), tick=False):
        assert delivery.messages_dispatch() == 1
    assert Message.objects.get(pk=sms.pk).status == "sent"


def test_sms_switched_off_for_a_group_but_never_for_a_legal_notice():
    user = CitizenFactory()
    services.preference_update(user=user, language="zh-hans", channels={"licence": ["inapp"]})
    assert [m.channel for m in _notice(user)] == ["inapp"]
    legal = services.notify(
        kind="licence.validity_ended",
        context={"file": "****0042", "date": "2026-03-01", "days": -1},
        dedup_key="licence.validity_ended:k1",
        user=user,
    )
    assert sorted(m.channel for m in legal) == ["inapp", "sms"]


def test_bad_preferences_name_every_problem_and_change_nothing():
    user = CitizenFactory()
    with pytest.raises(ValidationError) as exc:
        services.preference_update(
            user=user,
            language="fr",
            channels={"nope": ["sms"], "licence": ["fax"]},
            quiet_from=time(22, 0),
        )
    assert set(exc.value.message_dict) == {"language", "channels", "quiet_to"}
    assert len(exc.value.message_dict["channels"]) == 2
    assert not user.notice_preference_set if hasattr(user, "notice_preference_set") else True
    from vmo.notices.models import Preference

    assert not Preference.objects.filter(user=user).exists()


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    handler = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


def test_email_goes_through_a_real_smtp_server(smtp_server):
    user = CitizenFactory(person__email="zhang@example.cn")
    services.preference_update(user=user, language="en", channels={"licence": ["sms", "email"]})
    email = next(m for m in _notice(user) if m.channel == "email")
    delivered = delivery.message_deliver(message_id=email.pk)
    assert delivered.status == "sent"
    [(to, content)] = smtp_server.messages
    assert to == ["zhang@example.cn"] and "2026-05-31" in content
    assert f"X-VMO-Message-Id: {email.pk}" in content


def test_email_to_a_closed_smtp_port_is_retried(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    user = CitizenFactory(person__email="zhang@example.cn")
    services.preference_update(user=user, language="en", channels={"licence": ["email"]})
    email = next(m for m in _notice(user) if m.channel == "email")
    assert delivery.message_deliver(message_id=email.pk).status == "created"


class _Gateway(BaseHTTPRequestHandler):
    # A status to answer, or "sleep": taken, answered 200 only after the client's timeout.
    answers: list[int | str] = []
    received: list[dict] = []
    SLEEP = 1.5

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Gateway.received.append({**body, "auth": self.headers["Authorization"]})
        answer = _Gateway.answers.pop(0)
        if answer == "sleep":
            threading.Event().wait(_Gateway.SLEEP)
            answer = 200
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self.send_response(int(answer))
            self.end_headers()
            self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.VMO_SMS_BACKEND = "http"
    settings.VMO_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.VMO_SMS_HTTP_TOKEN = "t0ken"
    _Gateway.received.clear()
    yield _Gateway
    server.shutdown()


def test_http_gateway_accepts_retries_and_refuses(gateway):
    user = CitizenFactory()
    gateway.answers[:] = [503, 200]
    sms = _sms_of(_notice(user, key="a"))
    assert delivery.message_deliver(message_id=sms.pk).status == "created"
    assert delivery.message_deliver(message_id=sms.pk).status == "sent"
    assert gateway.received[0]["auth"] == "Bearer t0ken"
    assert gateway.received[1]["reference"] == str(sms.pk)
    assert gateway.received[1]["to"] == user.person.phone
    gateway.answers[:] = [400]
    refused = _sms_of(_notice(user, key="b"))
    failed = delivery.message_deliver(message_id=refused.pk)
    assert (failed.status, failed.attempts) == ("failed", 1)
