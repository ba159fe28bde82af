"""The columns of every list: the records in a generated announcement and every publication.

Cells are stored as text, already masked; the headings are translated when shown, so a
stored table reads in either language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import AnnouncementKind as A
from .choices import PublicationKind as P


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise


NAME = Column("name", _("Name"))
ID_NUMBER = Column("id_number", _("ID number"))
FILE_NUMBER = Column("file_number", _("Licence file number"))
CLASSES = Column("classes", _("Licence classes"))
STATUS = Column("status", _("Status"))
PLATE = Column("plate", _("Plate number"))
PLATE_TYPE = Column("plate_type", _("Plate type"))
VEHICLE_TYPE = Column("vehicle_type", _("Vehicle type"))
OWNER = Column("owner", _("Owner"))
INSPECTION = Column("inspection_until", _("Inspection valid until"))
VALID_TO = Column("valid_to", _("Licence valid until"))
VERIFICATION = Column("verification_due", _("Verification due"))

LICENCE_COLUMNS = (NAME, ID_NUMBER, FILE_NUMBER, CLASSES, STATUS)
VEHICLE_COLUMNS = (PLATE, VEHICLE_TYPE, OWNER, STATUS)

ANNOUNCEMENT_COLUMNS: dict[str, tuple[Column, ...]] = {
    A.LICENCES_REVOKED: LICENCE_COLUMNS,
    A.LICENCES_CANCELLED: LICENCE_COLUMNS,
    A.LICENCES_STOPPED: LICENCE_COLUMNS,
    A.LICENCES_TO_CANCEL: (NAME, ID_NUMBER, FILE_NUMBER, VALID_TO, VERIFICATION, STATUS),
    A.VEHICLES_FORCIBLY_CANCELLED: VEHICLE_COLUMNS,
    A.VEHICLES_LONG_OVERDUE: (PLATE, VEHICLE_TYPE, OWNER, INSPECTION),
    A.PLATES_VOID: (PLATE, PLATE_TYPE, VEHICLE_TYPE, OWNER),
    A.STOLEN_VEHICLES: (PLATE, VEHICLE_TYPE, Column("brand", _("Brand and model"))),
    A.UNCLAIMED_VEHICLES: VEHICLE_COLUMNS,
}

PUBLICATION_COLUMNS: dict[str, tuple[Column, ...]] = {
    P.EXAM_APPOINTMENTS: (
        Column("name_masked", _("Name")),
        Column("id_masked", _("ID number")),
        Column("subject", _("Test subject")),
        Column("site", _("Test site")),
        Column("result", _("Appointment result")),
    ),
    P.EXAM_RESULTS: (
        Column("name_masked", _("Name")),
        Column("id_masked", _("ID number")),
        Column("subject", _("Test subject")),
        Column("site", _("Test site")),
        Column("result", _("Result")),
    ),
    P.PLATE_SELECTIONS: (
        Column("number", _("Plate number")),
        Column("applicant_masked", _("Applicant")),
        Column("reserved_at", _("Selected at")),
    ),
    P.BUSINESS_STATISTICS: (
        Column("code", _("Business code")),
        Column("business", _("Business")),
        Column("submitted", _("Applications received")),
        Column("completed", _("Completed")),
        Column("refused", _("Refused")),
    ),
    P.TIME_LIMITS: (
        Column("code", _("Business code")),
        Column("business", _("Business")),
        Column("time_limit", _("Time limit (working days)")),
        Column("completed", _("Completed")),
        Column("on_time", _("Completed within the time limit")),
        Column("rate", _("Share on time")),
    ),
    P.CAMERA_LOCATIONS: (
        Column("place", _("Place")),
        Column("device", _("Device")),
        Column("records", _("Records in the last 12 months")),
    ),
    P.VIOLATION_HOTSPOTS: (
        Column("rank", _("Rank")),
        Column("place", _("Place")),
        Column("records", _("Records")),
        Column("top_violation", _("Most frequent violation")),
    ),
    P.SERIOUS_VIOLATORS: (
        Column("name", _("Name")),
        Column("id_number", _("ID number")),
        Column("violation", _("Violation")),
        Column("points", _("Points")),
        Column("decided_on", _("Decided on")),
    ),
    P.KEY_VEHICLES: (
        Column("plate", _("Plate number")),
        Column("vehicle_type", _("Vehicle type")),
        Column("use", _("Use")),
        Column("owner", _("Owner")),
        Column("unhandled", _("Unhandled violations")),
        Column("oldest", _("Oldest unhandled since")),
    ),
    P.FEE_STANDARDS: (
        Column("code", _("Business code")),
        Column("business", _("Business")),
        Column("fee", _("Fee (yuan)")),
    ),
    # Tables entered by editors: the records do not hold these facts [U].
    P.ACCIDENT_STATISTICS: (
        Column("month", _("Month")),
        Column("area", _("Area")),
        Column("accidents", _("Accidents")),
        Column("deaths", _("Deaths")),
        Column("injuries", _("Injuries")),
    ),
    P.SCHOOL_PASS_RATES: (
        Column("school", _("Driving school")),
        Column("subject", _("Test subject")),
        Column("sat", _("Candidates")),
        Column("passed", _("Passed")),
        Column("rate", _("Pass rate")),
    ),
    P.COMPLAINT_RESULTS: (
        Column("received_on", _("Received on")),
        Column("matter", _("Matter")),
        Column("result", _("Result")),
        Column("closed_on", _("Closed on")),
    ),
}


def labels(columns: tuple[Column, ...] | list[str], kind_columns: tuple[Column, ...]) -> list[str]:
    """Headings, in the active language, for stored column keys."""
    by_key = {c.key: c.label for c in kind_columns}
    keys = [c.key if isinstance(c, Column) else c for c in columns]
    return [str(by_key.get(key, key)) for key in keys]
