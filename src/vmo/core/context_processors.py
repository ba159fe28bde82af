from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .selectors import office_config


def office(request: HttpRequest) -> dict[str, Any]:
    # demo_outbox: pages that send a code link to the demo outbox (the view checks again).
    return {"office": office_config(), "demo_outbox": settings.VMO_DEMO_OUTBOX}
