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
                message_id=str(report.get("ext", "")),  # our SessionContext
            )
            for report in reports
        ]
    except (ValueError, TypeError, KeyError):
        logger.warning("sms receipt refused: malformed tencent status report")
        return JsonResponse({"result": 1, "errmsg": "malformed"}, status=400)
    for receipt in receipts:
        receipt_record(receipt=receipt)
    # What Tencent expects back; an unknown sid is still "received" (no point in a re-push).
    return JsonResponse({"result": 0, "errmsg": "OK"})


def _alibaba_receipt(report: dict[str, object]) -> Receipt:
    """One SmsReport entry: ``success`` true/false, ``err_code`` DELIVERED or the failure."""
    success = report["success"]
    if not isinstance(success, bool):
        raise TypeError("success is not a boolean")
    code = str(report["err_code"])
    return Receipt(
        provider_ref=str(report["biz_id"]),
        status="DELIVERED" if success else "FAILED",
        error="" if success else code,
        message_id=str(report.get("out_id") or ""),  # our OutId
    )


@csrf_exempt  # the provider cannot send our CSRF token; the secret in the URL stands in for it
@require_POST
def alibaba_report(request: HttpRequest, token: str) -> HttpResponse:
    """Alibaba's delivery reports (SmsReport, HTTP batch push): a JSON array naming BizId."""
    if not _token_ok(token):
        logger.warning("sms receipt refused: wrong callback token")
        raise Http404
    try:
        reports = json.loads(request.body)
        if not isinstance(reports, list):
            raise TypeError("not a list")
        receipts = [_alibaba_receipt(report) for report in reports]
    except (ValueError, TypeError, KeyError):
        logger.warning("sms receipt refused: malformed alibaba delivery report")
        # Anything but code 0 makes Alibaba push the batch again later.
        return JsonResponse({"code": 1, "msg": "malformed"}, status=400)
    for receipt in receipts:
        receipt_record(receipt=receipt)
    # What Alibaba expects back; an unknown BizId is still "received" (a re-push would not help).
    return JsonResponse({"code": 0, "msg": "成功"})
