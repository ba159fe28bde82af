"""The record of each full score (R163 Art 17, `FullScoreReached`), which clearing the points
does not erase: what renewal (R162 Art 62), repeat full scores (R163 Art 22) and a cheating
finding (R163 Art 31) read. Read through `registry.selectors`, which re-exports these."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Sum

from .choices import PointsKind
from .models import DriverLicence, FullScoreReached, PointsEntry


def licence_full_score_cycles(licence: DriverLicence, *, start: date, end: date) -> int:
    """How many scoring cycles beginning in [start, end] reached 12 points (R162 Art 62), from
    the record of each full score, which clearing the points does not erase."""
    return (
        FullScoreReached.objects.filter(
            licence=licence, cycle_start__gte=start, cycle_start__lte=end
        )
        .values("cycle_start")
        .distinct()
        .count()
    )


def full_scores_since(licence: DriverLicence, *, cycle_start: date) -> int:
    """How many times the licence reached 12 points in the cycles beginning on or after
    ``cycle_start`` (R163 Art 26(1) counts this cycle and the previous one), from the kept
    record, which clearing the points does not erase."""
    return FullScoreReached.objects.filter(licence=licence, cycle_start__gte=cycle_start).count()


def cycle_points_accumulated(licence: DriverLicence, *, cycle_start: date) -> int:
    """The points a cycle accumulated, not counting the clearing after a full-score exam: the
    24 and 36 of R163 Art 22 count what was recorded, not what is left."""
    total = (
        PointsEntry.objects.filter(licence=licence, cycle_start=cycle_start)
        .exclude(kind=PointsKind.CLEARED)
        .aggregate(total=Sum("points"))["total"]
    )
    return int(total or 0)


def full_score_latest(licence: DriverLicence) -> FullScoreReached | None:
    """The licence's most recent full score (R163 Art 17), kept after its points are cleared."""
    return (
        FullScoreReached.objects.filter(licence=licence)
        .order_by("-cycle_start", "-occurrence")
        .first()
    )


def full_score_episode(licence: DriverLicence, *, on: date) -> tuple[date | None, date | None]:
    """The days of the full score the licence was in on the day (a study's assignment): from
    the day it was reached to the day before the licence's next full score (None: none came
    since). (None, None) when no full score was reached by then."""
    days = list(
        FullScoreReached.objects.filter(licence=licence)
        .order_by("reached_on", "cycle_start", "occurrence")
        .values_list("reached_on", flat=True)
    )
    reached = [day for day in days if day <= on]
    if not reached:
        return None, None
    later = days[len(reached) :]
    return reached[-1], (later[0] - timedelta(days=1)) if later else None
