"""Shared fixtures. Services (Redis, RabbitMQ) are used for real; a test that needs one skips
when it is down, except in CI (CI=true), where a missing service fails the run."""

from __future__ import annotations

import os
import socket

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

IN_CI = os.environ.get("CI", "").lower() == "true"

# Property tests judge results, not speed: on a machine busy with the other test process (or
# other builds) generating inputs can take seconds, which says nothing about the code.
hypothesis_settings.register_profile(
    "vmo", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("vmo")
pytest_plugins = ["tests.browser"]


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        "live_server" in fixtures
        or "transactional_db" in fixtures
        or bool(marker and marker.kwargs.get("transaction"))
    )


ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselected = []
    for item in items:
        # Row locks between processes exist only on PostgreSQL: such tests are not collected
        # on SQLite (deselected, not skipped: CI runs them in its PostgreSQL pass).
        if item.get_closest_marker("postgresql") and not ON_POSTGRESQL:
            deselected.append(item)
            continue
        if _is_transactional(item):
            # Transactional tests empty every table when they finish, the data that migrations
            # load included: each restores it (serialized rollback), and `make test` runs them
            # in a second phase of their own so that no other test sees an emptied table.
            item.add_marker(pytest.mark.serial)
            marker = item.get_closest_marker("django_db")
            kwargs = dict(marker.kwargs) if marker else {}
            if not kwargs.get("serialized_rollback"):
                kwargs.update(transaction=True, serialized_rollback=True)
                item.add_marker(pytest.mark.django_db(**kwargs), append=False)
            if "live_server" not in getattr(item, "fixturenames", ()) or "/faults/" in str(
                item.fspath
            ):
                # Not a browser test (or a fault test): it forks dozens of processes, starts or
                # breaks servers of its own. Such tests failed on PostgreSQL when they shared the
                # machine with the other worker's fault test or browser tests, or ran in a worker
                # process that had served browser tests (connections closed under them, races
                # that never finished), so `make test` runs them last, one at a time, in a
                # process of their own.
                item.add_marker(pytest.mark.alone)
        if "tests/e2e/" in str(item.fspath) or "page_factory" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


def service_available(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str = "127.0.0.1", port: int = 0) -> None:
    """Skip without the service; in CI fail instead, so a skipped check cannot pass as green."""
    if service_available(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message} (required in CI)")
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    require_service("Redis", port=6379)
    return "redis://127.0.0.1:6379/15"


@pytest.fixture
def rabbitmq_url() -> str:
    require_service("RabbitMQ", port=5672)
    return "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture(autouse=True)
def _default_language():
    # A test that switches language must not leak it into the next one.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Office configuration and rate-limit counters live in the cache (and the configuration in
    # the process for a few seconds): no test sees another's.
    from vmo.core.selectors import office_config_forget

    cache.clear()
    office_config_forget()
    yield
    cache.clear()
    office_config_forget()


@pytest.fixture
def english():
    """Service-level tests that read messages in English (the pages' tests cover Chinese)."""
    with translation.override("en"):
        yield
