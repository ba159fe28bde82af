"""Reading and checking the rows of a camera-record delivery (format: docs/intake-format.md).

A row is checked in full, so a refused row carries every reason at once. Reasons are stored as
codes with their parameters, and their messages are made when read, in the reader's language.
The checks run a million times per big delivery: they avoid per-row work that can be cached
(plate checks) or left to the database (building the evidence JSON).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from vmo.core import clock
from vmo.registry import validators
from vmo.registry.rules import add_months

from .intake_reasons import Reason, reason
from .models import ViolationCode

FIELDS = (
    "record_id",
    "occurred_at",
    "place",
    "device",
    "plate_number",
    "plate_type",
    "code",
    "speed_kmh",
    "limit_kmh",
    "evidence",
)
REQUIRED_COLUMNS = (
    "record_id",
    "occurred_at",
    "place",
    "plate_number",
    "plate_type",
    "code",
    "evidence",
)
_TEXT_FIELDS = ("record_id", "occurred_at", "place", "device", "plate_number", "plate_type", "code")

# GA 24.7 plate-type codes (号牌种类). The table itself is best knowledge of GA 24.7.
PLATE_TYPES = frozenset(f"{n:02d}" for n in (*range(1, 28), 31, 32, 51, 52, 99))
_NEW_ENERGY_BY_TYPE: dict[str, bool | None] = {"01": False, "02": False, "51": True, "52": True}
_RECORD_ID_RE = re.compile(r"[0-9A-Za-z_-]{1,40}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# Camera clocks drift a little; a record a few minutes "ahead" of ours is not in the future.
CLOCK_TOLERANCE = timedelta(minutes=5)
# 行政处罚法 Art 36: a violation not discovered within two years is not punished. The intake is
# the office's discovery of a camera record; "二年内" includes the day two years on.
LIMITATION_MONTHS = 24
SPEED_MIN, SPEED_MAX = 1, 400
EVIDENCE_MAX = 10
EVIDENCE_REF_MAX = 300
PLACE_MAX, DEVICE_MAX = 200, 40


class IntakeFormatError(ValueError):
    """The delivery as a whole cannot be read (no header, missing columns, not UTF-8)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


# --- Parsers -------------------------------------------------------------------------------


