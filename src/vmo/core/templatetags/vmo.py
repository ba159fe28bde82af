"""Template filters used on every page (loaded as builtins)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from .. import masking
from ..money import format_fen

register = template.Library()


@register.filter
def fen(amount: int | None) -> str:
    return "" if amount is None else format_fen(int(amount))


@register.filter
def mask_id(value: str | None) -> str:
    return masking.mask_id_number(value or "")


@register.filter
def mask_phone(value: str | None) -> str:
    return masking.mask_phone(value or "")


@register.filter
def mask_name(value: str | None) -> str:
    return masking.mask_name(value or "")


@register.filter
def localised(obj: object, field: str) -> str:
    """obj.<field>_zh or obj.<field>_en for the active language."""
    suffix = "en" if (get_language() or "").startswith("en") else "zh"
    return str(getattr(obj, f"{field}_{suffix}", "") or getattr(obj, f"{field}_zh", ""))


@register.filter
def worked_on(item: object, user: object) -> bool:
    """Whether the user wrote, edited or submitted a reviewed item (vmo.core.review): lists
    offer the approve button only to those who may press it."""
    check = getattr(item, "worked_on", None)
    return bool(check(user)) if check is not None else False
