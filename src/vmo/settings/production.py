"""Production: everything secret comes from the environment; secure transport only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
# Never in production: one-time codes and messages readable by anyone.
VMO_DEMO_OUTBOX = False


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
VMO_PII_HASH_KEY = _required("VMO_PII_HASH_KEY")
_required("VMO_PII_KEYS")

VMO_PAYMENT_SANDBOX_ENABLED = env_bool("VMO_PAYMENT_SANDBOX_ENABLED", False)
if VMO_PAYMENT_SANDBOX_ENABLED:
    VMO_PAYMENT_SANDBOX_KEY = _required("VMO_PAYMENT_SANDBOX_KEY")
# The sandbox identity service would let anyone pass: only where it is asked for by name.
VMO_IDENTITY_VERIFIER = os.environ.get("VMO_IDENTITY_VERIFIER", "")
if VMO_IDENTITY_VERIFIER == "sandbox":
    VMO_IDENTITY_SANDBOX_KEY = _required("VMO_IDENTITY_SANDBOX_KEY")
# A real provider chosen without its account would fail every message or check at run time:
# refuse to start instead (docs/operations.md names each setting).
_PROVIDER_SETTINGS = {
    ("VMO_IDENTITY_VERIFIER", "faceid"): (
        "VMO_FACEID_SECRET_ID",
        "VMO_FACEID_SECRET_KEY",
        "VMO_FACEID_RULE_ID",
    ),
    ("VMO_SMS_BACKEND", "alibaba"): (
        "VMO_SMS_ALIBABA_ACCESS_KEY_ID",
        "VMO_SMS_ALIBABA_ACCESS_KEY_SECRET",
        "VMO_SMS_SIGN_NAME",
        "VMO_SMS_TEMPLATES",
        "VMO_SMS_CALLBACK_TOKEN",
    ),
    ("VMO_SMS_BACKEND", "tencent"): (
        "VMO_SMS_TENCENT_SECRET_ID",
        "VMO_SMS_TENCENT_SECRET_KEY",
        "VMO_SMS_TENCENT_SDK_APP_ID",
        "VMO_SMS_SIGN_NAME",
        "VMO_SMS_TEMPLATES",
        "VMO_SMS_CALLBACK_TOKEN",
    ),
    ("EMAIL_BACKEND", "anymail.backends.mailgun.EmailBackend"): (
        "VMO_MAILGUN_API_KEY",
        "VMO_MAILGUN_SENDER_DOMAIN",
        "VMO_MAILGUN_WEBHOOK_SIGNING_KEY",
    ),
}
for (_choice, _value), _names in _PROVIDER_SETTINGS.items():
    if os.environ.get(_choice, "") == _value:
        for _name in _names:
            _required(_name)

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Behind a TLS-terminating proxy (nginx, a load balancer) that sets this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# How many proxies stand in front of the app servers (the documented nginx: one, which
# overwrites X-Forwarded-For). Every throttle, the lockout and history read vmo.core.client_address.
VMO_TRUSTED_PROXIES = int(os.environ.get("VMO_TRUSTED_PROXIES", "1"))

VMO_MDL_CREATE_KEYS = False  # a production key set is made with manage.py mdl_keys
