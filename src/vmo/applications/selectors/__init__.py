"""The applicant's reads: their applications, one of them by reference (anyone else's is not
found), and everything one page needs in a fixed number of queries."""

from ..choices import EDITABLE
from ..permissions import fee_payable
from .answers import Answers, answers_for
from .files import document_for, file_for
from .lists import Step, application_of, applications_of, is_known_key, next_step
from .page import MaterialRow, Page, TimelineRow, delivery_initial, page_for, timeline
from .start import (
    ConditionResult,
    applied_for,
    citizen_by_id_number,
    eligibility,
    open_application,
    other_open_applications,
    reservation_of,
    reservation_to_start,
    startable,
    vehicle_of,
    vehicles_of,
)

__all__ = [
    "Answers",
    "answers_for",
    "EDITABLE",
    "ConditionResult",
    "MaterialRow",
    "Page",
    "Step",
    "TimelineRow",
    "application_of",
    "applications_of",
    "citizen_by_id_number",
    "delivery_initial",
    "document_for",
    "eligibility",
    "fee_payable",
    "file_for",
    "is_known_key",
    "applied_for",
    "open_application",
    "other_open_applications",
    "next_step",
    "page_for",
    "reservation_of",
    "reservation_to_start",
    "startable",
    "timeline",
    "vehicle_of",
    "vehicles_of",
]
