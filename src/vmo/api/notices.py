"""The citizen's messages: list, unread count, read one, mark read, notice preferences.

Another citizen's message is a 404 (never a hint that it exists). Officers are refused (403).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from vmo.notices import selectors, services

from .auth import AUTH, citizen_person, user_throttle
from .errors import ApiError, not_found_message
from .inputs import In, TimeOfDay, both_or_neither
from .pagination import BoundedPagination
from .schemas import ErrorOut

router = Router(tags=["messages"], auth=AUTH, throttle=user_throttle())
REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
FOUND = {**REFUSALS, 404: ErrorOut}


class MessageOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None

    # In the language of the request (Accept-Language), rendered from the kept values.
    @staticmethod
    def resolve_subject(obj: Any) -> str:
        return selectors.shown(obj).subject

    @staticmethod
    def resolve_body(obj: Any) -> str:
        return selectors.shown(obj).body


class UnreadOut(Schema):
    unread: int


class MarkReadIn(In):
    ids: list[int] | None = None


class MarkedOut(Schema):
    marked: int


Language = Literal["zh-hans", "en"]  # vmo.notices.services.preferences.LANGUAGES
NoticeGroup = Literal[
    "account",
    "applications",
    "licence",
    "vehicle",
    "violations",
    "appointments",
    "education",
    "warnings",
]  # vmo.notices.kinds.Group
NoticeChannel = Literal["inapp", "sms", "email"]  # vmo.notices.choices.Channel


class PreferencesIn(In):
    """Quiet hours: both ends or neither (no SMS between them; in-app always)."""

    model_config = ConfigDict(json_schema_extra=both_or_neither("quiet_from", "quiet_to"))

    language: Language
    channels: dict[NoticeGroup, list[NoticeChannel]] = Field(
        default_factory=dict, description="Channels per group of notices; in-app is always on."
    )
    quiet_from: TimeOfDay | None = None
    quiet_to: TimeOfDay | None = None


class PreferencesOut(Schema):
    language: str
    channels: dict[str, list[str]]
    quiet_from: time | None
    quiet_to: time | None


def _user(request: HttpRequest) -> Any:
    citizen_person(request)
    return request.auth  # type: ignore[attr-defined]


@router.get("/", response={200: list[MessageOut], **REFUSALS}, summary="My messages, newest first")
@paginate(BoundedPagination)
def message_list(request: HttpRequest) -> Any:
    return selectors.inbox_for(_user(request))


@router.get("/unread-count", response={200: UnreadOut, **REFUSALS}, summary="Unread messages")
def unread(request: HttpRequest) -> Any:
    return {"unread": selectors.unread_count(_user(request))}


@router.post("/read", response={200: MarkedOut, **REFUSALS, 422: ErrorOut}, summary="Mark read")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> Any:
    """Mark the listed messages read (only the caller's own count), or all when ids is null."""
    return {"marked": services.inbox_mark_read(user=_user(request), message_ids=payload.ids)}


@router.get("/preferences", response={200: PreferencesOut, **REFUSALS}, summary="My preferences")
def preferences_get(request: HttpRequest) -> Any:
    preference = selectors.preference_for(_user(request))
    if preference is None:
        return {"language": "zh-hans", "channels": {}, "quiet_from": None, "quiet_to": None}
    return preference


@router.put(
    "/preferences", response={200: PreferencesOut, **REFUSALS, 422: ErrorOut}, summary="Change"
)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> Any:
    return services.preference_update(
        user=_user(request),
        language=payload.language,
        channels={str(group): chosen for group, chosen in payload.channels.items()},
        quiet_from=payload.quiet_from,
        quiet_to=payload.quiet_to,
    )


@router.get("/{message_id}", response={200: MessageOut, **FOUND}, summary="One message")
def message_detail(request: HttpRequest, message_id: int) -> Any:
    user = _user(request)
    message = selectors.inbox_message(user, message_id)
    if message is None:
        raise ApiError(404, "not_found", not_found_message())
    if message.read_at is None:
        services.inbox_mark_read(user=user, message_ids=[message.pk])
        message.refresh_from_db(fields=["read_at"])
    return message
