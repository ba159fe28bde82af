"""Tencent Cloud FaceID (慧眼, API 2018-03-01) through the official SDK.

``DetectAuth`` opens a verification for the name and ID number the account was signed up with
and answers the URL of Tencent's own H5 page (the person shows their ID card and looks at the
camera there) and a BizToken. Tencent then sends the person back to our page; the result is
never taken from that return: the office asks ``GetDetectInfoEnhanced`` with the BizToken
(text only: no photos or video are fetched). Every call is signed TC3-HMAC-SHA256 by the SDK.

The result arrives asynchronously: a verification the person has not finished answers with no
ErrCode yet; it is asked again when the person comes back and by a periodic task, until it is
finished or its BizToken has lapsed.
"""

from __future__ import annotations

import json
import logging
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.faceid.v20180301 import faceid_client, models

from . import CallbackError, CallbackResult, IdentityVerifier, ProviderUnavailable, Started

logger = logging.getLogger("vmo.identity")

NAME = "faceid"


def reason_for(code: int) -> str:
    """Our failure reason (FAILURE_REASONS) for FaceID's final ErrCode, by its families: 1xxx
    liveness, face, light and video; 2xxx the ID card (OCR); 3xxx the comparison with the
    authoritative record (3xxx below 3100 is the face, the rest the name and number); 15 a
    lapsed BizToken; anything else the photo."""
    if code == 15:
        return "expired"
    if 2000 <= code < 3000:
        return "id_card_invalid"
    if code in (3003, 3005, 3006):  # the number is not on record / name and number differ
        return "name_mismatch"
    if 3000 <= code < 4000:
        return "face_mismatch"
    return "photo_unclear"


def _client() -> faceid_client.FaceidClient:
    config: dict[str, Any] = dict(settings.VMO_IDENTITY_FACEID)
    http = HttpProfile(endpoint=str(config["endpoint"]), reqTimeout=int(config["timeout"]))
    http.scheme = str(config["scheme"])
    cred = credential.Credential(str(config["secret_id"]), str(config["secret_key"]))
    return faceid_client.FaceidClient(cred, str(config["region"]), ClientProfile(httpProfile=http))


class FaceIdVerifier(IdentityVerifier):
    name = NAME

    def start(self, *, reference: str, name: str, id_number: str, return_url: str) -> Started:
        request = models.DetectAuthRequest()
        request.RuleId = str(settings.VMO_IDENTITY_FACEID["rule_id"])
        request.IdCard = id_number
        request.Name = name
        request.RedirectUrl = return_url
        # Comes back with the result: the check it belongs to.
        request.Extra = reference
        try:
            response = _client().DetectAuth(request)
        except TencentCloudSDKException as exc:
            logger.warning("faceid DetectAuth failed code=%s", exc.get_code())
            raise ProviderUnavailable(str(exc.get_code() or "unknown")) from exc
        if not response.Url or not response.BizToken:
            raise ProviderUnavailable("no Url or BizToken")
        url = str(response.Url)
        parts = urlsplit(url)
        allowed = settings.VMO_IDENTITY_FACEID.get("page_origins", ())
        if f"{parts.scheme}://{parts.netloc}" not in cast("list[str]", allowed):
            # The browser will refuse the redirect (CSP form-action): say where it must go.
            logger.error(
                "faceid page origin %s://%s is not in VMO_FACEID_PAGE_ORIGINS",
                parts.scheme,
                parts.netloc,
            )
        return Started(url=url, provider_ref=str(response.BizToken))

    def fetch_result(self, *, reference: str, provider_ref: str) -> CallbackResult | None:
        request = models.GetDetectInfoEnhancedRequest()
        request.BizToken = provider_ref
        request.RuleId = str(settings.VMO_IDENTITY_FACEID["rule_id"])
        request.InfoType = "1"  # the text result only
        try:
            response = _client().GetDetectInfoEnhanced(request)
        except TencentCloudSDKException as exc:
            code = str(exc.get_code() or "unknown")
            if code == "InvalidParameterValue.BizTokenExpired":
                return CallbackResult(reference=reference, passed=False, reason="expired")
            logger.warning("faceid GetDetectInfoEnhanced failed code=%s", code)
            raise ProviderUnavailable(code) from exc
        text = response.Text
        if text is None or text.ErrCode is None:
            return None  # not finished yet
        if not isinstance(text.ErrCode, int):
            raise CallbackError("malformed")
        if text.ErrCode != 0:
            return CallbackResult(
                reference=reference,
                passed=False,
                reason=reason_for(text.ErrCode),
                detail=json.dumps({"code": text.ErrCode, "message": str(text.ErrMsg or "")[:80]}),
            )
        return CallbackResult(reference=reference, passed=True, id_number=str(text.IdCard or ""))
