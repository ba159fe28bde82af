"""A translated sentence that remembers what it was made from, so it can be said again in
another language: services that describe a change in words (an application's result) return
one; it reads as the text in the language active when it was made (the actor's), and a notice
renders it again in its reader's language from the message id and the values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext


class Phrase(str):
    msgid: str
    params: Mapping[str, Any] | None

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None) -> Phrase:
        self = super().__new__(cls, _render(msgid, params))
        self.msgid = msgid
        self.params = params
        return self

    def __mod__(self, params: Any) -> Phrase:
        return Phrase(self.msgid, params)

    def again(self) -> str:
        """The same sentence in the active language."""
        return _render(self.msgid, self.params)


def _render(msgid: str, params: Mapping[str, Any] | None) -> str:
    text = gettext(msgid)
    if params is None:
        return text
    return text % {k: v.again() if isinstance(v, Phrase) else v for k, v in params.items()}


def phrase(msgid: str) -> Phrase:
    """Use as ``_`` in a module whose sentences notices re-render: ``_("... %(day)s") % {...}``."""
    return Phrase(msgid)


def phrase_of(text: Any) -> Phrase:
    """A lazy text made elsewhere (a label, a condition's problem) as a Phrase: kept as its
    text in each language, and said again in its reader's."""
    return Phrase("%(text)s", {"text": text})


def again(value: Any) -> Any:
    """A Phrase in the active language; any other value as it is."""
    return value.again() if isinstance(value, Phrase) else value
