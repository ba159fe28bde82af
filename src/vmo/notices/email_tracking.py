"""The e-mail provider's tracking webhook (anymail): bounces and deliveries on the attempts.

anymail's own view checks the provider's signature (Mailgun: HMAC-SHA256 of the timestamp and
token with the webhook signing key; basic auth too where a webhook secret is set), refuses a
forged or malformed call with 400, and sends its normalised event as the ``tracking`` signal:
the receiver here records it on the accepted attempt, found by the Message-ID the provider
answered at sending. The route answers 404 while the provider is not configured.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail.signals import AnymailTrackingEvent
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .services.receipts import Receipt, receipt_record

logger = logging.getLogger("vmo.notices")

# Final events only: "deferred" (the provider retries by itself), opens and clicks change nothing.
RECORDED = {
    "delivered": "DELIVERED",
    "bounced": "BOUNCED",
    "rejected": "REJECTED",
    "failed": "FAILED",
    "complained": "COMPLAINED",
}


def email_tracking_record(
    sender: Any, event: AnymailTrackingEvent, esp_name: str, **_: Any
) -> None:
    status = RECORDED.get(str(event.event_type))
    if status is None or not event.message_id:
        return
    error = ""
    if status != "DELIVERED":
        why = str(event.reject_reason or "other")
        error = f"{why}:{(event.mta_response or event.description or '')[:60]}"
    receipt_record(receipt=Receipt(provider_ref=str(event.message_id), status=status, error=error))


def _mailgun_configured() -> bool:
    anymail = dict(getattr(settings, "ANYMAIL", {}))
    return str(settings.EMAIL_BACKEND).startswith("anymail.backends.mailgun") and bool(
        anymail.get("MAILGUN_WEBHOOK_SIGNING_KEY")
    )


@csrf_exempt  # the provider cannot send our CSRF token; its signature authenticates instead
def mailgun_tracking(request: HttpRequest) -> HttpResponse:
    if not _mailgun_configured():
        raise Http404
    response: HttpResponse = MailgunTrackingWebhookView.as_view()(request)
    return response
