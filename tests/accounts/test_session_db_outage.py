"""A session save that cannot reach the database is a 503, not a 400 (issue 14: a signed-in
request whose session save met a database that had just gone away was answered "bad request",
because Django's store turns every database error on saving into UpdateError, which
SessionMiddleware answers with a 400). The database is made unreachable for real: the
connection is closed and pointed at a port where nothing listens.

PostgreSQL only (`postgresql` mark): SQLite has no server to lose."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection

from tests.faults.servers import closed_port

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]
ENGINES = ["vmo.accounts.sessions.db", "vmo.accounts.sessions.cached_db"]


@pytest.fixture
def database_away():
    port = connection.settings_dict["PORT"]

    def away():
        connection.close()
        connection.settings_dict["PORT"] = closed_port()

    yield away
    connection.close()
    connection.settings_dict["PORT"] = port


def _loaded_session(engine: str):
    store_class = import_module(engine).SessionStore
    first = store_class()
    first["step"] = 1
    first.create()
    store = store_class(session_key=first.session_key)
    assert store["step"] == 1  # loaded while the database is there
    store["step"] = 2
    return store


@pytest.mark.parametrize("engine", ENGINES)
def test_saving_with_the_database_away_raises_the_database_error(engine, database_away):
    store = _loaded_session(engine)
    database_away()
    with pytest.raises(OperationalError) as caught:
        store.save()
    assert not isinstance(caught.value, UpdateError)  # the error page answers it with a 503


@pytest.mark.parametrize("engine", ENGINES)
def test_a_session_deleted_meanwhile_is_still_an_update_error(engine):
    store = _loaded_session(engine)
    Session.objects.all().delete()  # signed out on another device
    with pytest.raises(UpdateError):
        store.save()


def test_the_settings_use_these_stores(settings):
    assert settings.SESSION_ENGINE in ENGINES
