"""Alibaba Cloud SMS (dysmsapi 2017-05-25, ``SendSms``) through its official Python SDK.

The SDK signs each call with ACS3-HMAC-SHA256 (the V3 signature: canonical request over the
method, query, signed headers and the payload's SHA-256) from VMO_SMS_ALIBABA_ACCESS_KEY_ID and
ACCESS_KEY_SECRET, and sends it to VMO_SMS_ALIBABA_ENDPOINT (a local protocol server in the
tests). The answer's ``Code`` says whether the number was accepted: "OK" plus a BizId (kept on
the attempt; the delivery report names it as ``biz_id``), or an error code that is either
temporary (flow control, balance, the provider's own faults, our keys or clock, no connection:
retried with backoff) or permanent (a bad number, an unapproved template or signature). A call
that went out and got no answer in time may have been taken: it is "uncertain", settled by
QuerySendDetails (``status``) or the delivery report, never sent again.
"""

from __future__ import annotations

import logging

from alibabacloud_dysmsapi20170525 import models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import utils_models
from darabonba.runtime import RuntimeOptions
from django.conf import settings
from Tea.exceptions import TeaException

from vmo.core.clock import OFFICE_TZ
from vmo.core.masking import mask_phone

from ..models import Attempt
from ..sms import SmsError, answer_lost
from . import template_message

logger = logging.getLogger("vmo.sms")

# Codes worth retrying (Alibaba's error centre for SendSms and the OpenAPI gateway): the
# provider's system faults (isp.*), flow control per number and per account, an account out of
# balance or money (the office tops it up), and the gateway refusing our key, signature or clock
# (the office fixes its configuration; the retry then goes through). Every other isv.* code is
# the message's own fault (number, template, signature, parameters) and is not retried.
TEMPORARY_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.DAY_LIMIT_CONTROL",
        "isv.AMOUNT_NOT_ENOUGH",
        "isv.OUT_OF_SERVICE",
        "isv.ACCOUNT_ABNORMAL",
        "isv.ACCOUNT_NOT_EXISTS",
        "SignatureDoesNotMatch",
        "SignatureNonceUsed",
        "IncompleteSignature",
        "InvalidAccessKeyId.NotFound",
        "InvalidAccessKeyId.Inactive",
        "InvalidTimeStamp.Expired",
        "Forbidden.RAM",
        "ServiceUnavailable",
        "InternalError",
    }
)
TEMPORARY_PREFIXES = ("isp.", "Throttling", "ServiceUnavailable", "InternalError")


def is_temporary(code: str) -> bool:
    return code in TEMPORARY_CODES or code.startswith(TEMPORARY_PREFIXES)


def _client() -> Client:
    config = utils_models.Config(
        access_key_id=str(settings.VMO_SMS_ALIBABA_ACCESS_KEY_ID),
        access_key_secret=str(settings.VMO_SMS_ALIBABA_ACCESS_KEY_SECRET),
        endpoint=str(settings.VMO_SMS_ALIBABA_ENDPOINT),
        protocol=str(settings.VMO_SMS_ALIBABA_SCHEME),
        connect_timeout=int(settings.VMO_SMS_ALIBABA_TIMEOUT) * 1000,
        read_timeout=int(settings.VMO_SMS_ALIBABA_TIMEOUT) * 1000,
    )
    return Client(config)


def _error_code(exc: TeaException) -> tuple[str, bool]:
    """The provider's code for a failed call and whether a retry may succeed. The SDK wraps
    what went wrong in an UnretryableException: an HTTP error answer (its code; 5xx are the
    provider's fault) or a transport failure (no code: the network, a timeout)."""
    inner = getattr(exc, "inner_exception", None) or exc
    code = str(getattr(inner, "code", "") or "")
    status = getattr(inner, "status_code", None)
    if not code or code == "None" or not isinstance(inner, TeaException):
        return "network", True
    if isinstance(status, int) and status >= 500:
        return code, True
    return code, is_temporary(code)


class AlibabaSmsBackend:
    def send(self, *, phone: str, text: str, message_id: int) -> str:
        template = template_message(message_id)
        request = models.SendSmsRequest(
            phone_numbers=phone.removeprefix("+86"),
            sign_name=str(settings.VMO_SMS_SIGN_NAME),
            template_code=template.template,
            template_param=template.as_json(),
            # Comes back in the delivery report (out_id): the report finds its message even
            # without the BizId.
            out_id=str(message_id),
        )
        try:
            response = _client().send_sms_with_options(request, RuntimeOptions())
        except TeaException as exc:
            if answer_lost(exc):  # Alibaba may have taken it: never sent again blindly
                raise SmsError("alibaba no answer", uncertain=True) from exc
            code, temporary = _error_code(exc)
            raise SmsError(f"alibaba {code}", permanent=not temporary) from exc
        body = response.body
        code = str(getattr(body, "code", "") or "")
        if not code:
            raise SmsError("alibaba answered without a code")
        if code != "OK":
            raise SmsError(f"alibaba {code}", permanent=not is_temporary(code))
        if not body.biz_id:
            raise SmsError("alibaba answered OK without a BizId")
        logger.info(
            "sms message_id=%s to=%s accepted by alibaba biz_id=%s",
            message_id,
            mask_phone(phone),
            body.biz_id,
        )
        return str(body.biz_id)

    def status(self, *, message_id: int) -> str | None:
        """What became of a message whose send had no answer (QuerySendDetails for its number
        and day, matched by OutId): "sent" if Alibaba took it, "failed" if it reports the send
        failed, None if it has no record (it stays uncertain: nothing is re-sent blindly)."""
        found = (
            Attempt.objects.filter(message_id=message_id)
            .select_related("message")
            .order_by("-number")
            .first()
        )
        if found is None:
            return None
        request = models.QuerySendDetailsRequest(
            phone_number=found.message.recipient.removeprefix("+86"),
            send_date=found.started_at.astimezone(OFFICE_TZ).strftime("%Y%m%d"),
            page_size=50,
            current_page=1,
        )
        try:
            response = _client().query_send_details_with_options(request, RuntimeOptions())
        except TeaException as exc:
            code, _ = _error_code(exc)
            raise SmsError(f"alibaba {code}") from exc
        body = response.body
        if str(getattr(body, "code", "")) != "OK" or body.sms_send_detail_dtos is None:
            raise SmsError(f"alibaba {getattr(body, 'code', '')}")
        for detail in body.sms_send_detail_dtos.sms_send_detail_dto or []:
            if detail.out_id == str(message_id):
                # SendStatus 1: waiting for the receipt, 3: delivered, 2: failed.
                return "failed" if detail.send_status == 2 else "sent"
        return None
