"""Production settings pass Django's deployment checklist and send the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "vmo.settings.production",
    "DJANGO_SECRET_KEY": "k3J9$wq!vX2#pL8@zR5^mN7&bT4*cY6(hF1)dG0-sA_eU+iO=Qz7Lp2Vn",
    "VMO_PII_KEYS": "p1:cHJvZHVjdGlvbi1rZXktMDEyMzQ1Njc4OWFiY2RlZg==",
    "VMO_PII_HASH_KEY": "production-hash-key",
    "DJANGO_ALLOWED_HOSTS": "vmo.example.cn",
}


def _manage(
    *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = (
        {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        | PRODUCTION_ENV
        | (extra_env or {})
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_check_deploy_has_no_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secrets():
    env = {"DJANGO_SECRET_KEY": ""}
    result = _manage("check", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_security_headers(client, settings):
    response = client.get("/healthz")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("choice", "missing"),
    [
        ({"VMO_IDENTITY_VERIFIER": "faceid"}, "VMO_FACEID_SECRET_ID"),
        ({"VMO_SMS_BACKEND": "alibaba"}, "VMO_SMS_ALIBABA_ACCESS_KEY_ID"),
        ({"EMAIL_BACKEND": "anymail.backends.mailgun.EmailBackend"}, "VMO_MAILGUN_API_KEY"),
    ],
)
def test_production_refuses_a_real_provider_without_its_account(choice, missing):
    result = _manage("check", extra_env=choice)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr
