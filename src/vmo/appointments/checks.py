"""What makes a booking impossible: every problem at once, each a (code, message) pair, with
the article it rests on. Read-only: services.py calls these under its row locks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from vmo.core import clock, workdays
from vmo.core.text import join_items
from vmo.education import selectors as education
from vmo.registry import inspection
from vmo.registry import selectors as registry_selectors
from vmo.registry.choices import VehicleStatus

from . import rules
from .choices import AppointmentKind, BookingStatus, LearnerStatus, Subject
from .models import Booking, Learner, Session

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Person, Vehicle

Problem = tuple[str, str]


def problems_error(problems: list[Problem]) -> ValidationError:
    """One error naming every problem, shown in the form's error summary."""
    return ValidationError(
        {NON_FIELD_ERRORS: [ValidationError(message, code=code) for code, message in problems]}
    )


# A vehicle in one of these states cannot be inspected (R164 Arts 40-41, 76).
BLOCKED_VEHICLE = frozenset(
    {
        VehicleStatus.TRANSFERRED_OUT,
        VehicleStatus.STOLEN,
        VehicleStatus.CANCELLED,
        VehicleStatus.FORCIBLY_CANCELLED,
        VehicleStatus.SCRAP_VOID,
    }
)
# Working days before the session by which a booking must be cancelled. Exams: "提前一日"
# (R162 Art 46; "一日" is a working day, Art 110). Inspections: until the start [U: local practice].
CANCEL_WORKING_DAYS = {AppointmentKind.EXAM: 1, AppointmentKind.INSPECTION: 0}
# Exam sessions are published at least 10 days before the exam (R162 Art 52).
EXAM_PLAN_DAYS_AHEAD = 10


def _config(name: str, default: object) -> object:
    return getattr(settings, name, default)


def session_start(session: Session) -> datetime:
    return datetime.combine(session.day, session.start_time, tzinfo=clock.OFFICE_TZ)


def _working_days_before(day: date, count: int) -> date:
    for _i in range(count):
        day -= timedelta(days=1)
        while not workdays.is_working_day(day):
            day -= timedelta(days=1)
    return day


def cancel_deadline(session: Session) -> datetime:
    """The last moment a booking in the session may be cancelled or moved."""
    table = _config("VMO_APPOINTMENT_CANCEL_WORKING_DAYS", CANCEL_WORKING_DAYS)
    assert isinstance(table, dict)
    days = int(table.get(session.kind, 0))
    if days <= 0:
        return session_start(session)
    last_day = _working_days_before(session.day, days)
    return datetime.combine(last_day, time(23, 59, 59), tzinfo=clock.OFFICE_TZ)


def booking_closes(session: Session) -> datetime:
    """Exams close at the end of the day before (the roster is drawn then [U]); inspections at
    the start."""
    if session.kind == AppointmentKind.EXAM:
        return datetime.combine(
            session.day - timedelta(days=1), time(23, 59, 59), tzinfo=clock.OFFICE_TZ
        )
    return session_start(session)


def session_problems(session: Session) -> list[Problem]:
    problems: list[Problem] = []
    if not session.site.active:
        problems.append(("closed", _("This site is not taking bookings.")))
    if clock.now() > booking_closes(session):
        problems.append(("closed", _("Booking for this session has closed.")))
    if session.booked >= session.capacity:
        problems.append(("full", _("This session is full. Choose another session.")))
    return problems


def inspection_problems(
    *, person: Person, vehicle: Vehicle | None, session: Session
) -> list[Problem]:
    if vehicle is None:
        return [("vehicle", _("Choose the vehicle to be inspected."))]
    if vehicle.owner_person_id != person.pk:
        return [("not_owner", _("This vehicle is not registered in your name."))]
    problems: list[Problem] = []
    blocked = set(vehicle.status) & BLOCKED_VEHICLE
    if blocked:
        labels = dict(VehicleStatus.choices)
        problems.append(
            (
                "vehicle_status",
                _("The vehicle's status (%(status)s) does not allow an inspection.")
                % {"status": join_items(labels[c] for c in sorted(blocked))},
            )
        )
    opens = inspection.window_opens(vehicle.inspection_valid_until)
    if session.day < opens:
        problems.append(
            (
                "window",
                _(
                    "The inspection validity ends on %(until)s: it can be inspected from"
                    " %(opens)s, within the 3 months before (R164 Art 54)."
                )
                % {"until": vehicle.inspection_valid_until, "opens": opens},
            )
        )
    return problems


