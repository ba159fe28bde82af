from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import office_config


def office(request: HttpRequest) -> dict[str, Any]:
    return {"office": office_config()}
