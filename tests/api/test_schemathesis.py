"""Schemathesis over every operation of the published schema, in-process against the WSGI app:
unauthenticated and as a seeded citizen, every check, a fixed seed, a few examples each.

The schema's named formats (cn-id-number, vin, cn-plate) carry rules a pattern cannot state
(check digits, real birth dates); the strategies below make values that keep them, the way the
schema's descriptions say, so a "valid" request is valid by the office's rules too.
"""

from __future__ import annotations

import sys
import time

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from tests.factories import (
    CitizenFactory,
    LicenceFactory,
    VehicleFactory,
    make_id_number,
    make_plate,
    make_vin,
)
from vmo.accounts.services import api_token_create

CONFIG = {
    "seed": 20261203,
    "generation": {"max-examples": 5, "database": "none", "deterministic": True},
    "checks": {"enabled": True},
}

schemathesis.openapi.format("cn-id-number", st.integers(1, 10**6).map(make_id_number))
schemathesis.openapi.format("vin", st.integers(1, 10**6).map(make_vin))
# Ordinary (新B12345), small new-energy (新BD12345) and large new-energy (新B12345D) plates.
schemathesis.openapi.format(
    "cn-plate",
    st.one_of(
        st.integers(0, 99999).map(make_plate),
        st.tuples(st.sampled_from("DF"), st.integers(0, 99999)).map(
            lambda t: f"新B{t[0]}{t[1]:05d}"
        ),
        st.tuples(st.integers(0, 99999), st.sampled_from("DF")).map(
            lambda t: f"新B{t[0]:05d}{t[1]}"
        ),
    ),
)


def _schema():
    from vmo.api.api import api

    loaded = schemathesis.openapi.from_dict(
        api.get_openapi_schema(), config=SchemathesisConfig.from_dict(CONFIG)
    )
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()
# Runs in the PostgreSQL pass of CI (deselected on SQLite by tests/conftest.py): PostgreSQL is
# where a NUL or an out-of-range number would become a 500, and the run costs about two minutes.
pytestmark = pytest.mark.postgresql

TALLY = {"operations": set(), "requests": 0, "checks": 0, "started": time.monotonic()}


@schema.hook
def after_validate(context, case, response, results):
    TALLY["checks"] += len(results)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    seconds = time.monotonic() - TALLY["started"]
    sys.stderr.write(
        f"\nschemathesis: {len(TALLY['operations'])} operations, {TALLY['requests']} requests,"
        f" {TALLY['checks']} checks, {seconds:.0f} s\n"
    )


@pytest.fixture
def in_transaction():
    # As Django's test client does: the request signals must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def citizen_headers(db):
    citizen = CitizenFactory()
    LicenceFactory(holder=citizen.person)
    VehicleFactory(owner_person=citizen.person)
    raw, _ = api_token_create(user=citizen, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_api(case, who, citizen_headers, in_transaction):
    cache.clear()  # the rate limits are tested elsewhere: here every request reaches its handler
    headers = citizen_headers if who == "citizen" else {}
    response = case.call(headers=headers)
    TALLY["requests"] += 1
    TALLY["operations"].add(case.operation.label)
    case.validate_response(response, headers=headers)
