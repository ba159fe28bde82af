"""The current request's id, so history rows and log lines can be tied to one request."""

from __future__ import annotations

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
