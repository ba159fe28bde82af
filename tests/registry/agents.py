"""Recording an agent's authorisation in tests, through the registry's own service."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from PIL import Image

from vmo.core import clock
from vmo.registry.services import agent_authorise


def letter_png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def authorise(company, person, *, valid_from: date | None = None, valid_until: date | None = None):
    today = clock.today()
    return agent_authorise(
        actor=None,
        company=company,
        person=person,
        letter=letter_png(),
        letter_content_type="image/png",
        letter_extension=".png",
        valid_from=valid_from or today - timedelta(days=1),
        valid_until=valid_until or today + timedelta(days=30),
    )
