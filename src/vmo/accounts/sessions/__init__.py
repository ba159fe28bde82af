"""Session stores that let a database outage be one (503, Retry-After), not a 400.

Django's database store turns every DatabaseError on saving an existing session into
UpdateError, which SessionMiddleware answers as "session interrupted" with a 400: a signed-in
person whose request met a database that had just gone away was told their request was bad
(issue 14). Here an error reaching the database (OperationalError, InterfaceError) is raised
as itself, so the error page answers 503 and asks them to try again; a session that really was
deleted meanwhile (signed out elsewhere) still gives UpdateError.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError


class DatabaseAwaySaysSo:
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)  # type: ignore[misc]
        except UpdateError as exc:
            cause: Any = exc.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise
