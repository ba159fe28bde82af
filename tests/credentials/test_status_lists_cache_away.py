"""With the cache away (a Redis nobody listens on: a real refused connection), a status change
still goes through and the verifier's list still answers, computed from the database: dropping
the cached lists runs inside the registry's transaction (the event's row being saved), and a
cache error there failed the suspension itself."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.faults.servers import closed_port
from vmo.core import cachesafe
from vmo.credentials import selectors
from vmo.registry import services as registry

pytestmark = pytest.mark.django_db


def test_a_suspension_goes_through_and_is_listed_while_the_cache_is_away(holder, frozen):
    _user, licence, _car = holder
    away = {
        "default": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    try:
        with override_settings(CACHES=away):
            registry.licence_set_flags(licence=licence, actor=None, add="D", reason="decision")
            listed = selectors.status_list("dl")
    finally:
        cachesafe.reset()
    licence.refresh_from_db()
    assert "D" in licence.status
    assert selectors.bit_set(selectors.decode_bits(str(listed["encodedList"])), licence.pk)
