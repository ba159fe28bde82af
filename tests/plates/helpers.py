"""Helpers of the plate-selection tests: pools, new vehicles' VINs, citizens."""

from __future__ import annotations

from tests.factories import make_vin
from vmo.plates import services
from vmo.plates.models import PoolBatch


def new_vin(n: int) -> str:
    """A valid VIN no factory vehicle uses (factories count up from 1)."""
    return make_vin(900000 + n)


def small_numbers(count: int, start: int = 0, letter: str = "Q") -> list[str]:
    return [f"新B{letter}{n:04d}" for n in range(start, start + count)]


def load_pool(
    count: int = 80, plate_type: str = "02", numbers: list[str] | None = None
) -> PoolBatch:
    if numbers is None:
        numbers = (
            small_numbers(count)
            if plate_type == "02"
            else [f"新BD{'A' if n < 10000 else 'B'}{n % 10000:04d}" for n in range(count)]
        )
    return services.pool_batch_load(actor=None, plate_type=plate_type, text="\n".join(numbers))
