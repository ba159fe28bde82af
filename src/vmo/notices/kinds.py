"""The catalogue of personal notices (告知): each kind defined once, where its cause lives.

Every app declares its kinds in its own ``notice_kinds.py`` with :func:`register`; the notices
app imports those modules when Django starts (``NoticesConfig.ready``), so the registry is
complete before any service raises a notice. A kind's texts are translatable strings with named
``%(placeholders)s``: rendering with a missing variable raises, so a test that fires the kind
with its real trigger fails before a citizen's phone gets a broken text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Channel


class Trigger(models.TextChoices):
    EVENT = "event", _("raised by a service when a record changes")
    SCAN = "scan", _("found by a scheduled scan of the records")


class Group(models.TextChoices):
    """Preference groups: a citizen chooses channels per group."""

    ACCOUNT = "account", _("Account and security")
    APPLICATIONS = "applications", _("Applications and documents")
    LICENCE = "licence", _("Driving licence")
    VEHICLE = "vehicle", _("Vehicles")
    VIOLATIONS = "violations", _("Violations and fines")
    APPOINTMENTS = "appointments", _("Appointments and exams")
    EDUCATION = "education", _("Study and education")
    WARNINGS = "warnings", _("Safety warnings")


@dataclass(frozen=True)
class NoticeKind:
    code: str  # "app.event", stable: dedup keys and statistics use it
    name: Promise
    group: Group
    trigger: Trigger
    # What causes it, in words, for the officers' catalogue page.
    trigger_text: Promise
    subject: Promise
    body: Promise
    # At most two SMS segments (140 characters) with the office's signature; "" = no SMS text.
    sms: Promise | str = ""
    channels: tuple[Channel, ...] = (Channel.IN_APP,)
    # A legal notice (a decision, a deadline with legal effect) cannot be switched off.
    mandatory: bool = False
    # An example context: the catalogue page previews with it and tests render every kind with it.
    example: Mapping[str, Any] = field(default_factory=dict)

    def render(self, context: Mapping[str, Any], language: str | None = None) -> dict[str, str]:
        """The subject, body and SMS text in ``language`` (the active language if None)."""
        with translation.override(language or translation.get_language()):
            return {
                "subject": str(self.subject) % context,
                "body": str(self.body) % context,
                "sms": str(self.sms) % context if self.sms else "",
            }


_KINDS: dict[str, NoticeKind] = {}


def register(*kinds: NoticeKind) -> None:
    for kind in kinds:
        if kind.code in _KINDS and _KINDS[kind.code] != kind:
            raise ValueError(f"notice kind {kind.code} is defined twice")
        _KINDS[kind.code] = kind


def get(code: str) -> NoticeKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(
            f"unknown notice kind {code!r}: register it in a notice_kinds module"
        ) from None


def all_kinds() -> list[NoticeKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def autodiscover() -> None:
    """Import every installed app's ``notice_kinds`` module (called once at start-up)."""
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.notice_kinds")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.notice_kinds":
                raise
