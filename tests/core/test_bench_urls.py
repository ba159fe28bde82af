"""The bench's hello-world view and query counter exist only under the bench settings."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

BENCH = "vmo.settings.bench_urls"


def test_the_product_has_no_hello_route():
    with pytest.raises(Resolver404):
        resolve("/bench/hello/")
    assert resolve("/bench/hello/", urlconf=BENCH).func.__name__ == "hello"
    assert resolve("/me/", urlconf=BENCH).url_name == "my_status"  # the product's routes too


def test_hello_counts_its_queries(settings):
    settings.ROOT_URLCONF = BENCH
    settings.MIDDLEWARE = ["vmo.settings.bench_urls.QueryCountMiddleware", *settings.MIDDLEWARE]
    anonymous = Client().get("/bench/hello/")
    assert anonymous.content == b"hello" and anonymous["X-Bench-Queries"] == "0"
    client = Client()
    client.force_login(CitizenFactory(), backend="vmo.accounts.backends.IdentityBackend")
    client.get("/bench/hello/")  # the first one stamps the new session (one save)
    signed_in = client.get("/bench/hello/")
    assert signed_in.content == b"hello, citizen"
    assert int(signed_in["X-Bench-Queries"]) == 2  # the session row and the user (with person)
