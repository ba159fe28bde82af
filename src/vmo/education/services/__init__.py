"""Every write of education. Split by concern; import from here."""

from .content import content_check, content_load
from .effects import e01_problems, reduction_claim
from .full_score import full_score_assign, full_score_scan
from .quiz import quiz_start, quiz_submit
from .regional import (
    regional_warning_create,
    regional_warning_publish,
    regional_warning_send,
    regional_warning_submit,
)
from .study import (
    StudyRefused,
    enrolment_start,
    lesson_done,
    lesson_heartbeat,
    lesson_open,
    start_problems,
)
from .warnings import warnings_scan

__all__ = [
    "StudyRefused",
    "content_check",
    "content_load",
    "e01_problems",
    "enrolment_start",
    "start_problems",
    "full_score_assign",
    "full_score_scan",
    "lesson_done",
    "lesson_heartbeat",
    "lesson_open",
    "quiz_start",
    "quiz_submit",
    "reduction_claim",
    "regional_warning_create",
    "regional_warning_publish",
    "regional_warning_send",
    "regional_warning_submit",
    "warnings_scan",
]
