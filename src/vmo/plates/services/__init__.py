"""Writes of plate selection: draws, reservations, their end, and the day seeds.

Split by concern; import from here. Every refusal is a ValidationError naming each problem,
raised before anything is written. The guarantee that a number goes to one applicant is the
database's (models.Reservation's partial unique indexes); the row lock on the pool number makes
the loser's refusal clean.
"""

from ..pool import demo_pool_load, pool_batch_load
from ..throttle import Availability
from .draws import draw_create
from .numbers import number_check
from .reservations import (
    reservation_bind,
    reservation_create,
    reservation_release,
    reservation_reminders_send,
    reservations_expire,
)
from .seeds import seed_commit, seed_reveal, seeds_reveal
from .withheld import withheld_add, withheld_deactivate

__all__ = [
    "Availability",
    "demo_pool_load",
    "draw_create",
    "number_check",
    "pool_batch_load",
    "reservation_bind",
    "reservation_create",
    "reservation_release",
    "reservation_reminders_send",
    "reservations_expire",
    "seed_commit",
    "seed_reveal",
    "seeds_reveal",
    "withheld_add",
    "withheld_deactivate",
]
