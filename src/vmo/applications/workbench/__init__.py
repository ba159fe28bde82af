"""Reads of the officers' workbench: the queues, the deadline states, what an officer sees
of one application, the deadline scan's candidates and the time-limit compliance figures.
Every function here runs a fixed number of queries, whatever the number of applications."""

from ..choices import FINISHED, OPEN, UNDECIDED
from .compliance import Compliance, ComplianceRow, compliance, deadline_alerts, supervisors
from .detail import (
    ACTIONS,
    Answer,
    CheckRow,
    MaterialRow,
    Records,
    action_label,
    application_for_officer,
    asked_before,
    check_rows,
    file_url,
    form_answers,
    history,
    materials_for,
    records_for,
    status_labels,
)
from .queues import (
    NEAR_DAYS,
    QUEUES,
    Deadline,
    Queue,
    deadlines,
    near_limit,
    queue_applications,
    queue_counts,
    queues_for,
)

__all__ = [
    "ACTIONS",
    "FINISHED",
    "NEAR_DAYS",
    "OPEN",
    "QUEUES",
    "UNDECIDED",
    "Answer",
    "CheckRow",
    "Compliance",
    "ComplianceRow",
    "Deadline",
    "MaterialRow",
    "Queue",
    "Records",
    "action_label",
    "application_for_officer",
    "asked_before",
    "check_rows",
    "compliance",
    "deadline_alerts",
    "deadlines",
    "file_url",
    "form_answers",
    "history",
    "materials_for",
    "near_limit",
    "queue_applications",
    "queue_counts",
    "queues_for",
    "records_for",
    "status_labels",
    "supervisors",
]
