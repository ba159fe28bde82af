"""The temporary plates on a person's status (R164 Arts 46-47): what each is and where it
stands, with a next step when one ends soon. The rules are asked of
``registry.temporary_plate_rules``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from vmo.registry import selectors as registry
from vmo.registry import temporary_plate_rules as rules
from vmo.registry.choices import TemporaryPlateCase, TemporaryPlateState

if TYPE_CHECKING:
    from vmo.registry.models import Person

# Plates that ended up to this many days ago are still listed, so the holder sees what lapsed.
SHOWN_DAYS_AFTER_END = 30


@dataclass(frozen=True)
class TemporaryPlateInfo:
    number: str
    vin: str
    case: str
    case_name: str
    valid_from: date
    valid_to: date
    state: str
    state_name: str
    days_left: int


def temporary_plates_for(person: Person, today: date) -> list[TemporaryPlateInfo]:
    rows = registry.temporary_plates_held(
        person, since=today - timedelta(days=SHOWN_DAYS_AFTER_END)
    )
    found = []
    for row in rows:
        state = rules.state(
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            registered_on=getattr(row, "registered_on", None),
            today=today,
        )
        found.append(
            TemporaryPlateInfo(
                number=row.display,
                vin=row.vin,
                case=row.case,
                case_name=str(TemporaryPlateCase(row.case).label),
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                state=state.value,
                state_name=str(state.label),
                days_left=(row.valid_to - today).days,
            )
        )
    return found


def ending_soon(plate: TemporaryPlateInfo) -> bool:
    return plate.state == TemporaryPlateState.VALID and plate.days_left <= rules.ENDING_SOON_DAYS
