"""Issuing a temporary plate (R164 Arts 46-47): the one write. Every rule it keeps is in
``registry.temporary_plate_rules``, asked again here under a lock per VIN."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import event_record

from ..models import Company, Person, TemporaryPlate
from ..temporary_plate_rules import issues_so_far, refusals

if TYPE_CHECKING:
    from vmo.accounts.models import User


def _serial_number(plate: TemporaryPlate) -> str:
    # The office's prefix and a 6-digit serial [U: GA 36's temporary-plate serial format; the
    # office's number-plate system would assign it].
    return f"{office_config().plate_prefix}{plate.pk % 1_000_000:06d}"


@transaction.atomic
def temporary_plate_issue(
    *,
    actor: User | None,
    vin: str,
    case: str,
    valid_from: date,
    valid_to: date,
    insurance_valid_until: date,
    holder_person: Person,
    holder_company: Company | None = None,
    application_reference: str = "",
    reason: str,
) -> TemporaryPlate:
    """Issue one temporary plate, its number and validity on the record, with history."""
    vin = vin.strip().upper()
    if connection.vendor == "postgresql":
        # One decision per VIN at a time, so the count and the overlap hold.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"temporary-plate:{vin}"])
    problems = refusals(
        vin=vin,
        case=case,
        valid_from=valid_from,
        valid_to=valid_to,
        insurance_valid_until=insurance_valid_until,
        today=clock.today(),
    )
    if problems:
        raise ValidationError(
            _("No temporary plate can be issued: %(problems)s.")
            % {"problems": "; ".join(problems)},
            code="temporary_plate_refused",
        )
    plate = TemporaryPlate.objects.create(
        vin=vin,
        case=case,
        holder_person=holder_person,
        holder_company=holder_company,
        valid_from=valid_from,
        valid_to=valid_to,
        insurance_valid_until=insurance_valid_until,
        issued_on=clock.today(),
        application_reference=application_reference,
    )
    plate.number = _serial_number(plate)
    plate.save(update_fields=["number"])
    event_record(
        actor=actor,
        subject=plate,
        action="temporary_plate.issued",
        after={
            "number": plate.number,
            "vin": vin,
            "case": case,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
            "issue": issues_so_far(vin, case),
        },
        reason=reason,
    )
    return plate
