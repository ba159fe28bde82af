"""The bench's own routes: the product's, plus `/bench/hello/` (the framework's ceiling: a view
that renders nothing and reads nothing but the session and the user, when a session came).
Reached only with vmo.settings.bench; the product's URL map (vmo.urls) has no such route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import path

from vmo.urls import urlpatterns as product_urlpatterns

QUERIES_HEADER = "X-Bench-Queries"


def hello(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated  # reads the session and the user, if any
    return HttpResponse(b"hello" if not signed_in else b"hello, citizen", content_type="text/plain")


class QueryCountMiddleware:
    """Tells the bench how many SQL statements the request ran (a response header)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(count)
        return response


urlpatterns = [path("bench/hello/", hello), *product_urlpatterns]
