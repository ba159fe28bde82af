"""Loading the office's pool batches: every bad line is listed with its reason, and nothing is
loaded unless every line is good."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.core.text import join_clauses
from vmo.registry import selectors as registry
from vmo.registry import validators

from . import rules
from .choices import PoolPlateType
from .conf import conf
from .models import DEMO_NOTE, PoolBatch, PoolNumber, WithheldSeries

if TYPE_CHECKING:
    from vmo.accounts.models import User

HEADER_WORDS = {"number", "plate", "plate_number", "号码", "号牌号码"}
# Bulk lookups in slices: SQLite limits the variables of one statement.
_CHUNK = 900


def withheld_patterns() -> list[str]:
    return list(WithheldSeries.objects.filter(active=True).values_list("pattern", flat=True))


def parse_lines(text: str) -> list[tuple[int, str]]:
    """(line number, normalised number) of each data line: CSV's first column, or one number a
    line; blank lines, ``#`` comments and a header line are skipped."""
    rows: list[tuple[int, str]] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        value = raw.split(",")[0].strip().strip('"').strip()
        if not value or value.startswith("#"):
            continue
        if not rows and value.lower() in HEADER_WORDS:
            continue
        rows.append((lineno, validators.normalise_plate(value)))
    return rows


def _existing(numbers: list[str]) -> tuple[set[str], set[str]]:
    pooled: set[str] = set()
    in_use: set[str] = set()
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        pooled |= set(PoolNumber.objects.filter(number__in=chunk).values_list("number", flat=True))
        in_use |= registry.plate_numbers_in_use(chunk)
    return pooled, in_use


def batch_problems(plate_type: str, rows: list[tuple[int, str]]) -> list[str]:
    """One message per bad line, naming the line, the number and the reason."""
    if plate_type not in PoolPlateType.values:
        return [_("Choose a plate type.")]
    if not rows:
        return [_("The batch holds no numbers.")]
    if len(rows) > conf("batch_max_lines"):
        return [
            _("A batch holds at most %(count)d numbers; split the file.")
            % {"count": conf("batch_max_lines")}
        ]
    prefix = office_config().plate_prefix
    patterns = withheld_patterns()
    pooled, in_use = _existing([n for _line, n in rows])
    first_seen: dict[str, int] = {}
    problems: list[str] = []
    for lineno, number in rows:
        reasons: list[str] = []
        try:
            rules.check_number_for_type(number, plate_type, prefix)
        except ValidationError as exc:
            reasons += exc.messages
        if number in first_seen:
            reasons.append(_("repeats line %(line)d") % {"line": first_seen[number]})
        first_seen.setdefault(number, lineno)
        if number in pooled:
            reasons.append(_("already in a pool"))
        if number in in_use:
            reasons.append(_("on a registered vehicle"))
        pattern = rules.withheld_by(number, patterns)
        if pattern:
            reasons.append(_("withheld by the office (%(pattern)s)") % {"pattern": pattern})
        if reasons:
            problems.append(
                _("Line %(line)d, %(number)s: %(reasons)s")
                % {"line": lineno, "number": number, "reasons": join_clauses(reasons)}
            )
    return problems


def pool_batch_load(*, actor: User | None, plate_type: str, text: str, note: str = "") -> PoolBatch:
    rows = parse_lines(text)
    problems = batch_problems(plate_type, rows)
    if problems:
        raise ValidationError([ValidationError(p, code="bad_line") for p in problems])
    numbers = sorted(n for _line, n in rows)
    with transaction.atomic():
        batch = PoolBatch.objects.create(
            plate_type=plate_type,
            note=note.strip(),
            loaded_at=clock.now(),
            loaded_by=actor if getattr(actor, "pk", None) else None,
            size=len(numbers),
            first_number=numbers[0],
            last_number=numbers[-1],
        )
        PoolNumber.objects.bulk_create(
            [PoolNumber(number=n, plate_type=plate_type, batch=batch) for n in numbers],
            batch_size=1000,
        )
        event_record(
            actor=actor,
            subject=batch,
            action="plates.batch_loaded",
            after={"plate_type": plate_type, "size": len(numbers)},
            reason=note,
        )
    return batch


def demo_pool_load(
    *, actor: User | None = None, small: int = 400, new_energy: int = 100
) -> list[PoolBatch]:
    """Demo pools: ordinary numbers 新B Q0000–R9999 and small new-energy 新B DA0000–DB9999.
    A second run loads nothing: numbers already pooled are skipped."""
    prefix = office_config().plate_prefix
    rng = random.Random(20250301)  # the same demo city every time  # noqa: S311
    plans = [
        (PoolPlateType.SMALL, [f"{prefix}{c}{n:04d}" for c in "QR" for n in range(10000)], small),
        (
            PoolPlateType.SMALL_NEW_ENERGY,
            [f"{prefix}D{c}{n:04d}" for c in "AB" for n in range(10000)],
            new_energy,
        ),
    ]
    batches = []
    patterns = withheld_patterns()
    for plate_type, universe, count in plans:
        chosen = [n for n in rng.sample(universe, count * 2) if not rules.compose_problems(n)]
        chosen = [n for n in chosen if rules.withheld_by(n, patterns) is None][:count]
        pooled, in_use = _existing(chosen)
        fresh = [n for n in chosen if n not in pooled and n not in in_use]
        if fresh:
            batches.append(
                pool_batch_load(
                    actor=actor,
                    plate_type=plate_type,
                    text="\n".join(fresh),
                    note=DEMO_NOTE,
                )
            )
    return batches
