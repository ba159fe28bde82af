from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .requestctx import current_request_id


class RequestIdMiddleware:
    """Gives each request an id (or keeps the proxy's X-Request-ID) for history and logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:36] if incoming else str(uuid.uuid4())
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PersonalNoStoreMiddleware:
    """Every answer given to someone who is signed in (a session or an API token) is personal:
    `Cache-Control: no-store, private`, so no shared proxy and no browser history keeps a
    citizen's pages, documents or API answers. Anonymous answers are left to the views
    (`core.pagecache` serves the public pages); the session is read only when its cookie came,
    so an anonymous page does not gain `Vary: Cookie` from this check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        stated = response.headers.get("Cache-Control", "")
        # A view that marked its answer `public` (keys, status lists) serves the same bytes to
        # everyone; one that already said no-store has said enough.
        if self._personal(request) and "public" not in stated and "no-store" not in stated:
            response.headers["Cache-Control"] = "no-store, private"
        return response

    @staticmethod
    def _personal(request: HttpRequest) -> bool:
        # An organisation's check API key (X-API-Key) gets a holder's data as a token does.
        if "HTTP_AUTHORIZATION" in request.META or "HTTP_X_API_KEY" in request.META:
            return True
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
