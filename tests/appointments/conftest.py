from __future__ import annotations

import pytest
import time_machine

from .helpers import NOW


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
