"""Reads of plate selection, including the public verification of any draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q, QuerySet

from vmo.core import clock
from vmo.core.masking import mask_name
from vmo.core.selectors import office_config
from vmo.registry import selectors as registry
from vmo.registry.validators import normalise_vin

from . import fairness, rules
from .choices import NumberStatus, PoolPlateType, ReservationStatus
from .models import DaySeed, Draw, PoolBatch, PoolNumber, Reservation
from .pool import withheld_patterns


def active_reservation_for_vin(vin: str) -> Reservation | None:
    """The number a new vehicle holds for its first registration (V02), if any."""
    return (
        Reservation.objects.filter(vin=normalise_vin(vin), status=ReservationStatus.ACTIVE)
        .select_related("user", "company")
        .first()
    )


def reservations_for(user: Any) -> QuerySet[Reservation]:
    return Reservation.objects.filter(user=user).select_related("company", "draw")


def active_reservation_of(*, user: Any, pk: int) -> Reservation | None:
    """The user's active reservation with this id, or None."""
    return (
        Reservation.objects.filter(pk=pk, user=user, status=ReservationStatus.ACTIVE)
        .select_related("user", "company")
        .first()
    )


def active_reservations_of(user: Any) -> list[Reservation]:
    """The user's active reservations, oldest first (a first registration starts from one)."""
    return list(
        Reservation.objects.filter(user=user, status=ReservationStatus.ACTIVE)
        .select_related("company")
        .order_by("reserved_at", "id")
    )


def reservation_for(user: Any, pk: int) -> Reservation:
    """The user's own reservation; anyone else's is DoesNotExist (a 404)."""
    return reservations_for(user).get(pk=pk)


def draw_for(user: Any, public_id: str) -> Draw:
    return Draw.objects.select_related("day", "company").get(user=user, public_id=public_id)


def latest_draws_for(user: Any, limit: int = 10) -> list[Draw]:
    return list(Draw.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def still_free(numbers: list[str]) -> set[str]:
    return set(
        PoolNumber.objects.filter(number__in=numbers, status=NumberStatus.FREE).values_list(
            "number", flat=True
        )
    )


@dataclass(frozen=True)
class PoolCount:
    plate_type: str
    label: str
    free: int
    reserved: int
    bound: int


def pool_counts() -> list[PoolCount]:
    rows = {
        r["plate_type"]: r
        for r in PoolNumber.objects.values("plate_type").annotate(
            free=Count("id", filter=Q(status=NumberStatus.FREE)),
            reserved=Count("id", filter=Q(status=NumberStatus.RESERVED)),
            bound=Count("id", filter=Q(status=NumberStatus.BOUND)),
        )
    }
    return [
        PoolCount(
            plate_type=t.value,
            label=str(t.label),
            free=rows.get(t.value, {}).get("free", 0),
            reserved=rows.get(t.value, {}).get("reserved", 0),
            bound=rows.get(t.value, {}).get("bound", 0),
        )
        for t in PoolPlateType
    ]


def batches() -> QuerySet[PoolBatch]:
    return PoolBatch.objects.select_related("loaded_by")


def seeds_recent(limit: int = 14) -> list[DaySeed]:
    return list(DaySeed.objects.order_by("-day")[:limit])


def committed_in_advance(seed: DaySeed) -> bool:
    return seed.committed_at < datetime.combine(seed.day, time.min, tzinfo=clock.OFFICE_TZ)


@dataclass(frozen=True)
class Verification:
    draw: Draw
    seed: DaySeed
    in_advance: bool
    snapshot_ok: bool
    seed_hex: str | None  # only once revealed
    commitment_ok: bool | None
    recomputed: list[str] | None
    matches: bool | None  # None until the seed is revealed


def draw_verification(public_id: str) -> Verification:
    """Recompute a draw from its public inputs; DoesNotExist for an unknown draw id."""
    draw = Draw.objects.select_related("day").get(public_id=public_id.strip())
    seed = draw.day
    numbers = draw.snapshot_numbers
    snapshot_ok = fairness.snapshot_hash(numbers) == draw.snapshot_hash
    if not seed.is_revealed:
        return Verification(
            draw, seed, committed_in_advance(seed), snapshot_ok, None, None, None, None
        )
    commitment_ok = fairness.seed_commitment(seed.seed) == seed.commitment
    recomputed = fairness.candidates_for(
        seed=seed.seed, draw_id=draw.public_id, numbers=numbers, count=len(draw.candidates)
    )
    matches = commitment_ok and snapshot_ok and recomputed == list(draw.candidates)
    return Verification(
        draw,
        seed,
        committed_in_advance(seed),
        snapshot_ok,
        seed.seed_hex,
        commitment_ok,
        recomputed,
        matches,
    )


def _applicant_masked(reservation: Reservation) -> str:
    if reservation.company is not None:
        return mask_name(reservation.company.name)
    person = getattr(reservation.user, "person", None)
    return mask_name(person.name) if person is not None else "*"


def selection_results(day: date) -> list[dict[str, Any]]:
    """The numbers chosen on ``day`` (any outcome since), for publication: number, the
    applicant's masked name and when it was reserved, in order."""
    start = datetime.combine(day, time.min, tzinfo=clock.OFFICE_TZ)
    end = datetime.combine(day, time.max, tzinfo=clock.OFFICE_TZ)
    rows = (
        Reservation.objects.filter(reserved_at__range=(start, end))
        .select_related("user__person", "company")
        .order_by("reserved_at", "id")
    )
    return [
        {
            "number": r.number,
            "applicant_masked": _applicant_masked(r),
            "reserved_at": clock.local(r.reserved_at),
        }
        for r in rows
    ]


def free_numbers(*, plate_type: str) -> list[str]:
    """The draw's snapshot: free, not withheld, not on a vehicle; sorted by code point."""
    patterns = withheld_patterns()
    in_use = registry.active_plates().values("number")
    numbers = (
        PoolNumber.objects.filter(plate_type=plate_type, status=NumberStatus.FREE)
        .exclude(number__in=in_use)
        .values_list("number", flat=True)
    )
    return sorted(n for n in numbers if rules.withheld_by(n, patterns) is None)


def redraws_left(*, vin: str) -> int:
    used = Draw.objects.filter(vin=vin, day__day=clock.today()).count()
    return max(0, office_config().plate_redraws + 1 - used)
