"""Deliveries of camera records for the intake tests."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from vmo.demo.ensure import violation_codes_sync
from vmo.violations.intake import parse_csv, parse_jsonl
from vmo.violations.models import ViolationCode

COLUMNS = [
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
]


SPEEDING_CODES = ("1303", "1636", "1603", "1721")  # marked by migration 0004


def codes_ensure() -> None:
    """The reference codes as migrations load them. Browser tests need this: after another
    transactional test has flushed the database, their serialized rollback does not bring
    the codes back (seen with page_factory; tests without it get them back)."""
    violation_codes_sync()
    ViolationCode.objects.filter(code__in=SPEEDING_CODES).update(speed_required=True)


def record(n: int = 1, **changes: Any) -> dict[str, Any]:
    """A good red-light record (code 1625, 6 points, 200 yuan)."""
    row: dict[str, Any] = {
        "record_id": f"652301202603{n:08d}",
        "occurred_at": "2026-03-01T09:30:00+08:00",
        "place": "昌吉市延安北路与北京南路交叉口",
        "device": "CJ-CAM-101",
        "plate_number": "新B12345",
        "plate_type": "02",
        "code": "1625",
        "speed_kmh": "",
        "limit_kmh": "",
        "evidence": ["cam101/20260301/093000-1.jpg", "cam101/20260301/093000-2.jpg"],
    }
    row.update(changes)
    return row


def csv_text(rows: list[dict[str, Any]], columns: list[str] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = []
        for name in columns:
            value = row.get(name, "")
            values.append("|".join(value) if isinstance(value, list) else value)
        writer.writerow(values)
    return out.getvalue()


def jsonl_text(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def csv_rows(rows: list[dict[str, Any]]):
    return parse_csv(io.StringIO(csv_text(rows)))


def jsonl_rows(rows: list[dict[str, Any]]):
    return parse_jsonl(io.StringIO(jsonl_text(rows)))
