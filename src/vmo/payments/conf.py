"""The payments settings, each with the default the embedded setup uses."""

from __future__ import annotations

from django.conf import settings

DEV_SANDBOX_KEY = "dev-only-sandbox-payment-key-0123456789"


def sandbox_key() -> bytes:
    return str(getattr(settings, "VMO_PAYMENT_SANDBOX_KEY", DEV_SANDBOX_KEY)).encode()


def sandbox_enabled() -> bool:
    return bool(getattr(settings, "VMO_PAYMENT_SANDBOX_ENABLED", True))


def sandbox_duplicates() -> int:
    """How many times the sandbox sends each callback (0 = it gets lost)."""
    return int(getattr(settings, "VMO_PAYMENT_SANDBOX_DUPLICATES", 2))


def public_base_url() -> str:
    return str(getattr(settings, "VMO_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def order_ttl_minutes() -> int:
    return int(getattr(settings, "VMO_PAYMENT_ORDER_TTL_MINUTES", 120))


def tasks_eager() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True))


def provider(name: str) -> dict:
    """An office's account at a real provider (VMO_PAYMENT_WECHAT / VMO_PAYMENT_ALIPAY):
    identifiers, paths of its keys outside the repository, the API base URL."""
    return dict(getattr(settings, f"VMO_PAYMENT_{name.upper()}", None) or {})


def read_secret(path: str) -> str:
    """A key or certificate the office keeps outside the repository (a mounted secret)."""
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()
