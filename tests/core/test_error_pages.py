"""Finding 6 of issue 15 (and issue 14's 500/503): error pages are styled, translated, carry the
header, a way back and the request id, and never Django's debug page."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _assert_product_page(response, *, status: int, lang: str, heading: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert 'class="site-header"' in html  # the header, as on every page
    assert 'href="/"' in html  # a way back
    assert "css/vmo.css" in html
    assert heading in html
    request_id = response["X-Request-ID"]
    assert request_id and request_id in html
    return html


@pytest.mark.parametrize(
    ("language", "lang", "heading"),
    [("zh-hans", "zh-Hans", "找不到该页面"), ("en", "en", "Page not found")],
)
def test_404_is_the_product_page_in_the_readers_language(client, language, lang, heading):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    html = _assert_product_page(response, status=404, lang=lang, heading=heading)
    assert "URLconf" not in html  # never the debug page with the URL list


def test_403_when_an_officer_opens_a_citizens_page(client):
    client.force_login(OfficerFactory())
    response = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en")
    _assert_product_page(response, status=403, lang="en", heading="You cannot see this page")


def test_csrf_failure_is_the_styled_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"identifier": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = _assert_product_page(response, status=403, lang="en", heading="The form has expired")
    assert "CSRF" not in html


def test_400_for_a_host_we_do_not_serve(client):
    response = client.get("/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="en")
    _assert_product_page(
        response, status=400, lang="en", heading="The request could not be understood"
    )


@pytest.mark.urls("tests.core.error_urls")
def test_500_is_the_styled_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/", HTTP_ACCEPT_LANGUAGE="en")
    html = _assert_product_page(
        response, status=500, lang="en", heading="Sorry, there is a problem with the service"
    )
    assert "a bug" not in html and "Traceback" not in html


@pytest.mark.urls("tests.core.error_urls")
def test_503_with_retry_after_when_the_database_is_down():
    client = Client(raise_request_exception=False)
    response = client.get("/test-db-down/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = _assert_product_page(response, status=503, lang="zh-Hans", heading="服务暂时不可用")
    assert int(response["Retry-After"]) > 0
    # Rendered without the database: no session-dependent navigation, still the header.
    assert "OperationalError" not in html


def test_make_run_settings_have_debug_off_unless_asked_for():
    """`make run` (vmo.settings.dev) serves without debug pages; DJANGO_DEBUG=1 turns them on."""
    code = "import django.conf as c; from vmo.settings import dev; print(dev.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    src = str(importlib.import_module("vmo").__path__[0].rsplit("/", 1)[0])
    off = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env={**env, "PYTHONPATH": src}, capture_output=True, text=True
    )
    on = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**env, "PYTHONPATH": src, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert off.stdout.strip() == "False", off.stderr
    assert on.stdout.strip() == "True", on.stderr
