"""Reads of the core."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.db.models import QuerySet

from .models import DataAccess, Event, OfficeConfig

OFFICE_CONFIG_CACHE_KEY = "vmo:office-config:v1"


def office_config() -> OfficeConfig:
    """The office's configuration, cached for a minute across processes (Redis in production)."""
    config = cache.get(OFFICE_CONFIG_CACHE_KEY)
    if config is None:
        config, _ = OfficeConfig.objects.get_or_create(pk=1)
        cache.set(OFFICE_CONFIG_CACHE_KEY, config, 60)
    return config


def events_for(subject: models.Model) -> QuerySet[Event]:
    return Event.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


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
