"""A notice's context values kept as data, so an in-app message is rendered when it is read, in
the language its reader reads the site in then, not in the language of whoever acted.

What is kept is what the kind's texts are made from: codes, numbers and dates as they are, a
:class:`~vmo.core.phrases.Phrase` as its message id and values (said again in any language), a
lazy label (a choice's label, a business's name) in each of the site's languages, and for a
context given as a function of the language (values the registry keeps in both languages) the
values of each language. A row written before this, or one whose kind's texts no longer fit
its values, keeps the subject and body rendered when it was sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from vmo.core.phrases import Phrase

# Bumped if the shape changes; a row of another version is read from its stored text.
VERSION = 1


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _encode(value: Any) -> Any:
    if isinstance(value, Phrase):  # before str: a Phrase is one
        params = value.params
        return {
            "$phrase": value.msgid,
            "params": None if params is None else {k: _encode(v) for k, v in params.items()},
        }
    if isinstance(value, Promise):
        texts = {}
        for language in _languages():
            with translation.override(language):
                texts[language] = str(value)
        return {"$text": texts}
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return str(value)


def encode(context: Mapping[str, Any] | Callable[[str], Mapping[str, Any]]) -> str:
    """The context as JSON for the message's ``context`` column."""
    if callable(context):
        data: dict[str, Any] = {
            "v": VERSION,
            "by_language": {
                language: {k: _encode(v) for k, v in context(language).items()}
                for language in _languages()
            },
        }
    else:
        data = {"v": VERSION, "values": {k: _encode(v) for k, v in context.items()}}
    return json.dumps(data, ensure_ascii=False)


def _pick(texts: Mapping[str, Any], language: str) -> Any:
    for choice in (language, settings.LANGUAGE_CODE):
        if choice in texts:
            return texts[choice]
    return next(iter(texts.values()), "")


def _decode(value: Any, language: str) -> Any:
    if not isinstance(value, dict):
        return value
    if "$phrase" in value:
        params = value.get("params")
        decoded = None if params is None else {k: _decode(v, language) for k, v in params.items()}
        return Phrase(value["$phrase"], decoded)
    if "$text" in value:
        return _pick(value["$text"], language)
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    return value


def decode(text: str, language: str) -> dict[str, Any] | None:
    """The values for a reader of ``language``; None if the row kept none (or another shape)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return None
    by_language = data.get("by_language")
    values = _pick(by_language, language) if isinstance(by_language, dict) else data.get("values")
    if not isinstance(values, dict):
        return None
    return {k: _decode(v, language) for k, v in values.items()}
