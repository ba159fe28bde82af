"""Who acted, said in the reader's language when read. The history stores data (an officer's
name, which is the same in every language, and their role code); the words around it, "李娜
（受理员）" or "李娜 (clerk)", are rendered here. A Chinese name on a page in another language is
marked lang="zh-Hans" (screen readers, and the rule that English pages show no unmarked Han).
Rows written before the role was kept carry "name (role)" in the actor's language: the role is
read back from its label in any language."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .choices import OfficerRole

HAN = re.compile(r"[\u3400-\u9fff]")
_LEGACY = re.compile(r"^(?P<name>.*?)\s*[（(](?P<role>[^()（）]+)[)）]$")


def name_html(name: str) -> SafeString:
    """A person's name as written, marked Chinese (as the zh_name filter does)."""
    if HAN.search(name):
        return format_html('<span lang="zh-Hans">{}</span>', name)
    return conditional_escape(name)


def officer_html(name: str, role: str) -> SafeString:
    """An officer by name and role, the role in the active language."""
    try:
        label = str(OfficerRole(role).label)
    except ValueError:
        return name_html(name)
    if not name:  # an account without a name: its role, never its internal username
        return conditional_escape(label)
    return mark_safe(  # noqa: S308 - both parts escaped above
        _("%(name)s (%(role)s)") % {"name": name_html(name), "role": conditional_escape(label)}
    )


@cache
def _roles_by_label() -> dict[str, str]:
    found: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            found.update({str(label): code for code, label in OfficerRole.choices})
    return found


def event_actor_html(event: Any) -> SafeString:
    """Who made a history event, from its stored data."""
    if event.actor_id is None:
        return conditional_escape(_("the system"))
    if event.actor_role == "citizen":
        return conditional_escape(_("a citizen"))
    if event.actor_role:
        return officer_html(event.actor_label, event.actor_role)
    legacy = _LEGACY.match(event.actor_label or "")
    if legacy and (code := _roles_by_label().get(legacy["role"].strip())):
        return officer_html(legacy["name"], code)
    # An older row without a role is a citizen's, labelled by the account's internal username.
    return conditional_escape(_("a citizen"))
