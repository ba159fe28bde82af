"""Security notices to the holder of an account: new sign-ins, password and phone changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock, crypto
from vmo.core.masking import mask_phone
from vmo.notices.services import device_seen, notify
from vmo.registry import selectors as registry
from vmo.registry.services import person_update_contact

from ..models import User

if TYPE_CHECKING:
    from vmo.registry.models import Person

# --- Security notices -------------------------------------------------------------------------


def _local_time() -> str:
    return clock.now().strftime("%Y-%m-%d %H:%M")


def _device_label(user_agent: str) -> str:
    """A coarse browser / system name: enough for the holder to recognise it."""
    agent = user_agent.lower()
    browser = next(
        (
            name
            for key, name in (
                ("edg", "Edge"),
                ("micromessenger", "WeChat"),
                ("firefox", "Firefox"),
                ("chrome", "Chrome"),
                ("safari", "Safari"),
            )
            if key in agent
        ),
        "",
    )
    system = next(
        (
            name
            for key, name in (
                ("android", "Android"),
                ("iphone", "iOS"),
                ("ipad", "iOS"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if key in agent
        ),
        "",
    )
    return " / ".join(part for part in (browser, system) if part) or _("an unknown device")


def signin_notice(*, user: User, user_agent: str) -> bool:
    """Record the sign-in's device; tell the holder when the device is new. True if told.

    A device is its browser-and-system string under a keyed hash (no agent string is kept).
    The first sign-in (at sign-up) only records the device. Kept with the notice preferences.
    """
    device = crypto.keyed_hash(user_agent.strip(), purpose="account.device")[:32]
    with transaction.atomic():
        if device_seen(user=user, device=device) != "new":
            return False
        notify(
            kind="accounts.new_signin",
            context={"time": _local_time(), "device": str(_device_label(user_agent))},
            dedup_key=f"accounts.new_signin:{user.pk}:{device}",
            user=user,
            respect_quiet_hours=False,
        )
    return True


def _password_changed_notice(user: User) -> None:
    now = clock.now()
    notify(
        kind="accounts.password_changed",
        context={"time": _local_time()},
        dedup_key=f"accounts.password_changed:{user.pk}:{now.isoformat()}",
        user=user,
    )


@transaction.atomic
def account_phone_change(*, actor: User, person: Person, phone: str, user: Any = None) -> Person:
    """Change a person's mobile number and tell them: by SMS at the OLD number (a stolen
    account must not silence its owner) and in the inbox. Use it for every phone change."""
    old = registry.person_for_update(pk=person.pk).phone
    person = person_update_contact(actor=actor, person=person, phone=phone)
    if old and old != person.phone:
        holder = user if user is not None else User.objects.filter(person=person).first()
        now = clock.now()
        notify(
            kind="accounts.phone_changed",
            context={
                "old": mask_phone(old),
                "new": mask_phone(person.phone),
                "time": _local_time(),
            },
            dedup_key=f"accounts.phone_changed:{person.pk}:{now.isoformat()}",
            user=holder,
            phone=old,
            respect_quiet_hours=False,
        )
    return person
