from django import template

from vmo.accounts.choices import OfficerRole
from vmo.accounts.naming import event_actor_html, officer_html

register = template.Library()


@register.filter
def officer_role(code: str) -> str:
    """An officer role code in words, in the active language."""
    try:
        return str(OfficerRole(code).label)
    except ValueError:
        return code


@register.filter
def officer(name: str, role: str = "") -> str:
    """An officer's stored name and role code, said in the active language."""
    return officer_html(name, role)


@register.filter
def event_actor(event: object) -> str:
    """Who made a history event, in the active language (never an internal username)."""
    return event_actor_html(event)
