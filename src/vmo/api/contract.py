"""The refusals every operation can give, declared once for the whole API.

errors.install makes every refusal one JSON shape (ErrorOut). Which refusals an operation can give
follows from what it is, not from its handler: one that reads a body can meet unreadable JSON
(400) or a body over the limit (413); one that needs a signed-in caller can answer 401 and 403
(a session without its CSRF token, an officer on a citizen's route); one with parameters can
answer 422 (a path segment that is not a number included); one behind a rate limit 429.
`declare_refusals` adds those to every operation, so the published schema states every status the
API can answer; a handler declares only what is its own (404 for a record, 409 for a conflict).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from .schemas import ErrorOut

# Why each status is answered, for the schema's readers.
REASONS = {
    400: "The body could not be read: not valid JSON, or not a readable form.",
    401: "Not signed in: no valid bearer token or session.",
    403: "Signed in, but not allowed: not a citizen's own account, an unverified account, or a"
    " session request without its CSRF token.",
    404: "No such record among yours (another person's record is a 404 too).",
    409: "The request conflicts with the record's present state.",
    413: "The request is larger than the upload limit.",
    415: "The body is not of a media type this operation reads.",
    422: "A parameter or a field is invalid: every problem is listed at once.",
    429: "Too many requests: wait for the seconds given in Retry-After.",
}
_BODY_SOURCES = {"body", "form", "file"}


def operations(api: NinjaAPI) -> Iterator[Operation]:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def refusals_of(operation: Operation) -> set[int]:
    """The statuses the API's own machinery can answer on this operation."""
    sources = {getattr(model, "__ninja_param_source__", None) for model in operation.models}
    codes: set[int] = set()
    if sources & _BODY_SOURCES:
        codes |= {400, 413}
    if sources - {None}:
        codes.add(422)
    if operation.auth_callbacks:
        codes |= {401, 403}
    if operation.throttle_objects:
        codes.add(429)
    return codes


def declare_refusals(api: NinjaAPI) -> None:
    """Add the refusals of every operation (after all routers are added) with the error shape."""
    for operation in operations(api):
        if not operation.include_in_schema:
            continue
        for code in refusals_of(operation):
            if code not in operation.response_models:
                operation.response_models[code] = operation._create_response_model(ErrorOut)
        extra: dict[str, Any] = copy.deepcopy(operation.openapi_extra or {})
        responses = extra.setdefault("responses", {})
        for code in operation.response_models:
            if code in REASONS:
                responses.setdefault(code, {}).setdefault("description", REASONS[code])
        operation.openapi_extra = extra
