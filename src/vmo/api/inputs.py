"""The base of every request body: JSON read as the schema states it, nothing guessed.

ninja's Schema reads its input through attribute access (it is made for model instances), so a
body of `[null, null]` passed for an object read as an object with every field missing, and
pydantic's lax mode read `false` as the number 0 and "12" as 12. A body is refused (422) unless it
is a JSON object whose values have the declared JSON types; a time of day is the one string
parsed (JSON has no time type: the schema says `format: time`).

No `from __future__ import annotations` here: pydantic reads the annotations at run time.
"""

import re
from datetime import time
from typing import Annotated, Any

from ninja import Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError


class In(Schema):
    model_config = ConfigDict(strict=True, from_attributes=False)

    # Same name as ninja's validator, so it replaces it: no attribute reading of a list.
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        if isinstance(values, dict):
            unstorable = sorted(str(k) for k, v in values.items() if _unstorable(v))
            if unstorable:
                raise PydanticCustomError(
                    "unstorable_text",
                    "{fields}: NUL characters and unpaired surrogates are not text.",
                    {"fields": ", ".join(unstorable)},
                )
            values = {k: _json_number(v) for k, v in values.items()}
        return handler(values)


# JSON has one number type: 10.0 is the integer 10 to JSON Schema, so it is to us (while
# true, "10" and 10.5 are not). Beyond 2**53 a float is no exact integer: left to be refused.
_EXACT = 2**53


def _json_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) <= _EXACT:
        return int(value)
    if isinstance(value, list):
        return [_json_number(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_number(v) for k, v in value.items()}
    return value


def _unstorable(value: Any) -> bool:
    """NUL (which PostgreSQL cannot store in text) or a lone surrogate (not encodable)."""
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    return False


def both_or_neither(first: str, second: str) -> dict[str, Any]:
    """JSON Schema for "give both of these fields (not null), or neither"."""

    def given(name: str) -> dict[str, Any]:
        return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}

    return {
        "allOf": [
            {"if": given(first), "then": given(second)},
            {"if": given(second), "then": given(first)},
        ]
    }


TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _time_of_day(value: Any) -> Any:
    if isinstance(value, str) and re.match(TIME_PATTERN, value):
        return time.fromisoformat(value)
    return value  # anything else is refused by the strict check, with the usual message


# HH:MM in office time (no offset, no seconds), as the pages' time inputs send it.
TimeOfDay = Annotated[
    time,
    BeforeValidator(_time_of_day),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN, "examples": ["22:00"]}),
]
