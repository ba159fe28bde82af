"""Tables that editors enter as CSV (the records do not hold these facts [U]): each row is
checked, every problem is listed with its line and column, and nothing is saved unless every
row is right."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from .choices import PublicationKind as P
from .columns import PUBLICATION_COLUMNS

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS = 200  # listed at once; a file with more is wrong throughout


class Problem(Exception):
    pass


def _text(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value:
            raise Problem(_("This field is required."))
        if len(value) > limit:
            raise Problem(_("At most %(limit)d characters.") % {"limit": limit})
        return value

    return check


def _count(value: str) -> str:
    if not re.fullmatch(r"\d{1,9}", value):
        raise Problem(_("Enter a whole number of 0 or more."))
    return str(int(value))


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise Problem(_("Enter a month as YYYY-MM, e.g. 2025-05."))
    return value


def _date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date()
    except ValueError:
        return _bad_date()


def _bad_date() -> str:
    raise Problem(_("Enter a date as YYYY-MM-DD, e.g. 2025-05-14."))


@dataclass(frozen=True)
class UploadSpec:
    keys: tuple[str, ...]  # the columns the editor enters, in this order
    checks: tuple[Callable[[str], str], ...]
    row_check: Callable[[list[str]], list[str]] | None = None  # whole-row rules -> problems
    finish: Callable[[list[str]], list[str]] | None = None  # computed columns


def _pass_rate_row(cells: list[str]) -> list[str]:
    sat, passed = int(cells[2]), int(cells[3])
    return [_("More passed than sat the test.")] if passed > sat else []


def _pass_rate(cells: list[str]) -> list[str]:
    sat, passed = int(cells[2]), int(cells[3])
    return [*cells, f"{passed * 100 / sat:.1f}%" if sat else "-"]


def _complaint_row(cells: list[str]) -> list[str]:
    return [_("Closed before it was received.")] if cells[3] < cells[0] else []


SPECS: dict[str, UploadSpec] = {
    P.ACCIDENT_STATISTICS: UploadSpec(
        ("month", "area", "accidents", "deaths", "injuries"),
        (_month, _text(60), _count, _count, _count),
    ),
    P.SCHOOL_PASS_RATES: UploadSpec(
        ("school", "subject", "sat", "passed"),
        (_text(100), _text(30), _count, _count),
        row_check=_pass_rate_row,
        finish=_pass_rate,
    ),
    P.COMPLAINT_RESULTS: UploadSpec(
        ("received_on", "matter", "result", "closed_on"),
        (_date, _text(200), _text(500), _date),
        row_check=_complaint_row,
    ),
}


def _decode(data: bytes) -> str:
    # Excel in a Chinese locale saves GB18030; everything else sends UTF-8 (with or without BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Problem(_("The file is neither UTF-8 nor GB18030 text. Save it as CSV UTF-8."))


def expected_header(kind: str) -> list[str]:
    labels = {c.key: str(c.label) for c in PUBLICATION_COLUMNS[kind]}
    return [labels[key] for key in SPECS[kind].keys]


def parse(kind: str, data: bytes) -> tuple[list[list[str]], list[str]]:
    """(rows, problems). The first line is the header: the column names shown on the upload
    page, in Chinese or English, or their keys."""
    spec = SPECS[kind]
    if len(data) > MAX_BYTES:
        return [], [_("The file is larger than 2 MB.")]
    try:
        text = _decode(data)
    except Problem as exc:
        return [], [str(exc)]
    lines = list(csv.reader(io.StringIO(text)))
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        return [], [_("The file is empty.")]
    columns = {c.key: c.label for c in PUBLICATION_COLUMNS[kind]}
    header = [cell.strip() for cell in lines[0]]
    problems: list[str] = []
    for index, key in enumerate(spec.keys):
        got = header[index] if index < len(header) else ""
        names = {key}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(columns[key]))
        if got not in names:
            problems.append(
                _("Header, column %(number)d: expected “%(expected)s”, found “%(found)s”.")
                % {"number": index + 1, "expected": str(columns[key]), "found": got}
            )
    if len(header) > len(spec.keys):
        problems.append(_("Header: there are more columns than expected."))
    if problems:
        return [], problems
    body = lines[1:]
    if not body:
        return [], [_("The file has a header but no rows.")]
    if len(body) > MAX_ROWS:
        return [], [_("At most %(limit)d rows in one table.") % {"limit": MAX_ROWS}]
    rows: list[list[str]] = []
    for number, line in enumerate(body, start=2):
        cells = [cell.strip() for cell in line]
        if len(cells) != len(spec.keys):
            problems.append(
                _("Line %(line)d: %(found)d columns instead of %(expected)d.")
                % {"line": number, "found": len(cells), "expected": len(spec.keys)}
            )
            continue
        clean, ok = [], True
        for key, check, value in zip(spec.keys, spec.checks, cells, strict=True):
            try:
                clean.append(check(value))
            except Problem as exc:
                ok = False
                problems.append(
                    _("Line %(line)d, %(column)s: %(problem)s")
                    % {"line": number, "column": str(columns[key]), "problem": str(exc)}
                )
        if ok and spec.row_check:
            for problem in spec.row_check(clean):
                ok = False
                problems.append(
                    _("Line %(line)d: %(problem)s") % {"line": number, "problem": problem}
                )
        if ok:
            rows.append(spec.finish(clean) if spec.finish else clean)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(
                _("Too many problems: the first %(limit)d are listed.") % {"limit": MAX_PROBLEMS}
            )
            break
    return (rows if not problems else []), problems
