"""One JSON shape for every error of the API, in the request's language:

    {"errors": [{"field": "phone", "code": "invalid", "message": "..."}, ...]}

Every field problem is listed at once. `field` is null for a problem with the request as a whole.
Messages reuse Django's own wording where it exists, so they are translated in every language
Django ships even before the project's catalogue is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from redis.exceptions import RedisError

from vmo.core.cachesafe import COOL_OFF, CountersAway

# The part of a pydantic location that names where the value came from, not which field.
_LOCATION_ROOTS = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "data"}


class ApiError(Exception):
    """Raised by handlers for a refusal that is not a field problem (403, 404, 409...)."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


class Conflict(Exception):
    """A well-formed request that the records' present state refuses (409), every reason listed:
    a number already taken, a pool that is empty now. Raised with the service's ValidationError."""

    def __init__(self, error: DjangoValidationError) -> None:
        super().__init__(str(error))
        self.error = error


def not_found_message() -> str:
    return _("Not found.")


def error_item(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"field": field, "code": code, "message": str(message)}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, items: Iterable[dict[str, Any]]
) -> HttpResponse:
    return api.create_response(request, {"errors": list(items)}, status=status)


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "unstorable_text":
        return _("%(fields)s: NUL characters and unpaired surrogates are not text.") % {
            "fields": ctx.get("fields", "")
        }
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _("Send a JSON object here.")
    if kind == "bool_type":
        return _("Send true or false.")
    if kind == "string_type":
        return _("Send text (a JSON string).")
    if kind == "list_type":
        return _("Send a list (a JSON array).")
    # ninja drops the rejected value from the error, so the message gives the limit only.
    if kind == "string_too_long":
        limit = int(ctx.get("max_length", 0))
        return ngettext(
            "Ensure this value has at most %(limit_value)d character.",
            "Ensure this value has at most %(limit_value)d characters.",
            limit,
        ) % {"limit_value": limit}
    if kind == "string_too_short":
        limit = int(ctx.get("min_length", 0))
        return ngettext(
            "Ensure this value has at least %(limit_value)d character.",
            "Ensure this value has at least %(limit_value)d characters.",
            limit,
        ) % {"limit_value": limit}
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge", ctx.get("gt", ""))
        }
    if kind in {"less_than_equal", "less_than"}:
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le", ctx.get("lt", ""))
        }
    if kind.startswith("date"):
        return _("Enter a valid date.")
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _("Enter a valid email address.")
    return _("Enter a valid value.")


def _field_of(loc: Iterable[Any]) -> str | None:
    parts = [str(p) for p in loc if not (isinstance(p, str) and p in _LOCATION_ROOTS)]
    return ".".join(parts) or None


def validation_items(exc: NinjaValidationError) -> list[dict[str, Any]]:
    return [
        error_item(
            str(err.get("type", "invalid")), _pydantic_message(err), _field_of(err.get("loc", ()))
        )
        for err in exc.errors
    ]


def django_validation_items(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            error_item(
                error.code or "invalid",
                " ".join(str(m) for m in error),
                None if name == "__all__" else name,
            )
            for name, errors in exc.error_dict.items()
            for error in errors
        ]
    return [
        error_item(error.code or "invalid", " ".join(str(m) for m in error))
        for error in exc.error_list
    ]


def install(api: NinjaAPI) -> None:
    """Replace ninja's default error bodies with ours, for every kind of refusal."""

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(api, request, 422, validation_items(exc))

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return error_response(api, request, 422, django_validation_items(exc))

    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return error_response(api, request, 409, django_validation_items(exc.error))

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(
            api, request, exc.status, [error_item(exc.code, exc.message, exc.field)]
        )

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        item = error_item("not_authenticated", _("Sign in, or send a valid API token."))
        response = error_response(api, request, 401, [item])
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait or 0) + 1
        message = ngettext(
            "Too many requests. Try again in %(seconds)d second.",
            "Too many requests. Try again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
        response = error_response(api, request, 429, [error_item("throttled", message)])
        response["Retry-After"] = str(wait)
        return response

    def on_permission(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            api,
            request,
            403,
            [error_item("permission_denied", _("You do not have permission to do this."))],
        )

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 404, [error_item("not_found", not_found_message())])

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Django would answer an HTML 400 (a traceback in development): keep the API's shape.
        message = _("The request is larger than %(size)s bytes.") % {
            "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        }
        return error_response(api, request, 413, [error_item("too_large", message)])

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        generic = {
            400: ("bad_request", _("The request could not be read. Send a valid JSON body.")),
            403: ("permission_denied", _("You do not have permission to do this.")),
            404: ("not_found", not_found_message()),
            405: ("method_not_allowed", _("This method is not allowed here.")),
        }
        code, message = generic.get(
            exc.status_code, ("error", _("The request could not be completed."))
        )
        return error_response(api, request, exc.status_code, [error_item(code, message)])

    def on_counters_away(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The rate limits (ours and ninja's throttles) count in the cache: without it they
        # refuse, and say why, rather than answer a bare 500.
        message = _(
            "Requests cannot be counted right now, so they are refused. Try again in a minute."
        )
        response = error_response(api, request, 503, [error_item("limits_unavailable", message)])
        response["Retry-After"] = str(int(COOL_OFF * 2))
        return response

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (CountersAway, on_counters_away),
        (RedisError, on_counters_away),
        (NinjaValidationError, on_validation),
        (DjangoValidationError, on_django_validation),
        (ApiError, on_api_error),
        (Conflict, on_conflict),
        (AuthenticationError, on_authentication),
        (Throttled, on_throttled),
        (RequestDataTooBig, on_too_big),
        (HttpError, on_http_error),
        (PermissionDenied, on_permission),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
