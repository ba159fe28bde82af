"""The one pagination of the API: every list answers pages of at most PAGE_SIZE_MAX rows, and a
page number beyond PAGE_MAX is refused with a 422 in the error shape before it reaches the
database (ninja's own class multiplies any int into an OFFSET PostgreSQL cannot hold: a 500).

No `from __future__ import annotations` here: ninja reads the Input annotations at run time.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 20
PAGE_SIZE_MAX = 100
# No list of the office comes near a million pages; a bound keeps OFFSET inside a bigint.
PAGE_MAX = 1_000_000


class BoundedPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1, le=PAGE_SIZE_MAX)

    def __init__(self, page_size: int = PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=PAGE_SIZE_MAX, **kwargs)
