"""The error pages: styled, in the reader's language, with the header, a way back and the
request id to quote to the service phone.

A 500 or 503 may come from the database or the cache being away, so rendering them must not
need either: if the page cannot be rendered with the request's context (the office
configuration, the signed-in user), it is rendered again from defaults, without them.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from .cachesafe import COOL_OFF, CountersAway
from .models import OfficeConfig
from .requestctx import current_request_id

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again when a dependency is down (503).
RETRY_AFTER_SECONDS = 30
DEPENDENCY_ERRORS = (OperationalError, InterfaceError)


def _render(request: HttpRequest, template: str, status: int, *, dependable: bool = True) -> str:
    context = {"status": status, "request_id": current_request_id.get() or ""}
    if dependable:
        try:
            return render_to_string(template, {**context, "error_page": True}, request=request)
        except Exception:  # noqa: BLE001 - whatever broke, the error page must still answer
            logger.warning("error page %s rendered without context", status, exc_info=True)
    # No request: no context processors, so no database, cache or session is read.
    bare = {**context, "error_page": True, "bare": True, "office": OfficeConfig()}
    return render_to_string(template, bare)


def _response(
    request: HttpRequest, template: str, status: int, *, dependable: bool = True
) -> HttpResponse:
    return HttpResponse(_render(request, template, status, dependable=dependable), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _response(request, "errors/400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _response(request, "errors/403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _response(request, "errors/404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was sent without (or with a stale) security token: usually an old tab."""
    return _response(request, "errors/403_csrf.html", 403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when the database or the rate-limit counters could not be
    reached."""
    exception = sys.exc_info()[1]
    if isinstance(exception, CountersAway):
        # Sign-in, codes and checks are counted; uncounted they are refused, and say so.
        if request.path.startswith("/api/"):  # the API's error shape (vmo.api.errors)
            message = _(
                "Requests cannot be counted right now, so they are refused. Try again in a minute."
            )
            item = {"field": None, "code": "limits_unavailable", "message": str(message)}
            refused: HttpResponse = JsonResponse({"errors": [item]}, status=503)
        else:
            refused = _response(request, "errors/503_limits.html", 503)
        refused["Retry-After"] = str(int(COOL_OFF * 2))
        return refused
    if isinstance(exception, DEPENDENCY_ERRORS):
        response = _response(request, "errors/503.html", 503, dependable=False)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _response(request, "errors/500.html", 500)
