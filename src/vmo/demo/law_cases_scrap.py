"""Demo case of compulsory scrapping waiting for the office (docs/legal-rules.md): 周建华's
truck reached compulsory scrapping two months ago (three missed yearly inspection cycles,
强制报废标准 Art 4(4)), was told that day, and did not cancel within the period, so it is on
the officers' worklist (/office/vehicles/scrap/) for a supervisor to declare its certificates
void (R164 Art 41(1)). Made through the services, once; a second run finds it."""

from __future__ import annotations

from datetime import date, datetime, time

from vmo.core import clock
from vmo.core.plates import plate_text
from vmo.core.selectors import office_config
from vmo.notices import services as notices
from vmo.notices.models import Message
from vmo.notices.notice_scans import SCRAP_REACHED, scrap_told_key
from vmo.registry import scrap, validators
from vmo.registry.inspection import compulsory_scrap_from
from vmo.registry.rules import add_months

from .ensure import vehicle_ensure
from .law_cases import _vin
from .law_cases_violations import _owner


def scrap_void_case_ensure(today: date) -> None:
    prefix = validators.normalise_plate(office_config().plate_prefix)
    ended = add_months(today, -38)
    owner = _owner(2)
    truck, _made = vehicle_ensure(
        vin=_vin(31, "LJR", "S1234", 2019),
        vehicle_type="H21",
        use_nature="F",
        brand="东风",
        model_name="天龙",
        colour="H",
        engine_number="L00000031",
        seats=3,
        manufacture_date=date(2019, 3, 2),
        registration_date=date(2019, 4, 18),
        inspection_valid_until=ended,
        insurance_valid_until=ended,
        plate_number=f"{prefix}7QW14",
        plate_type="01",
        owner_person=owner,
    )
    key = scrap_told_key(truck.pk, truck.inspection_valid_until)
    if Message.objects.filter(dedup_key__startswith=f"{key}:").exists():
        return
    reached = compulsory_scrap_from(truck)
    account = getattr(owner, "account", None)
    notices.notify(
        kind=SCRAP_REACHED,
        context={
            "plate": plate_text(f"{prefix}7QW14"),
            "date": truck.inspection_valid_until.isoformat(),
            "days": scrap.CANCEL_PERIOD_DAYS,
        },
        dedup_key=key,
        user=account,
        phone=owner.phone,
        link="/me/",
    )
    # The daily scan told the owner on the day it was reached (the demo is made today).
    told_at = datetime.combine(reached, time(8, 0), tzinfo=clock.OFFICE_TZ)
    Message.objects.filter(dedup_key__startswith=f"{key}:").update(created_at=told_at)
