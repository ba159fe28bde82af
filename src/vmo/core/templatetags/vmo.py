"""Template filters used on every page (loaded as builtins)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import masking
from ..money import format_fen
from ..plates import plate_text
from ..reasons import reason_text
from ..text import join_clauses as _join_clauses
from ..text import join_items as _join_items

register = template.Library()


@register.filter
def fen(amount: int | None) -> str:
    return "" if amount is None else format_fen(int(amount))


@register.filter
def join_items(values: object) -> str:
    """``{{ labels|join_items }}``: the list joined in the page's language (", " / "、")."""
    return _join_items(values or [])  # type: ignore[arg-type]


@register.filter
def join_clauses(values: object) -> str:
    """``{{ reasons|join_clauses }}``: clauses joined in the page's language ("; " / "；")."""
    return _join_clauses(values or [])  # type: ignore[arg-type]


@register.filter
def event_reason(reason: str | None) -> str:
    """``{{ event.reason|event_reason }}``: a reason the system wrote, in the page's language."""
    return reason_text(reason or "")


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


@register.filter
def plate(value: str | None) -> str:
    """A plate number written one way everywhere (新B·A7K21, issue 15) and marked as the
    Chinese proper name it is, kept on one line; a VIN (no Han character) is shown as is."""
    text = plate_text(value)
    if not text or not ("\u4e00" <= text[0] <= "\u9fff"):
        return text
    return format_html('<span lang="zh-Hans" class="plate-text">{}</span>', text)


@register.filter
def zh_name(value: str | None) -> str:
    """A person's or a place's Chinese name, marked so on pages in any language."""
    text = value or ""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return format_html('<span lang="zh-Hans">{}</span>', text)


_HAN_RUN = re.compile(
    r"[\u3400-\u9fff\uff08\uff09\u00b7]*[\u3400-\u9fff][\u3400-\u9fff\uff08\uff09\u00b7A-Z0-9?*]*"
)


@register.filter
def mark_chinese(value: object) -> str:
    """Text in the page's language with Chinese examples in it (hints like "e.g. 新BQ2468"):
    each Han run is marked lang="zh-Hans". Already-marked HTML is left as it is."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value  # type: ignore[return-value]
    escaped = str(conditional_escape(str(value)))
    return mark_safe(  # noqa: S308 - the text was escaped above; only our span is added
        _HAN_RUN.sub(lambda m: f'<span lang="zh-Hans">{m.group(0)}</span>', escaped)
    )
