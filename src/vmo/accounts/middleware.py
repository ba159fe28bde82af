"""Sessions that are not written on every request (issue 13).

`SESSION_SAVE_EVERY_REQUEST` wrote the session row on every signed-in request (a SELECT and a
BEGIN/UPDATE/COMMIT each time). Instead a live session is saved only when its data changes or,
to push its expiry on, when its last save is at least `REFRESH_EVERY` seconds old. The idle
timeout (`SESSION_COOKIE_AGE`) still ends a session nobody uses: counted from the last save, a
session ends between `SESSION_COOKIE_AGE - REFRESH_EVERY` and `SESSION_COOKIE_AGE` seconds after
its last request. "Sign out everywhere" does not depend on the store: it rotates the user's
session salt (`accounts.services.sessions_end_everywhere`), so every session's auth hash fails.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vmo.core import clock

REFRESH_EVERY = 60  # seconds
REFRESHED_KEY = "_vmo_refreshed"


class SessionRefreshMiddleware:
    """Listed after SessionMiddleware: it marks the session modified (so SessionMiddleware saves
    it and re-sends the cookie) at most once a minute, and only for a session that holds data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        if not session.modified and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response  # no session came and none was made: nothing to extend
        if not list(session.keys()):
            return response  # expired, flushed (signed out) or empty: nothing to keep alive
        now = int(clock.now().timestamp())
        # A session saved anyway (sign-in, a form's state) is stamped at no cost.
        if session.modified or now - int(session.get(REFRESHED_KEY, 0)) >= REFRESH_EVERY:
            session[REFRESHED_KEY] = now
        return response
