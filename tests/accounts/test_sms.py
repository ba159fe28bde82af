"""The minimal SMS channel the accounts need: outbox row in the caller's transaction, sent on commit."""

from __future__ import annotations

import logging

import pytest
from django.db import connection, transaction

from vmo.notices import sms
from vmo.notices.models import Message
from vmo.notices.selectors import inbox_for, latest_sms_to
from vmo.notices.services import SMS_MAX_ATTEMPTS, inbox_post, sms_deliver, sms_send
from vmo.registry.models import phone_lookup_hash

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


class FlakyGateway:
    def send(self, *, phone: str, text: str, message_id: int) -> None:
        raise sms.SmsError("gateway busy")


class RefusingGateway:
    def send(self, *, phone: str, text: str, message_id: int) -> None:
        raise sms.SmsError("number does not exist", permanent=True)


def test_sms_is_written_then_sent_after_commit(django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.INFO, logger="vmo.sms")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = sms_send(phone="+86 139 1234 5678", body="Hello", kind="test")
        assert Message.objects.get(pk=message.pk).status == "created"  # not before commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert (message.channel, message.status, message.attempts) == ("sms", "sent", 1)
    assert message.sent_at is not None
    assert message.recipient == PHONE
    assert message.recipient_hash == phone_lookup_hash(PHONE)
    assert message.body == "【昌吉车管所】Hello"
    assert "139****5678" in caplog.text and PHONE not in caplog.text


def test_phone_and_text_are_encrypted_at_rest():
    message = sms_send(phone=PHONE, body="Your code is 123456", kind="test")
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient, body FROM notices_message WHERE id = %s", [message.pk])
        recipient, body = cursor.fetchone()
    assert PHONE not in recipient and "123456" not in body


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sms_send(phone=PHONE, body="Hello", kind="test")
        raise RuntimeError
    assert callbacks == [] and Message.objects.count() == 0


def test_a_dedup_key_sends_once():
    first = sms_send(phone=PHONE, body="Hello", kind="test", dedup_key="test:1")
    second = sms_send(phone=PHONE, body="Hello again", kind="test", dedup_key="test:1")
    assert first.pk == second.pk and Message.objects.count() == 1


def test_delivery_runs_once_even_if_called_twice():
    message = sms_send(phone=PHONE, body="Hello", kind="test")
    sms_deliver(message_id=message.pk)
    again = sms_deliver(message_id=message.pk)
    assert (again.status, again.attempts) == ("sent", 1)


def test_temporary_failures_are_retried_then_give_up(settings):
    settings.VMO_SMS_BACKEND = "tests.accounts.test_sms.FlakyGateway"
    message = sms_send(phone=PHONE, body="Hello", kind="test")
    for attempt in range(1, SMS_MAX_ATTEMPTS):
        message = sms_deliver(message_id=message.pk)
        assert (message.status, message.attempts) == ("created", attempt)
    assert sms_deliver(message_id=message.pk).status == "failed"


def test_permanent_failure_is_final(settings):
    settings.VMO_SMS_BACKEND = "tests.accounts.test_sms.RefusingGateway"
    message = sms_send(phone=PHONE, body="Hello", kind="test")
    assert sms_deliver(message_id=message.pk).status == "failed"
    settings.VMO_SMS_BACKEND = "console"
    assert sms_deliver(message_id=message.pk).status == "failed"


def test_latest_sms_to_finds_the_newest_for_that_phone_only():
    sms_send(phone=PHONE, body="first", kind="test")
    sms_send(phone="13987654321", body="other", kind="test")
    sms_send(phone=PHONE, body="second", kind="test")
    assert latest_sms_to(PHONE).body.endswith("second")
    assert latest_sms_to("13900000000") is None


def test_inbox_post(django_user_model):
    user = django_user_model.objects.create(username="c1")
    message = inbox_post(user=user, kind="test", subject="Hi", body="Body", dedup_key="inbox:1")
    inbox_post(user=user, kind="test", subject="Hi", body="Body", dedup_key="inbox:1")
    assert list(inbox_for(user)) == [message]
    assert (message.channel, message.status, message.recipient) == ("inapp", "sent", "")
