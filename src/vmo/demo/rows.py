"""The rows as the generator writes them: column lists and the tuples in their order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .draws import LicenceSpec, VehicleSpec

PERSON_COLUMNS = (
    "id",
    "name",
    "id_number",
    "id_hash",
    "birth_date",
    "sex",
    "region_code",
    "phone",
    "phone_hash",
    "email",
    "address",
    "created_at",
)
LICENCE_COLUMNS = (
    "id",
    "holder_id",
    "file_number",
    "flags",
    "status",
    "probation_until",
    "verification_due",
    "physical_due",
    "updated_at",
    "classes",
    "first_issue_date",
    "valid_from",
    "valid_to",
)
VEHICLE_COLUMNS = (
    "id",
    "vin",
    "vehicle_type",
    "use_nature",
    "brand",
    "model_name",
    "colour",
    "engine_number",
    "seats",
    "new_energy",
    "manufacture_date",
    "registration_date",
    "owner_person_id",
    "owner_company_id",
    "flags",
    "status",
    "inspection_valid_until",
    "insurance_valid_until",
    "mortgagee",
    "mortgaged_on",
    "scrap_date",
    "updated_at",
)
PLATE_COLUMNS = ("number", "plate_type", "vehicle_id", "status", "issued_on")
VEHICLE_LICENCE_COLUMNS = ("vehicle_id", "file_number", "issued_on", "is_valid")


def licence_row(
    spec: LicenceSpec,
    pk: int,
    holder_pk: int,
    file_number: str,
    flags: str,
    status: str,
    now: datetime,
) -> tuple[Any, ...]:
    f = spec.fields
    return (
        pk,
        holder_pk,
        file_number,
        flags,
        status,
        f.get("probation_until"),
        f.get("verification_due"),
        f.get("physical_due"),
        now,
        f["classes"],
        f["first_issue_date"],
        f["valid_from"],
        f["valid_to"],
    )


def vehicle_rows(
    spec: VehicleSpec,
    *,
    pk: int,
    owner_pk: int,
    vin: str,
    plate: str,
    flags: str,
    status: str,
    now: datetime,
) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    m = spec.model
    vehicle = (
        pk,
        vin,
        m.vehicle_type,
        m.use_nature,
        m.brand,
        m.name,
        spec.colour,
        spec.engine,
        m.seats,
        m.new_energy,
        spec.registered - timedelta(days=30),
        spec.registered,
        owner_pk,
        None,
        flags,
        status,
        spec.inspection,
        spec.insurance,
        spec.mortgagee,
        spec.mortgaged_on,
        None,
        now,
    )
    return (
        vehicle,
        (plate, m.plate_type, pk, "active", spec.registered),
        (pk, vin[-12:], spec.registered, True),
    )


# The columns of records.Records.rows' tuples, in their order.
VIOLATION_COLUMNS = (
    "id",
    "record_id",
    "vehicle_id",
    "plate_number",
    "plate_type",
    "code_id",
    "occurred_at",
    "place",
    "device",
    "points",
    "fine_fen",
    "handling_status",
    "payment_status",
    "recorded_at",
    "speed_kmh",
    "limit_kmh",
    "owner_person_id",
)
DECISION_COLUMNS = (
    "id",
    "number",
    "violation_id",
    "licence_id",
    "decided_by_id",
    "decided_at",
    "points",
    "fine_fen",
    "payment_due",
    "channel",
    "paid_at",
    "paid_fen",
)
POINTS_COLUMNS = (
    "licence_id",
    "cycle_start",
    "occurred_on",
    "points",
    "kind",
    "source_type",
    "source_id",
    "note",
    "created_at",
)
ORDER_COLUMNS = (
    "reference",
    "purpose",
    "subject_type",
    "subject_id",
    "description",
    "description_values",
    "amount_fen",
    "payer_id",
    "status",
    "gateway",
    "gateway_txn_id",
    "created_at",
    "expires_at",
    "paid_at",
    "paid_amount_fen",
)
