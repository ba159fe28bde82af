"""Tencent Cloud SMS (API 2021-01-11, ``SendSms``) through its official Python SDK.

The SDK signs each call with TC3-HMAC-SHA256 from VMO_SMS_TENCENT_SECRET_ID/SECRET_KEY and posts
JSON to VMO_SMS_TENCENT_ENDPOINT (a local protocol server in the tests). The answer for the one
number says whether it was accepted: "Ok" plus a SerialNo (kept on the attempt; the status
callback names it as ``sid``), or a code that is either temporary (limits, the provider's own
faults, no connection: retried with backoff) or permanent (a bad number, an unapproved
template). A call that went out and got no answer in time may have been taken: it is
"uncertain", settled by the number's status reports (``status``) or the status callback, never
sent again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from vmo.core import clock
from vmo.core.masking import mask_phone

from ..models import Attempt
from ..sms import SmsError, answer_lost
from . import template_message

logger = logging.getLogger("vmo.sms")

# Codes worth retrying: the provider's limits and faults, the network, our keys or clock (the
# office fixes its configuration and the retry then goes through). Everything else is the
# message's own fault (number, template, signature, content) and is not retried.
TEMPORARY_PREFIXES = (
    "InternalError",
    "LimitExceeded",
    "RequestLimitExceeded",
    "ClientNetworkError",
    "ServerNetworkError",
    "AuthFailure",
    "ResourceUnavailable",
    "FailedOperation.InsufficientBalanceInSmsPackage",
)


def is_temporary(code: str) -> bool:
    return code.startswith(TEMPORARY_PREFIXES)


def _client() -> sms_client.SmsClient:
    http = HttpProfile(
        endpoint=str(settings.VMO_SMS_TENCENT_ENDPOINT),
        reqTimeout=int(settings.VMO_SMS_TENCENT_TIMEOUT),
    )
    http.scheme = str(settings.VMO_SMS_TENCENT_SCHEME)
    cred = credential.Credential(
        str(settings.VMO_SMS_TENCENT_SECRET_ID), str(settings.VMO_SMS_TENCENT_SECRET_KEY)
    )
    return sms_client.SmsClient(
        cred, str(settings.VMO_SMS_TENCENT_REGION), ClientProfile(httpProfile=http)
    )


def e164(phone: str) -> str:
    """Tencent wants +86 in front of a mainland number."""
    return phone if phone.startswith("+") else f"+86{phone}"


class TencentSmsBackend:
    def send(self, *, phone: str, text: str, message_id: int) -> str:
        template = template_message(message_id)
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [e164(phone)]
        request.SmsSdkAppId = str(settings.VMO_SMS_TENCENT_SDK_APP_ID)
        request.SignName = str(settings.VMO_SMS_SIGN_NAME)
        request.TemplateId = template.template
        request.TemplateParamSet = template.ordered()
        # Comes back in the status callback: the receipt finds its message even without sid.
        request.SessionContext = str(message_id)
        try:
            response = _client().SendSms(request)
        except TencentCloudSDKException as exc:
            if exc.get_code() == "ClientNetworkError" and answer_lost(exc):
                # Tencent may have taken it: never sent again blindly.
                raise SmsError("tencent no answer", uncertain=True) from exc
            code = exc.get_code() or "unknown"
            raise SmsError(f"tencent {code}", permanent=not is_temporary(code)) from exc
        statuses = response.SendStatusSet or []
        if not statuses:
            raise SmsError("tencent answered without a status")
        status = statuses[0]
        if status.Code != "Ok":
            raise SmsError(f"tencent {status.Code}", permanent=not is_temporary(status.Code))
        logger.info(
            "sms message_id=%s to=%s accepted by tencent serial=%s",
            message_id,
            mask_phone(phone),
            status.SerialNo,
        )
        return str(status.SerialNo)

    def status(self, *, message_id: int) -> str | None:
        """What became of a message whose send had no answer: the number's status reports since
        the attempt (PullSmsSendStatusByPhoneNumber), matched by SessionContext: "sent" if one
        says SUCCESS, "failed" if FAIL, None if there is none yet (it stays uncertain)."""
        found = (
            Attempt.objects.filter(message_id=message_id)
            .select_related("message")
            .order_by("-number")
            .first()
        )
        if found is None:
            return None
        request = models.PullSmsSendStatusByPhoneNumberRequest()
        request.PhoneNumber = e164(found.message.recipient)
        request.SmsSdkAppId = str(settings.VMO_SMS_TENCENT_SDK_APP_ID)
        request.BeginTime = int(found.started_at.timestamp()) - 60
        request.EndTime = int(clock.now().timestamp())
        request.Offset = 0
        request.Limit = 100
        try:
            response = _client().PullSmsSendStatusByPhoneNumber(request)
        except TencentCloudSDKException as exc:
            raise SmsError(f"tencent {exc.get_code() or 'unknown'}") from exc
        for report in response.PullSmsSendStatusSet or []:
            if report.SessionContext == str(message_id):
                return "sent" if report.ReportStatus == "SUCCESS" else "failed"
        return None
