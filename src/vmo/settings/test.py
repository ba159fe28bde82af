"""Tests: same as base, fast hashing, database from DATABASE_URL (SQLite if unset)."""

import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - speed in tests only
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
VMO_PAYMENT_SANDBOX_DUPLICATES = 2
# time-machine moves the clock psycopg measures its connect deadline with: a test travelling
# minutes ahead would see every new connection "time out" at once. Tests run without it.
DATABASES["default"].get("OPTIONS", {}).pop("connect_timeout", None)  # noqa: F405
# The request deadline too (time-machine moves the clock it is measured with); the fault tests'
# servers set DB_REQUEST_TIMEOUT themselves.
DB_REQUEST_TIMEOUT = float(os.environ.get("DB_REQUEST_TIMEOUT", "0"))
