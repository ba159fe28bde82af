"""The daily scan for compulsory scrapping after three missed inspection cycles (机动车强制报废
标准规定 Art 4(4)); kept apart from scans.py, which holds the date-window scans.

The vehicles are those ``registry.scrap`` finds, the same the officers' worklist reads; the
notice's outbox row is the fact that the owner was told, and its date starts the period before
the office may announce the certificates void (R164 Art 41(1), ``registry.scrap``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import F

from vmo.core.plates import plate_text
from vmo.registry import scrap

from . import kinds, services
from .scans import CHUNK, untold
from .services import Recipient

SCRAP_REACHED = "vehicle.compulsory_scrap_reached"


def scrap_told_key(vehicle_id: int, valid_until: date) -> str:
    """The notice's key for one vehicle and validity date (without the channel)."""
    return f"{SCRAP_REACHED}:{vehicle_id}:{valid_until.isoformat()}"


@kinds.scan(SCRAP_REACHED)
def scan_compulsory_scrap_reached(*, day: date, publish: bool = True) -> int:
    """Owners of vehicles whose third missed cycle has ended (强制报废标准 Art 4), once per
    validity date; cycle lengths depend on age, so each candidate is checked by the rule."""
    rows = (
        scrap.candidates(day)
        .filter(untold(SCRAP_REACHED, "inspection_valid_until"), owner_person__isnull=False)
        .annotate(plate=F("plates__number"), user_id=F("owner_person__account__id"))
        .order_by()
    )

    def recipients() -> Iterator[Recipient]:
        for vehicle in rows.iterator(chunk_size=CHUNK):
            if not scrap.reached(vehicle, day):
                continue
            number, when = vehicle.plate, vehicle.inspection_valid_until
            yield Recipient(
                dedup_key=scrap_told_key(vehicle.pk, when),
                context={
                    "plate": plate_text(number),
                    "date": when.isoformat(),
                    "days": scrap.CANCEL_PERIOD_DAYS,
                },
                user_id=vehicle.user_id,
                phone=(vehicle.owner_person.phone if vehicle.owner_person else "") or "",
                link="/status/",
            )

    return services.notify_bulk(kind=SCRAP_REACHED, recipients=recipients(), publish=publish)
