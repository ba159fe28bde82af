from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from tests.factories import OfficerFactory
from vmo.core.clock import OFFICE_TZ

NOW = datetime(2025, 5, 14, 10, 0, tzinfo=OFFICE_TZ)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def editor(db):
    return OfficerFactory(role="editor", first_name="编辑甲")


@pytest.fixture
def reviewer(db):
    return OfficerFactory(role="editor", first_name="编辑乙")
