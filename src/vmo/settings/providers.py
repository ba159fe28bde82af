"""Settings of the outside providers and signing keys: the real payment and SMS providers, and
the keys of electronic licences and mDLs. Each provider is off until its account is configured;
keys and certificates are files outside the repository (mounted secrets), only paths here."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .env import VAR_DIR

# Electronic licences: the Ed25519 signing keys live in this directory (outside the repository in
# production; var/ is git-ignored), `manage.py credential_keys create|rotate|list|remove`.
VMO_CREDENTIAL_KEY_DIR = os.environ.get("VMO_CREDENTIAL_KEY_DIR", str(VAR_DIR / "credential-keys"))
# How long a QR credential verifies after it is shown: long enough to be checked, short enough
# that a screenshot is useless.
VMO_CREDENTIAL_SECONDS = int(os.environ.get("VMO_CREDENTIAL_SECONDS", "300"))
# Real providers (docs/operations.md, "Payment providers"): each is offered only when its
# account is configured. Keys and certificates are files outside the repository (mounted
# secrets); only their paths are settings.
VMO_PAYMENT_WECHAT = {
    "mchid": os.environ.get("VMO_WECHATPAY_MCHID", ""),
    "appid": os.environ.get("VMO_WECHATPAY_APPID", ""),
    "cert_serial_no": os.environ.get("VMO_WECHATPAY_CERT_SERIAL_NO", ""),
    "private_key_path": os.environ.get("VMO_WECHATPAY_PRIVATE_KEY_PATH", ""),
    "apiv3_key_path": os.environ.get("VMO_WECHATPAY_APIV3_KEY_PATH", ""),
    "cert_dir": os.environ.get("VMO_WECHATPAY_CERT_DIR", ""),
    "api_base": os.environ.get("VMO_WECHATPAY_API_BASE", "https://api.mch.weixin.qq.com"),
    # Where H5 payment's h5_url sends a phone payer: our form post is redirected there, so the
    # CSP form-action must allow it (a local protocol server in the tests).
    "h5_origin": os.environ.get("VMO_WECHATPAY_H5_ORIGIN", "https://wx.tenpay.com"),
}
VMO_PAYMENT_ALIPAY = {
    "app_id": os.environ.get("VMO_ALIPAY_APP_ID", ""),
    "seller_id": os.environ.get("VMO_ALIPAY_SELLER_ID", ""),
    "app_private_key_path": os.environ.get("VMO_ALIPAY_APP_PRIVATE_KEY_PATH", ""),
    "alipay_public_key_path": os.environ.get("VMO_ALIPAY_PUBLIC_KEY_PATH", ""),
    "gateway_url": os.environ.get(
        "VMO_ALIPAY_GATEWAY_URL", "https://openapi.alipay.com/gateway.do"
    ),
}
# "tencent": Tencent Cloud SMS (vmo.notices.sms_providers.tencent). Template providers send an
# approved template per notice kind with the message's context values, as JSON:
# {"code.signup": {"template": "1234567", "params": ["code"]}, ...} (docs/operations.md).
VMO_SMS_TEMPLATES = json.loads(os.environ.get("VMO_SMS_TEMPLATES", "{}"))
VMO_SMS_SIGN_NAME = os.environ.get("VMO_SMS_SIGN_NAME", "")
VMO_SMS_TENCENT_SECRET_ID = os.environ.get("VMO_SMS_TENCENT_SECRET_ID", "")
VMO_SMS_TENCENT_SECRET_KEY = os.environ.get("VMO_SMS_TENCENT_SECRET_KEY", "")
VMO_SMS_TENCENT_SDK_APP_ID = os.environ.get("VMO_SMS_TENCENT_SDK_APP_ID", "")
VMO_SMS_TENCENT_REGION = os.environ.get("VMO_SMS_TENCENT_REGION", "ap-guangzhou")
VMO_SMS_TENCENT_ENDPOINT = os.environ.get("VMO_SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")
VMO_SMS_TENCENT_SCHEME = os.environ.get("VMO_SMS_TENCENT_SCHEME", "https")
VMO_SMS_TENCENT_TIMEOUT = int(os.environ.get("VMO_SMS_TENCENT_TIMEOUT", "10"))
# "alibaba": Alibaba Cloud SMS (vmo.notices.sms_providers.alibaba), dysmsapi 2017-05-25. The
# same VMO_SMS_TEMPLATES map holds its template codes ("SMS_123456789"), whose ${name} variables
# are the params; the signature is VMO_SMS_SIGN_NAME.
VMO_SMS_ALIBABA_ACCESS_KEY_ID = os.environ.get("VMO_SMS_ALIBABA_ACCESS_KEY_ID", "")
VMO_SMS_ALIBABA_ACCESS_KEY_SECRET = os.environ.get("VMO_SMS_ALIBABA_ACCESS_KEY_SECRET", "")
VMO_SMS_ALIBABA_ENDPOINT = os.environ.get("VMO_SMS_ALIBABA_ENDPOINT", "dysmsapi.aliyuncs.com")
VMO_SMS_ALIBABA_SCHEME = os.environ.get("VMO_SMS_ALIBABA_SCHEME", "https")
VMO_SMS_ALIBABA_TIMEOUT = int(os.environ.get("VMO_SMS_ALIBABA_TIMEOUT", "10"))
# Neither provider signs its delivery-report push: the URL registered with it holds this secret.
VMO_SMS_CALLBACK_TOKEN = os.environ.get("VMO_SMS_CALLBACK_TOKEN", "")

# E-mail through an e-mail provider's API (django-anymail): EMAIL_BACKEND=
# anymail.backends.mailgun.EmailBackend sends through Mailgun; its tracking webhook (bounces,
# deliveries) is verified with the webhook signing key, and with HTTP basic auth when
# VMO_ANYMAIL_WEBHOOK_SECRET ("user:password") is set too (docs/operations.md, "E-mail").
ANYMAIL: dict[str, object] = {
    "MAILGUN_API_KEY": os.environ.get("VMO_MAILGUN_API_KEY", ""),
    "MAILGUN_SENDER_DOMAIN": os.environ.get("VMO_MAILGUN_SENDER_DOMAIN", ""),
    "MAILGUN_API_URL": os.environ.get("VMO_MAILGUN_API_URL", "https://api.mailgun.net/v3"),
    "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("VMO_MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    "REQUESTS_TIMEOUT": int(os.environ.get("VMO_MAILGUN_TIMEOUT", "10")),
}
if os.environ.get("VMO_ANYMAIL_WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = os.environ["VMO_ANYMAIL_WEBHOOK_SECRET"]

# VMO_IDENTITY_VERIFIER=faceid: Tencent Cloud FaceID (vmo.accounts.verification.faceid). The
# RuleId is the verification flow created in the FaceID console; a CAM sub-account's API key
# with only the FaceID permissions.
VMO_FACEID_PAGE_ORIGINS = os.environ.get(
    "VMO_FACEID_PAGE_ORIGINS", "https://faceid.qq.com https://open.weixin.qq.com"
).split()
VMO_IDENTITY_FACEID = {
    "secret_id": os.environ.get("VMO_FACEID_SECRET_ID", ""),
    "secret_key": os.environ.get("VMO_FACEID_SECRET_KEY", ""),
    "rule_id": os.environ.get("VMO_FACEID_RULE_ID", ""),
    "region": os.environ.get("VMO_FACEID_REGION", "ap-guangzhou"),
    "endpoint": os.environ.get("VMO_FACEID_ENDPOINT", "faceid.tencentcloudapi.com"),
    "scheme": os.environ.get("VMO_FACEID_SCHEME", "https"),
    "timeout": int(os.environ.get("VMO_FACEID_TIMEOUT", "10")),
    # The origins of the page DetectAuth's Url opens (it depends on the RuleId's scene: a
    # WeChat H5 flow starts at WeChat's OAuth page). "Verify online" is a form post redirected
    # there, so they go into the CSP form-action.
    "page_origins": VMO_FACEID_PAGE_ORIGINS,
}

# ISO/IEC 18013-5 mDL keys (vmo.mdl.keys): a directory outside the repository. The embedded
# default creates a key set under var/ (git-ignored) on first use; production.py turns that off
# so a missing key set is an error there, never a silent new root.
VMO_MDL_KEY_DIR = Path(os.environ.get("VMO_MDL_KEY_DIR", VAR_DIR / "mdl-keys"))
VMO_MDL_CREATE_KEYS = os.environ.get("VMO_MDL_CREATE_KEYS", "1") == "1"
VMO_MDL_ISSUING_AUTHORITY = os.environ.get("VMO_MDL_ISSUING_AUTHORITY", "Vehicle Management Office")
# Empty: the province of the office's area (its first region code) names the certificates.
VMO_MDL_PROVINCE = os.environ.get("VMO_MDL_PROVINCE", "")
VMO_MDL_PUBLIC_URL = os.environ.get("VMO_MDL_PUBLIC_URL", "https://vmo.example.cn")