def _subject_label(subject: str) -> str:
    return str(Subject(subject).label)


def _last_failure_day(
    learner: Learner | None, licence: DriverLicence | None, subject: str
) -> date | None:
    failed = Booking.objects.filter(
        subject=subject, status__in=[BookingStatus.FAILED, BookingStatus.ABSENT]
    )
    if learner is not None:
        failed = failed.filter(learner=learner)
    else:
        failed = failed.filter(licence=licence)
    last = failed.order_by("-session__day").values_list("session__day", flat=True).first()
    return last


def exam_problems(
    *, learner: Learner | None, session: Session, holds_car_licence: bool
) -> list[Problem]:
    subject = session.subject
    label = _subject_label(subject)
    if learner is None:
        return [
            (
                "no_learner",
                _(
                    "No driving-test application of yours is on record. Apply at a driving school or the office first."
                ),
            )
        ]
    if learner.status != LearnerStatus.ACTIVE:
        return [
            (
                "learner_status",
                _("Your driving-test record is closed (%(status)s).")
                % {"status": learner.get_status_display()},
            )
        ]
    today = clock.today()
    problems: list[Problem] = []
    if learner.passed_on(subject):
        problems.append(("passed", _("You have already passed %(subject)s.") % {"subject": label}))
    if subject != Subject.S1:
        if not learner.subject1_passed_on:
            problems.append(
                (
                    "order",
                    _("%(subject)s can be booked only after passing subject 1 (R162 Art 39).")
                    % {"subject": label},
                )
            )
        elif learner.permit_valid_until and learner.permit_valid_until < session.day:
            problems.append(
                (
                    "permit",
                    _(
                        "Your learner permit is valid until %(date)s, before this exam day; every subject must be passed within its validity (R162 Art 41)."
                    )
                    % {"date": learner.permit_valid_until},
                )
            )
    if subject in rules.ROAD_SUBJECTS and learner.permit_issued_on:
        wait = rules.days_after_permit(
            subject, learner.licence_class, holds_car_licence=holds_car_licence
        )
        earliest = learner.permit_issued_on + timedelta(days=wait)
        if today < earliest:
            problems.append(
                (
                    "permit_wait",
                    _(
                        "%(subject)s can be booked from %(date)s, %(days)s days after the learner permit was issued (R162 Arts 43-44)."
                    )
                    % {"subject": label, "date": earliest, "days": wait},
                )
            )
        used = getattr(learner, f"subject{subject}_bookings")
        if used >= rules.MAX_BOOKINGS_PER_PERMIT:
            problems.append(
                (
                    "cap",
                    _(
                        "%(subject)s may be booked at most %(count)s times within the learner permit (R162 Art 47)."
                    )
                    % {"subject": label, "count": rules.MAX_BOOKINGS_PER_PERMIT},
                )
            )
    if (
        subject == Subject.S3
        and _config("VMO_EXAM_SUBJECT2_BEFORE_3", False)
        and not learner.subject2_passed_on
    ):
        problems.append(("order", _("Subject 3 can be booked only after passing subject 2.")))
    if subject == Subject.S4 and not (learner.subject2_passed_on and learner.subject3_passed_on):
        problems.append(
            (
                "order",
                _(
                    "The safe-driving knowledge test can be booked only after passing subject 2 and subject 3 road driving (R162 Art 39)."
                ),
            )
        )
    if subject in rules.ROAD_SUBJECTS:
        failed_on = _last_failure_day(learner, None, subject)
        if failed_on is not None and today < rules.rebook_from(failed_on):
            problems.append(
                (
                    "waiting",
                    _(
                        "After the exam not passed on %(day)s, %(subject)s can be booked again from %(date)s (R162 Art 47)."
                    )
                    % {"day": failed_on, "subject": label, "date": rules.rebook_from(failed_on)},
                )
            )
    return problems


