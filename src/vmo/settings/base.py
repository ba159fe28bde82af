"""Settings shared by every environment, read from the environment (12-factor).

The embedded default (no variables set) is SQLite, local-memory cache and Celery tasks
run inline, so `make run` needs no other service. The outside providers' accounts and the
signing keys are in providers.py, Celery's queues and schedule in tasks.py, paths and environment
readers in env.py.
"""

from __future__ import annotations

import os

import dj_database_url

from .env import BASE_DIR, PROJECT_DIR, VAR_DIR, env_bool, env_list  # noqa: F401
from .providers import *  # noqa: F403
from .providers import VMO_FACEID_PAGE_ORIGINS, VMO_PAYMENT_ALIPAY, VMO_PAYMENT_WECHAT
from .tasks import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", False)
# A development-only key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "vmo.core",
    "vmo.registry",
    "vmo.accounts",
    "vmo.notices",
    "vmo.payments",
    "vmo.catalog",
    "vmo.applications",
    "vmo.plates",
    "vmo.violations",
    "vmo.education",
    "vmo.appointments",
    "vmo.status",
    "vmo.bulletins",
    "vmo.credentials",
    "vmo.portal",
    "vmo.office",
    "vmo.api",
    "vmo.demo",
    "vmo.checks",
    "vmo.mdl",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early: every response, error pages included, carries the id they show.
    "vmo.core.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware: saves a live session at most once a minute to extend it.
    "vmo.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: it asks whether the answer is for someone signed in.
    "vmo.core.middleware.PersonalNoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: lockout must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vmo.urls"
# A form sent with a missing or stale token gets the styled, translated 403.
CSRF_FAILURE_VIEW = "vmo.core.errors.csrf_failure"
WSGI_APPLICATION = "vmo.wsgi.application"
ASGI_APPLICATION = "vmo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "vmo.core.context_processors.office",
            ],
            "builtins": ["vmo.core.templatetags.vmo"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vmo.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # libpq's least connect time is 2 s: a hung server fails a connection then, not never.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "2"))
    )
    # No JIT: the product's queries are index lookups that take a millisecond, but a poor row
    # estimate (a column not yet analysed, a heavy-tailed owner) lifts a plan's cost over
    # jit_above_cost and PostgreSQL then spent 1.5 s compiling it, on every request, for a
    # query that ran in 0.4 ms (/violations/ on the generated city, issue 13).
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
    # Django's backend with a client-side deadline inside web requests (a frozen server answers
    # nothing, not even its own statement_timeout): vmo.core.postgresql.base says why.
    DATABASES["default"]["ENGINE"] = "vmo.core.postgresql"
