"""The SMS providers' delivery-receipt callbacks (thin: parsing here, recording in services)."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services.receipts import Receipt, receipt_record

logger = logging.getLogger("vmo.sms")


def _token_ok(token: str) -> bool:
    expected = str(settings.VMO_SMS_CALLBACK_TOKEN)
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


@csrf_exempt  # the provider cannot send our CSRF token; the secret in the URL stands in for it
@require_POST
def tencent_status(request: HttpRequest, token: str) -> HttpResponse:
    """Tencent's status callback: a JSON array of reports, each naming the SerialNo as sid."""
    if not _token_ok(token):
        logger.warning("sms receipt refused: wrong callback token")
        raise Http404
    try:
        reports = json.loads(request.body)
        receipts = [
            Receipt(
                provider_ref=str(report["sid"]),
                status=str(report["report_status"]),
                error="" if report["report_status"] == "SUCCESS" else str(report.get("errmsg", "")),
            )
            for report in reports
        ]
    except (ValueError, TypeError, KeyError):
        logger.warning("sms receipt refused: malformed tencent status report")
        return JsonResponse({"result": 1, "errmsg": "malformed"}, status=400)
    for receipt in receipts:
        receipt_record(receipt)
    # What Tencent expects back; an unknown sid is still "received" (no point in a re-push).
    return JsonResponse({"result": 0, "errmsg": "OK"})
