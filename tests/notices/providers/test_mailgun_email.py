"""E-mail through Mailgun (django-anymail) against a local server speaking Mailgun's API, and
its tracking webhook signed as Mailgun signs it: bounces and deliveries on the attempts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory
from vmo.notices import delivery, services
from vmo.notices.models import Attempt, Message
from vmo.notices.services.receipts import receipt_delivered

from .mailgun_server import MailgunServer

pytestmark = pytest.mark.django_db

ADDRESS = "zhang@example.cn"


@pytest.fixture
def mailgun(settings):
    with MailgunServer() as server:
        settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
        settings.ANYMAIL = {
            "MAILGUN_API_KEY": server.api_key,
            "MAILGUN_SENDER_DOMAIN": server.domain,
            "MAILGUN_API_URL": server.api_url,
            "MAILGUN_WEBHOOK_SIGNING_KEY": server.signing_key,
            "REQUESTS_TIMEOUT": 1,
        }
        yield server


def _email() -> Message:
    user = CitizenFactory(person__email=ADDRESS)
    services.preference_update(user=user, language="en", channels={"licence": ["email"]})
    rows = services.notify(
        kind="licence.validity_ending",
        context={"file": "****0042", "date": "2026-05-31", "days": 90},
        dedup_key=f"mailgun:{user.pk}",
        user=user,
    )
    return next(m for m in rows if m.channel == "email")


def _deliver(message: Message) -> Message:
    result = delivery.message_deliver(message_id=message.pk)
    assert result is not None
    return result


def _event(message_id: str, event: str = "delivered", **extra: object) -> dict[str, object]:
    # The shape of Mailgun's webhook "event-data" (the id without angle brackets).
    return {
        "event": event,
        "id": "G9Bn5sl1TC6nu79C8C0bwg",
        "timestamp": 1764720000.0,
        "recipient": ADDRESS,
        "message": {"headers": {"message-id": message_id.strip("<>"), "to": ADDRESS}},
        "delivery-status": {"code": 250, "message": "OK", "description": ""},
    } | extra


def _post(client, body: str, **headers: str):
    url = reverse("notices:mailgun_tracking")
    return client.post(url, data=body, content_type="application/json", **headers)


def test_an_email_goes_out_through_mailguns_api_and_keeps_its_message_id(mailgun):
    message = _deliver(_email())
    assert message.status == "sent"
    [sent] = mailgun.sent
    assert sent["to"] == ADDRESS and "2026-05-31" in sent["text"]
    assert {k.lower(): v for k, v in sent.items()}["h:x-vmo-message-id"] == str(message.pk)
    ref = Attempt.objects.get(message=message).provider_ref
    assert ref.startswith("<") and ref.endswith(f"@{mailgun.domain}>")


def test_a_bounce_and_a_delivery_are_recorded_on_the_attempts(mailgun, client):
    first, second = _deliver(_email()), _deliver(_email())
    ok_ref = Attempt.objects.get(message=first).provider_ref
    bad_ref = Attempt.objects.get(message=second).provider_ref
    assert _post(client, mailgun.signed_event(_event(ok_ref))).status_code == 200
    bounce = _event(
        bad_ref,
        "failed",
        severity="permanent",
        reason="bounce",
        **{"delivery-status": {"code": 550, "message": "5.1.1 No such user", "description": ""}},
    )
    assert _post(client, mailgun.signed_event(bounce)).status_code == 200
    delivered, bounced = Attempt.objects.get(message=first), Attempt.objects.get(message=second)
    assert receipt_delivered(attempt=delivered) and delivered.receipt_at is not None
    assert bounced.receipt.startswith("BOUNCED/") and "No such user" in bounced.receipt
    assert not receipt_delivered(attempt=bounced)
    # A replayed or later event changes nothing; a temporary failure records nothing.
    _post(client, mailgun.signed_event(_event(bad_ref)))
    assert Attempt.objects.get(message=second).receipt == bounced.receipt


def test_a_temporary_failure_event_records_nothing(mailgun, client):
    message = _deliver(_email())
    ref = Attempt.objects.get(message=message).provider_ref
    deferred = _event(ref, "failed", severity="temporary", reason="generic")
    assert _post(client, mailgun.signed_event(deferred)).status_code == 200
    assert Attempt.objects.get(message=message).receipt == ""


def test_forged_and_malformed_webhooks_are_refused_and_change_nothing(mailgun, client):
    message = _deliver(_email())
    ref = Attempt.objects.get(message=message).provider_ref
    forged = mailgun.signed_event(_event(ref, "failed", severity="permanent"), key="guessed")
    assert _post(client, forged).status_code == 400
    assert _post(client, "{not json").status_code == 400
    assert _post(client, '{"event-data": {"event": "delivered"}}').status_code == 400
    assert Attempt.objects.get(message=message).receipt == ""


def test_the_webhook_is_not_there_while_mailgun_is_not_configured(mailgun, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert _post(client, mailgun.signed_event(_event("<x@y>"))).status_code == 404


def test_with_a_webhook_secret_basic_auth_is_required_too(mailgun, client, settings):
    settings.ANYMAIL = settings.ANYMAIL | {"WEBHOOK_SECRET": "mailgun:s3cret-hook"}
    message = _deliver(_email())
    ref = Attempt.objects.get(message=message).provider_ref
    body = mailgun.signed_event(_event(ref))
    assert _post(client, body).status_code == 400
    import base64

    auth = "Basic " + base64.b64encode(b"mailgun:s3cret-hook").decode()
    assert _post(client, body, HTTP_AUTHORIZATION=auth).status_code == 200
    assert receipt_delivered(attempt=Attempt.objects.get(message=message))


@pytest.mark.parametrize("answer", ["500", "401", "sleep"])
def test_provider_faults_wrong_keys_and_timeouts_are_retried(mailgun, answer):
    mailgun.answers = [answer]
    message = _deliver(_email())
    assert (message.status, message.attempts) == ("created", 1)
    assert Attempt.objects.get(message=message).outcome == "temporary"


def test_a_refused_address_fails_the_message(mailgun):
    mailgun.answers = ["400"]
    message = _deliver(_email())
    assert message.status == "failed"
    assert "400" in Attempt.objects.get(message=message).error


def test_a_wrong_api_key_is_refused_by_the_server(mailgun, settings):
    settings.ANYMAIL = settings.ANYMAIL | {"MAILGUN_API_KEY": "key-wrong"}
    message = _deliver(_email())
    assert mailgun.refused == [401] and message.status == "created"
