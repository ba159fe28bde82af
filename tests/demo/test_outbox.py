"""Finding 7 of issue 15: in the embedded default a newcomer reads the sign-up code on a demo
outbox page linked from the sign-up page; never in production."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.factories import PersonFactory, make_id_number, make_phone
from vmo.accounts import services
from vmo.notices.selectors import latest_sms_to

pytestmark = pytest.mark.django_db

CONSOLE = {
    "VMO_DEMO_OUTBOX": True,
    "VMO_SMS_BACKEND": "console",
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
}
SRC = str(Path(__file__).resolve().parents[2] / "src")


def _settings_value(module: str, name: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VMO_", "DJANGO_"))}
    code = f"import importlib; print(getattr(importlib.import_module('{module}'), '{name}'))"
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": SRC, **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@override_settings(**CONSOLE)
def test_the_sign_up_code_is_on_the_demo_outbox_linked_from_sign_up(client):
    phone = make_phone(71)
    person = PersonFactory(name="张伟", id_number=make_id_number(71), phone=phone)
    services.signup_start(name=person.name, id_number=person.id_number, phone=phone)
    code = re.search(r"(?<!\d)\d{6}(?!\d)", latest_sms_to(phone).body).group(0)

    signup = client.get("/accounts/signup/").content.decode()
    assert 'href="/demo/outbox/"' in signup
    page = client.get("/demo/outbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert code in html
    assert phone not in html  # the number is masked even here
    assert phone[-4:] in html


@pytest.mark.parametrize(
    "overrides",
    [
        {"VMO_DEMO_OUTBOX": False},
        {"VMO_SMS_BACKEND": "http"},
        {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
    ],
    ids=["off", "real-sms-gateway", "real-smtp"],
)
def test_no_outbox_and_no_link_unless_both_backends_are_the_console(client, overrides):
    with override_settings(**{**CONSOLE, **overrides}):
        assert client.get("/demo/outbox/").status_code == 404
        if overrides.get("VMO_DEMO_OUTBOX") is False:
            assert "/demo/outbox/" not in client.get("/accounts/signup/").content.decode()


def test_make_run_has_the_outbox_and_production_never_does():
    assert _settings_value("vmo.settings.dev", "VMO_DEMO_OUTBOX") == "True"
    assert _settings_value("vmo.settings.dev", "VMO_DEMO_OUTBOX", VMO_SMS_BACKEND="http") == "False"
    production = {
        "DJANGO_SECRET_KEY": "x" * 50,
        "VMO_PII_HASH_KEY": "y" * 32,
        "VMO_PII_KEYS": "k1:ZGV2LW9ubHktcGlpLWtleS0wMTIzNDU2Nzg5YWJjZGU=",
        "VMO_DEMO_OUTBOX": "1",
    }
    assert _settings_value("vmo.settings.production", "VMO_DEMO_OUTBOX", **production) == "False"
