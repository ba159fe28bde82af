"""Free text that people type (names, addresses): refuse the characters that are not text.

Control characters (Unicode category Cc: NUL, escape, newlines in a one-line field...) and the
invisible characters that reorder text on screen (bidirectional embeddings, overrides, isolates and
marks, "Trojan Source") have no place in a recipient's name or a postal address: printed on an
envelope or shown to an officer they can make one address read as another. One rule, used by the
pages and the API alike through the services that clean these fields.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# U+061C Arabic letter mark, U+200E/F LRM/RLM, U+202A-U+202E embeddings and overrides,
# U+2066-U+2069 isolates; U+2028/U+2029 line and paragraph separators break a one-line field.
DIRECTION_CHARACTERS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


def unsafe_characters(value: str) -> list[str]:
    """The characters of `value` that are refused, each once, in order of appearance."""
    found: list[str] = []
    for ch in value:
        if (ch in DIRECTION_CHARACTERS or unicodedata.category(ch) == "Cc") and ch not in found:
            found.append(ch)
    return found


def check_plain_text(value: str, *, field: str) -> str | None:
    """The message naming `field` and the refused characters, or None when the text is plain."""
    found = unsafe_characters(value)
    if not found:
        return None
    return _(
        "%(field)s contains characters that are not allowed (control or text-direction"
        " characters: %(chars)s). Type it again without them."
    ) % {"field": field, "chars": ", ".join(f"U+{ord(ch):04X}" for ch in found)}


def validate_plain_text(value: str, *, field: str) -> None:
    message = check_plain_text(value, field=field)
    if message:
        raise ValidationError(message, code="unsafe_characters")


# --- Joining items and clauses in the active language ----------------------------------------
# English joins items with ", " and clauses with "; "; Chinese with the enumeration comma "、"
# and the full-width semicolon "；" (no space). A ", ".join(...) in code puts ASCII
# punctuation inside Chinese text, so lists shown to people are joined here.


def join_items(items: Iterable[object]) -> str:
    """Items of a list (labels, names, formats): "PDF, JPEG" / "PDF、JPEG"."""
    return pgettext("separator between the items of a list", ", ").join(str(i) for i in items)


def join_clauses(clauses: Iterable[object]) -> str:
    """Whole clauses or sentences without their full stop: "a; b" / "a；b"."""
    return pgettext("separator between clauses", "; ").join(str(c) for c in clauses)
