"""How each publication is built from the records: rows of text cells for one period.

A builder returns None when its source does not exist in this deployment yet (the plates and
appointments selectors, the applications' time-limit fields): the kind stays registered and is
built by the first run after the source appears. Tables whose facts the records do not hold
(accidents, driving schools, complaints) are uploaded by editors instead (uploads.py) [U].
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import translation

from vmo.applications.selectors import statistics as application_statistics
from vmo.catalog.businesses import ALL as BUSINESSES
from vmo.core import clock, masking
from vmo.core.money import format_fen
from vmo.registry import selectors as registry
from vmo.violations import selectors as violation_selectors

from .choices import PublicationKind as P

ROW_LIMIT = 5000  # no published table is longer; a longer source is cut and says so
HOTSPOT_COUNT = 50
SERIOUS_POINTS = 12  # [U] "serious": the 12-point offences of R163 Art 8

# Buses and school buses by type or use (RI Art 16 groups them); the records have no
# hazardous-goods mark, so heavy freight trucks stand in for them [U].
KEY_VEHICLE_TYPES = ("K11", "K21", "H11")
KEY_USES = ("B", "C", "E", "K")


@dataclass(frozen=True)
class Period:
    key: str  # "2025-05-14" or "2025-05"
    start: date
    end: date  # inclusive

    @property
    def data_date(self) -> date:
        return self.end


def day_period(day: date) -> Period:
    return Period(day.isoformat(), day, day)


def month_period(day: date) -> Period:
    """The calendar month that contains `day`."""
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(f"{start:%Y-%m}", start, end)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = clock.OFFICE_TZ
    return (
        datetime.combine(period.start, time.min, tzinfo=tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _hook(module: str, name: str) -> Callable[..., Any] | None:
    """A selector another app provides, or None while it does not exist yet."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _from_dicts(rows: list[dict[str, Any]], keys: list[str]) -> list[list[str]]:
    def text(value: Any) -> str:
        if isinstance(value, datetime):
            return clock.local(value).strftime("%Y-%m-%d %H:%M")
        return "" if value is None else str(value)

    return [[text(row.get(key)) for key in keys] for row in rows[:ROW_LIMIT]]


def exam_appointments(period: Period) -> list[list[str]] | None:
    hook = _hook("vmo.appointments.selectors", "appointment_results")
    if hook is None:
        return None
    return _from_dicts(
        hook(period.start), ["name_masked", "id_masked", "subject", "site", "result"]
    )


def exam_results(period: Period) -> list[list[str]] | None:
    hook = _hook("vmo.appointments.selectors", "exam_results")
    if hook is None:
        return None
    return _from_dicts(
        hook(period.start), ["name_masked", "id_masked", "subject", "site", "result"]
    )


def plate_selections(period: Period) -> list[list[str]] | None:
    hook = _hook("vmo.plates.selectors", "selection_results")
    if hook is None:
        return None
    return _from_dicts(hook(period.start), ["number", "applicant_masked", "reserved_at"])


def _business_name(business: Any) -> str:
    return str(business.name)


def business_statistics(period: Period) -> list[list[str]]:
    start, end = _bounds(period)
    # Completion and refusal counted by when they happened, not by the month of submission.
    counts = application_statistics.business_counts(start=start, end=end)
    received, completed, refused = counts["received"], counts["completed"], counts["refused"]
    return [
        [
            b.code,
            _business_name(b),
            str(received.get(b.code, 0)),
            str(completed.get(b.code, 0)),
            str(refused.get(b.code, 0)),
        ]
        for b in BUSINESSES
    ]


def time_limits(period: Period) -> list[list[str]] | None:
    """Completed on or before the due date, per business."""
    start, end = _bounds(period)
    totals: dict[str, list[int]] = {}
    for code, completed_at, due_on in application_statistics.completions(start=start, end=end):
        total = totals.setdefault(code, [0, 0])
        total[0] += 1
        if due_on and completed_at and clock.local(completed_at).date() <= due_on:
            total[1] += 1
    rows = []
    for b in BUSINESSES:
        count, on_time = totals.get(b.code, [0, 0])
        rate = f"{on_time * 100 / count:.1f}%" if count else "-"
        rows.append(
            [b.code, _business_name(b), str(b.time_limit_days), str(count), str(on_time), rate]
        )
    return rows


