from __future__ import annotations

import pytest
import time_machine

from .helpers import NOW, owner_with_vehicle


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def owner(client):
    """A signed-in vehicle owner reading English, and their vehicle."""
    user, car = owner_with_vehicle()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user, car
