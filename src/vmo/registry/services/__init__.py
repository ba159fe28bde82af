"""Every write to the office's records, by record: persons, licences, vehicles and the changes
of a registered vehicle. Each service is one transaction and writes history; reads are in
`registry.selectors`. Import from here (``from vmo.registry import services``)."""

from .agents import agent_authorise, agent_name, agent_revoke, authorisation_problems
from .licences import (
    LICENCE_DATES,
    licence_create,
    licence_recompute_status,
    licence_reissue,
    licence_set_flags,
    licence_update_dates,
    licences_deferral_ended_recompute,
    points_record,
)
from .persons import company_create, person_create, person_update_contact
from .temporary_plates import temporary_plate_issue
from .vehicle_changes import (
    VEHICLE_ALTERABLE,
    plate_reissue,
    vehicle_alter,
    vehicle_cancel,
    vehicle_licence_reissue,
    vehicle_mortgage,
    vehicle_scrap_void,
    vehicle_transfer,
)
from .vehicles import (
    VEHICLE_DATES,
    VEHICLE_FLAG_BATCH,
    vehicle_create,
    vehicle_recompute_status,
    vehicle_set_flags,
    vehicle_update_dates,
    vehicles_add_flag_bulk,
)

__all__ = [
    "agent_authorise",
    "agent_name",
    "agent_revoke",
    "authorisation_problems",
    "LICENCE_DATES",
    "VEHICLE_ALTERABLE",
    "VEHICLE_DATES",
    "VEHICLE_FLAG_BATCH",
    "company_create",
    "licence_create",
    "licence_recompute_status",
    "licence_reissue",
    "licence_set_flags",
    "licence_update_dates",
    "licences_deferral_ended_recompute",
    "person_create",
    "person_update_contact",
    "plate_reissue",
    "points_record",
    "temporary_plate_issue",
    "vehicle_alter",
    "vehicle_cancel",
    "vehicle_create",
    "vehicle_licence_reissue",
    "vehicle_mortgage",
    "vehicle_recompute_status",
    "vehicle_scrap_void",
    "vehicle_set_flags",
    "vehicle_transfer",
    "vehicle_update_dates",
    "vehicles_add_flag_bulk",
]