# Seconds a web request waits for one query or a new connection; 0: as long as libpq does.
DB_REQUEST_TIMEOUT = float(os.environ.get("DB_REQUEST_TIMEOUT", "1"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Every page reads the cache: a Redis that accepts connections but does not answer must cost a
# request half a second, not hold it until the proxy gives up (it held requests 20 s).
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
REDIS_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_OPTIONS,
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vmo"}
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out identity is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "vmo.accounts.backends.IdentityBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:my_status"
LOGOUT_REDIRECT_URL = "portal:home"

# Idle sessions end after 30 minutes. A request extends a live session, but the session is
# written at most once a minute (vmo.accounts.middleware), not on every request (issue 13).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", "1800"))
SESSION_SAVE_EVERY_REQUEST = False
# With Redis (shared by every app server) sessions are read from the cache and written through
# to the database; the local-memory cache is per process, so without Redis they stay in the
# database only (a session flushed in one worker must not live on in another's memory). Both are
# Django's stores, except that a database outage on saving is a 503, not a 400 (accounts.sessions).
SESSION_ENGINE = "vmo.accounts.sessions.cached_db" if REDIS_URL else "vmo.accounts.sessions.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Sign-in lockout (django-axes): 5 failures lock the identity for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_FORM_FIELD = "identifier"
# One lockout counter per account, whether the phone or the ID number was typed, and no typed
# identifiers kept in clear in axes' tables.
AXES_USERNAME_CALLABLE = "vmo.accounts.selectors.lockout_key"
AXES_SENSITIVE_PARAMETERS = ["identifier", "otp_token", "code", "password"]
# The one client-address rule (vmo.core.client_address) for axes, every throttle and history.
AXES_CLIENT_IP_CALLABLE = "vmo.core.client_address.client_ip_for_lockout"
# How many proxies stand in front of the app servers (0: none, X-Forwarded-For is ignored).
VMO_TRUSTED_PROXIES = int(os.environ.get("VMO_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Content-Security-Policy: no inline script anywhere (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Personal data at rest: AES-256-GCM keys by id; the active one encrypts, all decrypt,
# so a key is rotated by adding a new id and re-encrypting (`manage.py pii_rotate`).
# The development keys below are public; production.py requires real ones.
VMO_PII_KEYS = dict(
    item.split(":", 1)
    for item in env_list("VMO_PII_KEYS", "dev1:ZGV2LW9ubHktcGlpLWtleS0wMTIzNDU2Nzg5YWJjZGU=")
)
VMO_PII_ACTIVE_KEY = os.environ.get("VMO_PII_ACTIVE_KEY", next(iter(VMO_PII_KEYS)))
VMO_PII_HASH_KEY = os.environ.get("VMO_PII_HASH_KEY", "dev-only-lookup-hash-key")

# Payments: gateways by name; the sandbox behaves like a real one (hosted page, signed async
# notifications sent more than once) and is off in production unless enabled.
VMO_PUBLIC_BASE_URL = os.environ.get("VMO_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
VMO_PAYMENT_GATEWAYS = {"sandbox": "vmo.payments.gateways.sandbox.SandboxGateway"}
VMO_PAYMENT_DEFAULT_GATEWAY = os.environ.get("VMO_PAYMENT_DEFAULT_GATEWAY", "sandbox")
VMO_PAYMENT_SANDBOX_ENABLED = env_bool("VMO_PAYMENT_SANDBOX_ENABLED", True)
VMO_PAYMENT_SANDBOX_KEY = os.environ.get(
    "VMO_PAYMENT_SANDBOX_KEY", "dev-only-sandbox-payment-key-0123456789"
)
VMO_PAYMENT_SANDBOX_DUPLICATES = int(os.environ.get("VMO_PAYMENT_SANDBOX_DUPLICATES", "2"))
VMO_PAYMENT_ORDER_TTL_MINUTES = int(os.environ.get("VMO_PAYMENT_ORDER_TTL_MINUTES", "120"))
if VMO_PAYMENT_WECHAT["mchid"]:
    VMO_PAYMENT_GATEWAYS["wechat"] = "vmo.payments.gateways.wechat.WeChatPayGateway"
    # H5 payment on phones redirects the form post to WeChat Pay's page (h5_url).
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(VMO_PAYMENT_WECHAT["h5_origin"])
if VMO_PAYMENT_ALIPAY["app_id"]:
    VMO_PAYMENT_GATEWAYS["alipay"] = "vmo.payments.gateways.alipay.AlipayGateway"
    # Paying redirects the form post to Alipay's cashier: browsers check form-action there too.
    _scheme, _rest = VMO_PAYMENT_ALIPAY["gateway_url"].split("://", 1)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_scheme}://{_rest.split('/', 1)[0]}"
    )
# Online identity verification after sign-up (accounts.verification): "sandbox" is the stand-in
# provider; "" offers only the service hall. Off in production unless a provider is named.
VMO_IDENTITY_VERIFIER = os.environ.get("VMO_IDENTITY_VERIFIER", "sandbox")
if VMO_IDENTITY_VERIFIER == "faceid":
    # "Verify online" posts a form that is redirected to Tencent's page: form-action again.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].extend(VMO_FACEID_PAGE_ORIGINS)
VMO_IDENTITY_SANDBOX_KEY = os.environ.get(
    "VMO_IDENTITY_SANDBOX_KEY", "dev-only-sandbox-identity-key-0123456789"
)
# The CJK font embedded in PDFs: "path.ttf" or "path.ttc#0"; empty = var/fonts (npm) then Debian's wqy.
VMO_PDF_FONT = os.environ.get("VMO_PDF_FONT", "")

# E-mail notices go through Django's e-mail backend: SMTP in production
# (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend), the console by default.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@cjvmo.example")

# The SMS gateway: "console" writes each message to the log (and the outbox keeps it);
# "http" posts each message as JSON to VMO_SMS_HTTP_URL (vmo.notices.sms.HttpGatewayBackend).
VMO_SMS_BACKEND = os.environ.get("VMO_SMS_BACKEND", "console")
VMO_SMS_HTTP_URL = os.environ.get("VMO_SMS_HTTP_URL", "")
VMO_SMS_HTTP_TOKEN = os.environ.get("VMO_SMS_HTTP_TOKEN", "")
VMO_SMS_HTTP_SENDER = os.environ.get("VMO_SMS_HTTP_SENDER", "12123")
VMO_SMS_HTTP_TIMEOUT = float(os.environ.get("VMO_SMS_HTTP_TIMEOUT", "10"))
# Seconds an SMS or e-mail may stay "sending" before the sweeper takes it for a dead worker's
# (vmo.notices.delivery.sending_deadline): above every provider's connect plus read timeouts.
VMO_NOTICES_SENDING_TIMEOUT = float(os.environ.get("VMO_NOTICES_SENDING_TIMEOUT", "60"))

# The demo outbox page (/demo/outbox/) lists the SMS and e-mail the console backends "sent", so
# a newcomer can sign up without reading the server log. Only dev.py turns it on, and only
# with the console backends; production.py forces it off.
VMO_DEMO_OUTBOX = False

NINJA_PAGINATION_PER_PAGE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