def camera_locations(period: Period) -> list[list[str]]:
    """Places and devices that recorded camera violations in the 12 months up to the period's
    end [U: the records hold no register of cameras; their records show where they are]."""
    _, end = _bounds(period)
    rows = (
        violation_selectors.violations()
        .filter(source="camera", occurred_at__gte=end - timedelta(days=365), occurred_at__lt=end)
        .exclude(handling_status=-1)
        .values("place", "device")
        .annotate(n=Count("id"))
        .order_by("place", "device")[:ROW_LIMIT]
    )
    return [[r["place"], r["device"], str(r["n"])] for r in rows]


def violation_hotspots(period: Period) -> list[list[str]]:
    start, end = _bounds(period)
    recorded = (
        violation_selectors.violations()
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .exclude(handling_status=-1)
    )
    places = list(
        recorded.values("place").annotate(n=Count("id")).order_by("-n", "place")[:HOTSPOT_COUNT]
    )
    # The most frequent violation at each of these places: one grouped query for all of them.
    by_code: dict[str, tuple[int, str]] = {}
    for row in (
        recorded.filter(place__in=[p["place"] for p in places])
        .values("place", "code__code", "code__description_zh")
        .annotate(n=Count("id"))
    ):
        best = by_code.get(row["place"])
        if best is None or row["n"] > best[0]:
            by_code[row["place"]] = (row["n"], f"{row['code__code']} {row['code__description_zh']}")
    return [
        [str(rank), p["place"], str(p["n"]), by_code.get(p["place"], (0, ""))[1]]
        for rank, p in enumerate(places, start=1)
    ]


def serious_violators(period: Period) -> list[list[str]]:
    start, end = _bounds(period)
    decisions = (
        violation_selectors.penalty_decisions()
        .filter(decided_at__gte=start, decided_at__lt=end, points__gte=SERIOUS_POINTS)
        .select_related("licence__holder", "violation__code")
        .order_by("decided_at", "pk")[:ROW_LIMIT]
    )
    return [
        [
            masking.mask_name(d.licence.holder.name),
            masking.mask_id_number(d.licence.holder.id_number),
            f"{d.violation.code.code} {d.violation.code.description_zh}",
            str(d.points),
            clock.local(d.decided_at).date().isoformat(),
        ]
        for d in decisions
    ]


def key_vehicles(period: Period) -> list[list[str]]:
    vehicles = (
        registry.vehicles()
        .filter(Q(vehicle_type__in=KEY_VEHICLE_TYPES) | Q(use_nature__in=KEY_USES))
        .filter(violations__handling_status=0)
        .annotate(unhandled=Count("violations"), oldest=Min("violations__occurred_at"))
        .select_related("owner_person", "owner_company")
        .prefetch_related(registry.active_plate_prefetch())
        .order_by("-unhandled", "pk")[:ROW_LIMIT]
    )
    rows = []
    for v in vehicles:
        plate = registry.plate_label(v)
        owner = (
            v.owner_company.name
            if v.owner_company
            else masking.mask_name(v.owner_person.name if v.owner_person else "")
        )
        rows.append(
            [
                plate,
                v.get_vehicle_type_display(),
                v.get_use_nature_display(),
                owner,
                str(v.unhandled),
                clock.local(v.oldest).date().isoformat() if v.oldest else "",
            ]
        )
    return rows


def fee_standards(period: Period) -> list[list[str]]:
    return [[b.code, _business_name(b), format_fen(b.fee_fen, symbol=False)] for b in BUSINESSES]


@dataclass(frozen=True)
class Schedule:
    """daily: yesterday's table; monthly: last month's; on_change: whenever the rows differ."""

    kind: str
    every: str
    build: Callable[[Period], list[list[str]] | None]


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(P.EXAM_APPOINTMENTS, "daily", exam_appointments),
    Schedule(P.EXAM_RESULTS, "daily", exam_results),
    Schedule(P.PLATE_SELECTIONS, "daily", plate_selections),
    Schedule(P.BUSINESS_STATISTICS, "monthly", business_statistics),
    Schedule(P.TIME_LIMITS, "monthly", time_limits),
    Schedule(P.CAMERA_LOCATIONS, "monthly", camera_locations),
    Schedule(P.VIOLATION_HOTSPOTS, "monthly", violation_hotspots),
    Schedule(P.SERIOUS_VIOLATORS, "monthly", serious_violators),
    Schedule(P.KEY_VEHICLES, "monthly", key_vehicles),
    Schedule(P.FEE_STANDARDS, "on_change", fee_standards),
)
UPLOADED_KINDS = (P.ACCIDENT_STATISTICS, P.SCHOOL_PASS_RATES, P.COMPLAINT_RESULTS)


def in_office_language(build: Callable[[Period], Any], period: Period) -> Any:
    """Stored cells (business names, vehicle types) are written in the office's language."""
    with translation.override("zh-hans"):
        return build(period)
