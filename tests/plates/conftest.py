from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import CitizenFactory


@pytest.fixture
def citizen(db):
    return CitizenFactory()


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def _english():
    # Assertions read the English texts; Chinese is checked by the browser tests.
    translation.activate("en")