def parse_csv(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a CSV delivery with their line numbers (the header is line 1)."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        raise IntakeFormatError(gettext("The file is empty: a header row is needed."), "empty")
    names = [name.strip().lstrip("\ufeff").lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise IntakeFormatError(
            gettext("The header row lacks the columns: %(columns)s.")
            % {"columns": ", ".join(missing)},
            "columns",
        )
    width = len(names)
    for values in reader:
        if len(values) != width:
            if values and "".join(values).strip():
                found = reason("columns", found=len(values), expected=width)
                yield reader.line_num, {"__error__": found}
            continue
        yield reader.line_num, dict(zip(names, values, strict=True))


def parse_jsonl(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a JSON-lines delivery (one object a line) with their line numbers."""
    for number, text in enumerate(stream, start=1):
        text = text.strip()
        if not text:
            continue
        try:
            row = json.loads(text)
        except ValueError:
            row = None
        if not isinstance(row, dict):
            yield number, {"__error__": reason("unreadable")}
            continue
        yield number, row


PARSERS = {"csv": parse_csv, "jsonl": parse_jsonl}


# --- Checks --------------------------------------------------------------------------------


class Row(NamedTuple):
    """A row that passed every check, normalised for loading."""

    line: int
    record_id: str
    plate_number: str
    plate_type: str
    code: ViolationCode
    occurred_at: datetime
    place: str
    device: str
    speed_kmh: int | None
    limit_kmh: int | None
    evidence: str  # image references joined by "|"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int):
        return str(int(value))
    return str(value).strip()


@lru_cache(maxsize=200_000)
def _plate(text: str, plate_type: str) -> tuple[str, bool | None, bool]:
    """(normalised plate, new-energy expectation, fails the registry's check); a delivery
    repeats plates, so each is checked once."""
    plate = validators.normalise_plate(text)
    new_energy = _NEW_ENERGY_BY_TYPE.get(plate_type)
    try:
        validators.validate_plate_number(plate, new_energy=new_energy)
        # A special-use type (trailer 15, coach 16, police 23...) needs its use character.
        if plate_type in validators.PLATE_TYPE_SUFFIX or new_energy is not None:
            validators.validate_plate_type(plate, plate_type)
    except ValidationError:
        return plate, new_energy, True
    return plate, new_energy, False


@lru_cache(maxsize=10_000)
def _limitation_end(day: date) -> date:
    """The last day a violation of `day` can be discovered and punished (行政处罚法 Art 36)."""
    return add_months(day, LIMITATION_MONTHS)


def _parse_time(text: str) -> datetime | None:
    # A date alone is no time of a violation: the time of day is part of the fact (RP Art 18).
    if len(text) < 16 or text[10] not in "T ":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.OFFICE_TZ)
    return moment


_INVALID = -1


def _speed(value: Any) -> int | None:
    """km/h as an int, None when absent, _INVALID when not a whole number in range."""
    if value is None or value == "":
        return None
    if type(value) is str:
        value = value.strip()
        if not value:
            return None
        number = int(value) if value.isdigit() else 0
    elif type(value) is int or (type(value) is float and value.is_integer()):
        number = int(value)
    else:
        number = 0
    return number if SPEED_MIN <= number <= SPEED_MAX else _INVALID


def _evidence(value: Any) -> str | None:
    """The references joined by "|", or None when the value is not a valid list."""
    if value.__class__ is str:
        refs = value.split("|")
    elif isinstance(value, list) and all(isinstance(r, str) and "|" not in r for r in value):
        refs = value
    else:
        return None
    refs = [r.strip() for r in refs]
    if "" in refs:
        refs = [r for r in refs if r]
    if not 1 <= len(refs) <= EVIDENCE_MAX or max(map(len, refs)) > EVIDENCE_REF_MAX:
        return None
    return "|".join(refs)


def check_row(
    line: int, raw: dict[str, Any], *, codes: dict[str, ViolationCode], now: datetime
) -> tuple[Row | None, list[Reason]]:
    """One row checked in full: the row to load, or every reason it is refused."""
    if "__error__" in raw:
        return None, [raw["__error__"]]
    reasons: list[Reason] = []
    record_id, occurred_text, place, device, plate_text, plate_type, code_text = [
        v.strip() if type(v) is str else _text(v) for v in map(raw.get, _TEXT_FIELDS)
    ]

    if not record_id:
        reasons.append(reason("missing", "record_id"))
    elif not _RECORD_ID_RE.fullmatch(record_id):
        reasons.append(reason("record_id", "record_id", value=record_id[:60]))

    occurred_at = None
    if not occurred_text:
        reasons.append(reason("missing", "occurred_at"))
    else:
        occurred_at = _parse_time(occurred_text)
        if occurred_at is None:
            reasons.append(reason("time_invalid", "occurred_at", value=occurred_text[:40]))
        elif occurred_at > now + CLOCK_TOLERANCE:
            reasons.append(reason("time_future", "occurred_at", value=occurred_text[:40]))
        else:
            day = clock.local(occurred_at).date()
            until = _limitation_end(day)
            if clock.local(now).date() > until:
                reasons.append(
                    reason(
                        "limitation",
                        "occurred_at",
                        value=day.isoformat(),
                        until=until.isoformat(),
                    )
                )

    if not place:
        reasons.append(reason("missing", "place"))
    elif len(place) > PLACE_MAX:
        reasons.append(reason("too_long", "place", limit=PLACE_MAX))
    if len(device) > DEVICE_MAX:
        reasons.append(reason("too_long", "device", limit=DEVICE_MAX))

    if len(plate_type) == 1 and plate_type.isdigit():
        plate_type = f"0{plate_type}"  # a JSON number loses the leading zero
    if not plate_type:
        reasons.append(reason("missing", "plate_type"))
    elif plate_type not in PLATE_TYPES:
        reasons.append(reason("plate_type", "plate_type", value=plate_type[:10]))
    plate = ""
    if not plate_text:
        reasons.append(reason("missing", "plate_number"))
    else:
        plate, new_energy, bad = _plate(plate_text, plate_type)
        if bad:
            reasons.append(
                reason(
                    "plate",
                    "plate_number",
                    value=plate[:20],
                    new_energy=new_energy,
                    plate_type=plate_type,
                )
            )

    code = codes.get(code_text)
    if not code_text:
        reasons.append(reason("missing", "code"))
    elif code is None:
        reasons.append(reason("unknown_code", "code", value=code_text[:10]))

    speed, limit = _speed(raw.get("speed_kmh")), _speed(raw.get("limit_kmh"))
    speeding = code is not None and code.speed_required
    for name, value in (("speed_kmh", speed), ("limit_kmh", limit)):
        if value == _INVALID:
            reasons.append(reason("speed_invalid", name))
        elif value is None and speeding:
            reasons.append(reason("missing", name))
    if speeding and speed and limit and 0 < speed <= limit:
        reasons.append(reason("speed_not_over", "speed_kmh", speed=speed, limit=limit))

    evidence_raw = raw.get("evidence")
    evidence = None
    if evidence_raw is None or evidence_raw == "" or evidence_raw == []:
        reasons.append(reason("missing", "evidence"))
    else:
        evidence = _evidence(evidence_raw)
        if evidence is None:
            reasons.append(reason("evidence", "evidence"))

    if _CONTROL_RE.search(f"{place}{device}{evidence or ''}"):
        reasons.append(reason("control_characters"))

    if reasons:
        return None, reasons
    return (
        Row(
            line,
            record_id,
            plate,
            plate_type,
            code,  # type: ignore[arg-type]
            occurred_at,  # type: ignore[arg-type]
            place,
            device,
            speed,
            limit,
            evidence,  # type: ignore[arg-type]
        ),
        [],
    )
