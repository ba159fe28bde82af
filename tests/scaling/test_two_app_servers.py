"""Two app servers behind one database and one Redis behave as one site (issue 13,
docs/scaling.md): what one server does, the other knows.

The test serves the product twice with gunicorn (one worker each, so each server is one
process with its own memory), on the test database and on a Redis of its own, and checks:

- **sessions**: signed in on server A, the same cookie is signed in on server B; signed out on
  B, it is signed out on A too;
- **rate limits**: the API's sign-in limit (10 a minute from one address) counts the calls made
  to both servers together, so the 11th call is refused whichever server it reaches;
- **cache**: an office setting changed by a third process (this test, as an administrator's
  request on another server would) reaches both servers' public pages, which they serve from
  the shared page cache, within the local hold of the configuration (10 s) and not later.

PostgreSQL only: an app server is a process of its own, and the test database must be one
that other processes can open (SQLite's test database is in memory).
Repeat: DATABASE_URL=postgres://postgres@127.0.0.1:5432/vmo_x \\
  .venv/bin/pytest -p no:xdist tests/scaling/test_two_app_servers.py -q -s
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request

import pytest
from django.db import connection

from tests.conftest import IN_CI
from tests.factories import CitizenFactory
from tests.faults.appserver import Gunicorn
from tests.faults.http import Browser, get
from tests.faults.redisnode import OwnRedis
from vmo.core import cachesafe
from vmo.core.selectors import LOCAL_TTL
from vmo.core.services import office_config_update

pytestmark = [pytest.mark.postgresql, pytest.mark.serial, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-Horse-42"  # CitizenFactory's
TOKEN_LIMIT = 10  # the API's sign-in throttle: 10 a minute from one client (api/accounts.py)


@pytest.fixture(scope="module")
def shared_redis(tmp_path_factory):
    """A Redis of the test's own, which the two servers and this process share."""
    if not shutil.which("redis-server"):
        if IN_CI:
            pytest.fail("redis-server is required in CI")
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis
    redis.kill()


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, shared_redis, tmp_path_factory):
    """Started once for the module (two workers booting Django take most of a test's time)."""
    with django_db_blocker.unblock():
        db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    logs = tmp_path_factory.mktemp("servers")
    started = []
    try:
        for name in ("a", "b"):
            started.append(
                Gunicorn(url, logs / f"{name}.log", redis_url=shared_redis.url(), workers=1)
            )
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture(autouse=True)
def same_cache(shared_redis, settings):
    """This process uses the servers' Redis too (a third app server, in effect)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": shared_redis.url(),
            "OPTIONS": settings.REDIS_OPTIONS,
        }
    }
    cachesafe.reset()
    yield
    cachesafe.reset()


def _on(server: Gunicorn, browser: Browser) -> Browser:
    """The same browser (its cookies) pointed at another server."""
    other = Browser(server.base)
    other.cookies, other.opener = browser.cookies, browser.opener
    return other


def _sign_out(browser: Browser) -> int:
    page = browser.get("/me/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    assert token, page.body[:2000]
    request = urllib.request.Request(  # noqa: S310 - loopback
        browser.base + "/accounts/logout/",
        data=f"csrfmiddlewaretoken={token.group(1)}".encode(),
        method="POST",
    )
    try:
        with browser.opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_session_made_on_one_server_is_signed_in_and_out_on_the_other(servers):
    a, b = servers
    citizen = CitizenFactory()
    on_a = Browser(a.base)
    assert on_a.sign_in(citizen.person.phone, PASSWORD) == 302
    on_b = _on(b, on_a)
    assert on_a.get("/me/").status == 200
    assert on_b.get("/me/").status == 200, "server B does not know A's session"

    assert _sign_out(on_b) == 302
    assert on_b.get("/me/").status == 302
    answer = on_a.get("/me/")
    assert answer.status == 302, "signed out on B, still signed in on A"


def _token_call(server: Gunicorn, n: int) -> int:
    body = json.dumps({"identifier": f"1390000{n:04d}", "password": "Wrong-Password-1"})
    request = urllib.request.Request(  # noqa: S310 - loopback
        server.base + "/api/v1/auth/token",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_rate_limit_counts_the_calls_made_to_both_servers(servers):
    a, b = servers
    answers = [_token_call((a, b)[n % 2], n) for n in range(TOKEN_LIMIT)]
    assert answers == [401] * TOKEN_LIMIT  # wrong passwords, each counted
    # Each server alone has seen only half the limit: a limit kept per server would let these in.
    assert _token_call(a, 100) == 429
    assert _token_call(b, 101) == 429


def _address_seen(server: Gunicorn, text: str) -> bool:
    page = get(server.base + "/", language="en")
    assert page.status == 200
    return text in page.body


def test_a_setting_changed_elsewhere_reaches_both_servers_cached_pages(servers):
    a, b = servers
    old = "North Beijing Road, the service hall"
    office_config_update(actor=None, hall_address_en=old)
    deadline = time.monotonic() + LOCAL_TTL + 5
    while not (_address_seen(a, old) and _address_seen(b, old)):
        assert time.monotonic() < deadline, "the servers never showed the first address"
        time.sleep(0.5)
    for server in (a, b):  # now served from the shared page cache, twice each
        assert _address_seen(server, old) and _address_seen(server, old)

    new = "12 Yanan Road, the new service hall"
    changed = time.monotonic()
    office_config_update(actor=None, hall_address_en=new)
    seen: dict[str, float] = {}
    while len(seen) < 2 and time.monotonic() - changed < LOCAL_TTL + 5:
        for name, server in (("a", a), ("b", b)):
            if name not in seen and _address_seen(server, new):
                seen[name] = time.monotonic() - changed
        time.sleep(0.2)
    print("CACHE", json.dumps({k: round(v, 2) for k, v in seen.items()}))
    assert set(seen) == {"a", "b"}, f"only {sorted(seen)} showed the new address"
    # And it stays: a page rendered from a stale copy must not have been cached for later.
    time.sleep(1)
    for server in (a, b):
        for _ in range(3):
            assert _address_seen(server, new) and not _address_seen(server, old)