def full_score_rebook_from(failed_on: date) -> date:
    """Ten natural days; a last day on a holiday moves to the next working day (R163 Art 36)."""
    last_day = rules.rebook_from(failed_on) - timedelta(days=1)
    return workdays.add_working_days(last_day, 0) + timedelta(days=1)


def full_score_required(licence: DriverLicence) -> tuple[date | None, tuple[str, ...]]:
    """The day of the licence's latest full score and the exams it requires (R163 Art 22)."""
    reached = registry_selectors.full_score_latest(licence)
    if reached is None:
        return None, (Subject.FULL_SCORE,)
    points = registry_selectors.cycle_points_accumulated(licence, cycle_start=reached.cycle_start)
    return reached.reached_on, rules.full_score_exams(occurrence=reached.occurrence, points=points)


def full_score_passed(licence: DriverLicence, since: date | None) -> set[str]:
    """The full-score exams passed since the full score was reached, and after the day an
    officer found one of them falsified: those results are void (R163 Art 31 para 1)."""
    passed = Booking.objects.filter(
        licence=licence, learner__isnull=True, status=BookingStatus.PASSED
    )
    if since is not None:
        passed = passed.filter(session__day__gte=since)
    void_until = education.exams_void_until(licence)
    if void_until is not None:
        passed = passed.filter(session__day__gt=void_until)
    return set(passed.values_list("subject", flat=True))


def full_score_applies(licence: DriverLicence | None, subject: str) -> bool:
    """A road test of a licence at full score is one of its full-score exams (R163 Art 22),
    whether required or not (the check says which); a licence at full score takes no new
    class's tests meanwhile."""
    return licence is not None and "B" in licence.status and subject in rules.ROAD_SUBJECTS


class StudyComplete(Protocol):
    """The education app's answer, passed in (keyword-only, as every service is)."""

    def __call__(self, *, licence: DriverLicence) -> bool: ...


def full_score_problems(
    *,
    licence: DriverLicence | None,
    study_complete: StudyComplete,
    subject: str = Subject.FULL_SCORE,
) -> list[Problem]:
    if licence is None:
        return [("no_licence", _("No driving licence of yours is on record."))]
    problems: list[Problem] = []
    if "B" not in licence.status:
        problems.append(
            (
                "not_full_score",
                _("Your licence has not reached 12 points: no full-score exam is needed."),
            )
        )
        return problems
    if not study_complete(licence=licence):
        problems.append(
            (
                "study",
                _(
                    "Finish the full-score study first; the exam can be booked after it (R163 Arts 18-21)."
                ),
            )
        )
    reached_on, required = full_score_required(licence)
    passed = full_score_passed(licence, reached_on)
    if subject in passed:
        problems.append(
            ("passed", _("You have passed this exam of your full score already (R163 Art 22)."))
        )
    elif subject != Subject.FULL_SCORE and Subject.FULL_SCORE not in passed:
        problems.append(
            (
                "order",
                _(
                    "%(subject)s of a full score can be booked after the law exam is passed (R163 Art 22)."
                )
                % {"subject": _subject_label(subject)},
            )
        )
    if subject not in required:
        problems.append(
            (
                "not_required",
                _("%(subject)s is not one of the exams your full score requires (R163 Art 22).")
                % {"subject": _subject_label(subject)},
            )
        )
    failed_on = _last_failure_day(None, licence, subject)
    if failed_on is not None:
        earliest = full_score_rebook_from(failed_on)
        if clock.today() < earliest:
            problems.append(
                (
                    "waiting",
                    _(
                        "After the exam not passed on %(day)s, the full-score exam can be booked again from %(date)s (R163 Art 21)."
                    )
                    % {"day": failed_on, "date": earliest},
                )
            )
    return problems
