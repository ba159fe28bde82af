"""The catalogue of personal notices (告知): each kind defined once, where its cause lives.

Every app declares its kinds in its own ``notice_kinds.py`` with :func:`register`; the notices
app imports those modules when Django starts (``NoticesConfig.ready``), so the registry is
complete before any service raises a notice. A kind's texts are translatable strings with named
``%(placeholders)s``: rendering with a missing variable raises, so a test that fires the kind
with its real trigger fails before a citizen's phone gets a broken text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vmo.core.phrases import again

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
    # At most two SMS segments with the office's signature (Chinese: 134 characters, see
    # sms_segments); "" = no SMS text.
    sms: Promise | str = ""
    channels: tuple[Channel, ...] = (Channel.IN_APP,)
    # A legal notice (a decision, a deadline with legal effect) cannot be switched off.
    mandatory: bool = False
    # An example context: the catalogue page previews with it and tests render every kind with it.
    example: Mapping[str, Any] = field(default_factory=dict)
    # Who receives it, in words (the catalogue page shows it).
    audience: Promise | str = ""
    # How its dedup key is made, in words ("kind + licence + expiry date"): sent once per that.
    dedup_text: Promise | str = ""

    def render(self, context: Mapping[str, Any], language: str | None = None) -> dict[str, str]:
        """The subject, body and SMS text in ``language`` (the active language if None)."""
        with translation.override(language or translation.get_language()):
            # A value made in the actor's language (a Phrase) is said again in this one.
            context = {k: again(v) for k, v in context.items()}
            return {
                "subject": str(self.subject) % context,
                "body": str(self.body) % context,
                "sms": str(self.sms) % context if self.sms else "",
            }


# A notice's SMS, with the office's signature in front, fits in this many segments.
SMS_MAX_SEGMENTS = 2
# GSM 03.38 basic alphabet (plus the extension table, whose characters take two septets).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€")


def sms_segments(text: str) -> int:
    """How many SMS segments the text takes.

    GSM-7 text: 160 septets in one segment, 153 per segment when split (the rest is the
    concatenation header); extension characters count twice. Anything else is UCS-2:
    70 UTF-16 code units in one segment, 67 per segment when split; a character outside the
    basic plane (an emoji, a rare CJK ideograph) is two code units.
    """
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        septets = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


_KINDS: dict[str, NoticeKind] = {}
# Scheduled scans by code: func(day=date) -> number of notices written. Run daily by
# notices.tasks.scans_run (Celery beat) or `manage.py notices_scan`.
ScanFunc = Callable[..., int]
_SCANS: dict[str, ScanFunc] = {}


def register_scan(code: str, func: ScanFunc) -> ScanFunc:
    """Add a daily scan (any app may, from its ``notice_kinds`` or ``notice_scans`` module).

    The function takes ``day`` (keyword) and returns how many notices it wrote. It must find
    its subjects with set-based queries and write through ``services.notify_bulk`` (or
    ``notify``) with dedup keys, so that running it twice, or in two workers, sends nothing twice.
    """
    if code in _SCANS and _SCANS[code] is not func:
        raise ValueError(f"scan {code} is registered twice")
    _SCANS[code] = func
    return func


def all_scans() -> dict[str, ScanFunc]:
    return dict(sorted(_SCANS.items()))


def scan(code: str) -> Callable[[ScanFunc], ScanFunc]:
    """Decorator form of :func:`register_scan`."""

    def decorator(func: ScanFunc) -> ScanFunc:
        return register_scan(code, func)

    return decorator


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


@dataclass(frozen=True)
class SmsText:
    """An SMS sent straight to a phone, not raised as a notice (one-time codes and the like).

    Template providers need an approved template for it as for any notice kind that sends SMS,
    so it is registered too (:func:`register_sms`): the template catalogue lists both."""

    code: str
    sms: Promise
    # What it is for, in words, for the office that applies for its template.
    purpose: Promise | str = ""
    example: Mapping[str, Any] = field(default_factory=dict)


_SMS_TEXTS: dict[str, SmsText] = {}
_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def register_sms(*texts: SmsText) -> None:
    for text in texts:
        if text.code in _SMS_TEXTS and _SMS_TEXTS[text.code] != text:
            raise ValueError(f"SMS text {text.code} is defined twice")
        if text.code in _KINDS:
            raise ValueError(f"SMS text {text.code} is also a notice kind")
        _SMS_TEXTS[text.code] = text


def sms_text(code: str) -> SmsText:
    return _SMS_TEXTS[code]


def sms_params(text: Promise | str) -> tuple[str, ...]:
    """The variables an SMS text uses, in the order they appear: a template's parameters."""
    names: list[str] = []
    for name in _PLACEHOLDER.findall(str(text)):
        if name not in names:
            names.append(name)
    return tuple(names)


def sms_template_catalogue() -> dict[str, dict[str, Any]]:
    """Every kind that sends SMS, with the parameters its template takes and an example text.

    Each kind gets its own template: two texts never share one (a shared template would send
    one kind's parameters to the other's text, or none at all)."""
    catalogue: dict[str, dict[str, Any]] = {}
    for kind in all_kinds():
        if Channel.SMS in kind.channels and kind.sms:
            catalogue[kind.code] = {"text": kind.sms, "params": sms_params(kind.sms)}
    for code, text in sorted(_SMS_TEXTS.items()):
        catalogue[code] = {"text": text.sms, "params": sms_params(text.sms)}
    return catalogue


def autodiscover() -> None:
    """Import every installed app's ``notice_kinds`` and ``notice_scans`` modules (once, at
    start-up)."""
    for module in ("notice_kinds", "notice_scans"):
        for config in apps.get_app_configs():
            try:
                import_module(f"{config.name}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{module}":
                    raise
