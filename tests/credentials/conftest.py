from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from tests.factories import CitizenFactory, LicenceFactory, VehicleFactory
from vmo.core.clock import OFFICE_TZ

NOW = datetime(2026, 5, 20, 10, 0, tzinfo=OFFICE_TZ)


@pytest.fixture(autouse=True)
def key_dir(tmp_path, settings):
    """Each test signs with keys of its own, in a directory outside the repository."""
    settings.VMO_CREDENTIAL_KEY_DIR = str(tmp_path / "keys")
    return tmp_path / "keys"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def holder(db):
    """A citizen with a C1 licence and one car in their name."""
    user = CitizenFactory()
    licence = LicenceFactory(holder=user.person)
    car = VehicleFactory(owner_person=user.person)
    return user, licence, car
