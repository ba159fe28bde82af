"""Pure rules of appointments (no database): exam order and waiting periods (R162 Arts 39-47,
R163 Art 21), pass marks (R162 Art 38), inspection windows and cycles (RI Art 16, R164 Art 54,
the 2022 reform). Day counts: R162 Art 110 makes only "一日/三日/五日" working days, so the 10/20/30/40
day periods here are natural days; R163 Art 36 says the same for its 10 days."""

from __future__ import annotations

from datetime import date, timedelta

from vmo.registry.choices import LARGE_CLASSES
from vmo.registry.rules import add_months

from .choices import Subject

# R162 Art 41: the learner permit is valid three years.
PERMIT_YEARS = 3
# R162 Art 47 para 1; R163 Arts 21-22: rebook a failed road test or full-score exam after 10 days.
REBOOK_WAIT_DAYS = 10
# R162 Art 47 para 2: subject 2 and subject 3 road may each be booked at most 5 times per permit.
MAX_BOOKINGS_PER_PERMIT = 5
# Subjects with a booking cap and a waiting period after failure.
ROAD_SUBJECTS = frozenset({Subject.S2, Subject.S3})

# Subject 2 pass mark is 90 for these classes, 80 for the others (R162 Art 38).
SUBJECT2_HIGH_MARK_CLASSES = LARGE_CLASSES | {"C6"}


def pass_mark(subject: str, licence_class: str = "") -> int:
    if subject == Subject.S2:
        return 90 if licence_class in SUBJECT2_HIGH_MARK_CLASSES else 80
    # Subject 1, 3 road, safe-driving knowledge: 90 (Art 38). Full-score exam: the law test,
    # marked like subject 1 [U: R163 names no mark].
    return 90


def days_after_permit(subject: str, licence_class: str, *, holds_car_licence: bool) -> int:
    """Natural days after the permit before subject 2 or 3 may be booked (R162 Arts 43-44)."""
    if subject == Subject.S2:
        if licence_class in SUBJECT2_HIGH_MARK_CLASSES:
            return 20
        return 10 if licence_class in {"C1", "C2", "C3", "C4", "C5", "M", "N", "P"} else 0
    if subject == Subject.S3:
        if licence_class in {"C2", "C5", "C3", "C4"}:
            return 20
        if licence_class in {"C1", "M", "N", "P"}:
            return 30
        if licence_class in LARGE_CLASSES:
            return 30 if holds_car_licence else 40
    # Motorcycles and C6 are not listed in Arts 43-44: no wait.
    return 0


def permit_valid_until(issued_on: date) -> date:
    return add_months(issued_on, 12 * PERMIT_YEARS)


def rebook_from(exam_day: date) -> date:
    """First day a failed road test (or full-score exam) may be booked again: "十日后"."""
    return exam_day + timedelta(days=REBOOK_WAIT_DAYS)


def full_score_exams(*, occurrence: int, points: int) -> tuple[str, ...]:
    """The exams a full score requires, in the order they are taken (R163 Arts 21-22): the law
    exam always; a second full score in the cycle, or 24 to 35 points, adds the subject 3 road
    test; a third or later, or 36 points or more, adds subject 2 and subject 3. The road tests
    are booked after the law exam is passed (Art 22)."""
    if occurrence >= 3 or points >= 36:
        return (Subject.FULL_SCORE, Subject.S2, Subject.S3)
    if occurrence == 2 or points >= 24:
        return (Subject.FULL_SCORE, Subject.S3)
    return (Subject.FULL_SCORE,)
