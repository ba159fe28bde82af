from django import template

from vmo.accounts.choices import OfficerRole

register = template.Library()


@register.filter
def officer_role(code: str) -> str:
    """An officer role code in words, in the active language."""
    try:
        return str(OfficerRole(code).label)
    except ValueError:
        return code
