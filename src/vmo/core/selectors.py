"""Reads of the core."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import models
from django.db.models import QuerySet

from . import cachesafe
from .models import DataAccess, Event, OfficeConfig
from .subjects import OffDatabase, subject_ref

OFFICE_CONFIG_CACHE_KEY = "vmo:office-config:v1"


# Every page renders the office's configuration (a context processor): it is held in the
# process for a few seconds so a page does not wait on Redis for it (issue 13). A change is seen
# at once by the process that made it (office_config_forget) and within LOCAL_TTL by the others.
LOCAL_TTL = 10.0  # seconds
_local: dict[str, tuple[float, OfficeConfig]] = {}


def office_config() -> OfficeConfig:
    """The office's configuration: held in the process for LOCAL_TTL seconds, cached for a
    minute across processes (Redis in production), else read from the database; read from the
    database too when the cache is away (core.cachesafe)."""
    held = _local.get("config")
    now = time.monotonic()
    if held is not None and now - held[0] < LOCAL_TTL:
        return held[1]
    config = cachesafe.optional(cache.get, OFFICE_CONFIG_CACHE_KEY, default=None)
    if config is None:
        config, _ = OfficeConfig.objects.get_or_create(pk=1)
        cachesafe.optional(cache.set, OFFICE_CONFIG_CACHE_KEY, config, 60, default=None)
    _local["config"] = (now, config)
    return config


def office_config_forget() -> None:
    """Drop the configuration from this process and from the shared cache (after a change)."""
    office_config_drop_local()
    cache.delete(OFFICE_CONFIG_CACHE_KEY)


def office_config_drop_local() -> None:
    """Drop what this process holds (another process changed the configuration)."""
    _local.clear()


def events_for(subject: models.Model | OffDatabase) -> QuerySet[Event]:
    subject_type, subject_id = subject_ref(subject)
    return Event.objects.filter(subject_type=subject_type, subject_id=subject_id)


def key_history(*kinds: str) -> list[str]:
    """The recorded changes of signing keys of these kinds, oldest first, one line each (time,
    action, key id, how and by which system account): what the key commands' `history` prints."""
    rows = Event.objects.filter(subject_type__in=kinds).order_by("occurred_at", "id")
    return [
        "\t".join(
            [
                e.occurred_at.isoformat(),
                e.action,
                e.subject_id,
                str(e.after.get("via", "")),
                str(e.after.get("os_user", "")),
            ]
        )
        for e in rows
    ]


def data_accesses_for_person(person_id: int) -> QuerySet[DataAccess]:
    return DataAccess.objects.filter(person_id=person_id)


def events() -> QuerySet[Event]:
    """The append-only history, for scans that read it by action (notices of status letters)."""
    return Event.objects.all()


def data_accesses() -> QuerySet[DataAccess]:
    return DataAccess.objects.all()


def data_access_purpose_max() -> int:
    """How long the stated purpose of a look at personal data may be (forms check it)."""
    return int(DataAccess._meta.get_field("purpose").max_length or 0)
