"""A citizen's choices: channels per group, quiet hours, language, known devices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock

from .. import kinds
from ..choices import Channel
from ..models import Preference

if TYPE_CHECKING:
    # notices sits below accounts: any user model of the project.
    from django.contrib.auth.base_user import AbstractBaseUser as User

LANGUAGES = ("zh-hans", "en")


def channels_for(*, definition: kinds.NoticeKind, preference: Preference | None) -> set[str]:
    """The channels a notice of this kind goes to for a citizen with these preferences.

    The in-app inbox always; the kind's own channels unless the citizen switched them off for
    the kind's group (a mandatory kind's channels cannot be switched off); e-mail when chosen.
    """
    defaults = {str(c) for c in definition.channels}
    chosen = None if preference is None else preference.channels.get(str(definition.group))
    wanted = set(defaults) if chosen is None else set(chosen)
    if definition.mandatory:
        wanted |= defaults
    if not definition.sms:
        wanted.discard(Channel.SMS)
    return wanted | {Channel.IN_APP}


def quiet_until(*, preference: Preference | None, moment: datetime) -> datetime | None:
    """The end of the citizen's quiet hours if ``moment`` falls in them, else None."""
    if preference is None or preference.quiet_from is None or preference.quiet_to is None:
        return None
    start, end = preference.quiet_from, preference.quiet_to
    local = clock.local(moment)
    now = local.timetz().replace(tzinfo=None)
    if start == end:
        return None
    inside = start <= now < end if start < end else (now >= start or now < end)
    if not inside:
        return None
    day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=clock.OFFICE_TZ)


# Where preference_of keeps a user's preferences for the rest of the request.
_CACHE = "_notice_preference_cache"


def preference_of(*, user: User | None) -> Preference | None:
    if user is None or not getattr(user, "pk", None):
        return None
    cached = getattr(user, _CACHE, False)
    if cached is None or isinstance(cached, Preference):
        return cached
    preference = Preference.objects.filter(user_id=user.pk).first()
    setattr(user, _CACHE, preference)
    return preference


def _language(preference: Preference | None) -> str:
    return preference.language if preference is not None else settings.LANGUAGE_CODE


@transaction.atomic
def preference_update(
    *,
    user: User,
    language: str,
    channels: Mapping[str, Iterable[str]],
    quiet_from: time | None = None,
    quiet_to: time | None = None,
) -> Preference:
    """Save a citizen's choices. Every problem is reported at once; nothing changes then."""
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGES:
        errors["language"] = [
            _("Choose one of the languages: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}
        ]
    groups = set(kinds.Group.values)
    known = set(Channel.values)
    clean: dict[str, list[str]] = {}
    for group, chosen in channels.items():
        chosen = list(chosen)
        if group not in groups:
            errors.setdefault("channels", []).append(
                _("There is no group of notices called %(group)s.") % {"group": group}
            )
            continue
        bad = sorted(set(chosen) - known)
        if bad:
            errors.setdefault("channels", []).append(
                _("Unknown channels: %(channels)s.") % {"channels": ", ".join(bad)}
            )
            continue
        clean[group] = sorted(set(chosen) | {Channel.IN_APP})
    if (quiet_from is None) != (quiet_to is None):
        errors["quiet_to"] = [_("Give both the start and the end of the quiet hours, or neither.")]
    elif quiet_from is not None and quiet_from == quiet_to:
        # A window that ends when it starts holds no time: no quiet hours.
        quiet_from = quiet_to = None
    if errors:
        raise ValidationError(errors)
    preference, _created = Preference.objects.select_for_update().get_or_create(user_id=user.pk)
    preference.language = language
    preference.channels = clean
    preference.quiet_from, preference.quiet_to = quiet_from, quiet_to
    preference.save()
    setattr(user, _CACHE, preference)
    return preference


KNOWN_DEVICES_KEPT = 20


@transaction.atomic
def device_seen(*, user: User, device: str) -> str:
    """Remember a sign-in device of the account: "first" (none known before: the sign-up's),
    "known", or "new" (the caller raises the new sign-in notice)."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user_id=user.pk)
    devices = list(preference.known_devices)
    if device in devices:
        return "known"
    preference.known_devices = [*devices, device][-KNOWN_DEVICES_KEPT:]
    preference.save(update_fields=["known_devices", "updated_at"])
    setattr(user, _CACHE, preference)
    return "new" if devices else "first"
