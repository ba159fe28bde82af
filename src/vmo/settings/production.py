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
