"""Reads of education, for pages, the API and other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from vmo.core import clock
from vmo.core.templatetags.vmo import localised
from vmo.registry import selectors as registry

from . import rules as full_score_rules
from .choices import CheatingKind, ContentStatus, EnrolmentStatus, Purpose, RegionalKind
from .models import (
    CheatingFinding,
    Course,
    Enrolment,
    FullScoreStudy,
    Lesson,
    LessonProgress,
    OnsiteStudyDay,
    Question,
    QuizAttempt,
    RegionalWarning,
    WarningHit,
)
from .services import effects, full_score
from .services.warnings import action_link

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Person


def full_score_study_complete(licence: DriverLicence) -> bool:
    """True when the licence's open full-score study has its days of Art 19 (online and on
    site, the on-site ones recorded by an officer), so the exam may be booked (R163 Art 21)."""
    return FullScoreStudy.objects.filter(
        licence=licence, closed_at__isnull=True, completed_at__isnull=False
    ).exists()


def exams_void_until(licence: DriverLicence) -> date | None:
    """The last day whose full-score exam results are void: the day of the latest finding that
    an exam was falsified (R163 Art 31 para 1); the exams of the full score are passed again
    after it. None when there is no such finding."""
    return (
        CheatingFinding.objects.filter(licence=licence, kind=CheatingKind.EXAM)
        .order_by("-found_on")
        .values_list("found_on", flat=True)
        .first()
    )


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(status=ContentStatus.PUBLISHED).prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.filter(active=True))
    )


def course_by_code(code: str) -> Course:
    return published_courses().get(code=code)


def open_enrolment(person: Person, course: Course) -> Enrolment | None:
    return (
        Enrolment.objects.filter(person=person, course=course, status=EnrolmentStatus.STUDYING)
        .order_by("-started_at")
        .first()
    )


def enrolment_of(person: Person, pk: int) -> Enrolment:
    """Only the person's own enrolments: anything else is DoesNotExist (a 404)."""
    return Enrolment.objects.select_related("course", "person").get(pk=pk, person=person)


def lesson_of(*, enrolment: Enrolment, code: str) -> Lesson:
    """An active lesson of the enrolment's course; Lesson.DoesNotExist (a 404) otherwise."""
    return Lesson.objects.get(course=enrolment.course, code=code, active=True)


def attempt_questions(attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions in the order it drew them."""
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    return [by_id[qid] for qid in attempt.question_ids]


@dataclass
class LessonRow:
    lesson: Lesson
    seconds: int
    done: bool
    opened: bool


def lesson_rows(enrolment: Enrolment | None, course: Course) -> list[LessonRow]:
    progress = (
        {p.lesson_id: p for p in LessonProgress.objects.filter(enrolment=enrolment)}
        if enrolment
        else {}
    )
    rows = []
    for lesson in course.lessons.all():
        if not lesson.active:
            continue
        p = progress.get(lesson.pk)
        rows.append(
            LessonRow(
                lesson=lesson,
                seconds=p.seconds if p else 0,
                done=bool(p and p.completed_at),
                opened=p is not None,
            )
        )
    return rows


@dataclass
class Overview:
    e01_problems: list[str]
    reduced: int
    full_score: FullScoreStudy | None
    online_days: int
    completed: list[Enrolment]
    onsite_days: int = 0
    counted_days: int = 0
    counted_required: int = 0
    onsite_required: int = 0


def overview(person: Person) -> Overview:
    licence = registry.licence_of(person)
    reduced = 0
    if licence is not None:
        from vmo.registry import rules as registry_rules

        start = registry_rules.cycle_start(licence.first_issue_date, clock.today())
        reduced = effects.reduced_in_cycle(licence=licence, cycle_start=start)
    study = full_score.open_full_score_study(person=person)
    online = full_score.online_study_dates(study=study) if study else set()
    onsite = full_score.onsite_study_dates(study=study) if study else set()
    counted_required, onsite_required = full_score_rules.study_days_needed(
        bool(study and study.large_class)
    )
    return Overview(
        e01_problems=effects.e01_problems(person=person, licence=licence),
        reduced=reduced,
        full_score=study,
        online_days=len(online),
        onsite_days=len(onsite),
        counted_days=len(online | onsite),
        counted_required=counted_required,
        onsite_required=onsite_required,
        completed=list(
            Enrolment.objects.filter(person=person, status=EnrolmentStatus.COMPLETED)
            .select_related("course")
            .order_by("-completed_at")[:20]
        ),
    )


@dataclass
class WarningItem:
    kind: str
    subject: str
    body: str
    action: str
    link: str
    found_at: Any


def warnings_for(person: Person) -> list[WarningItem]:
    """Targeted warnings found for the person in the last 90 days, and regional warnings in
    force for their region."""
    from vmo.notices import kinds as notice_kind_registry

    items: list[WarningItem] = []
    since = clock.now() - timedelta(days=90)
    for hit in WarningHit.objects.filter(person=person, found_at__gte=since)[:50]:
        kind = notice_kind_registry.get(f"warnings.{hit.rule}")
        texts = kind.render(hit.context)
        items.append(
            WarningItem(
                kind=str(kind.name),
                subject=texts["subject"],
                body=texts["body"],
                action="",
                link=action_link(rule=hit.rule),
                found_at=hit.found_at,
            )
        )
    today = clock.today()
    for warning in RegionalWarning.objects.filter(
        status=ContentStatus.PUBLISHED, starts_on__lte=today, ends_on__gte=today
    )[:50]:
        if any(person.region_code.startswith(p) for p in warning.region_list):
            items.append(
                WarningItem(
                    kind=str(RegionalKind(warning.kind).label),
                    subject=localised(warning, "title"),
                    body=localised(warning, "body"),
                    action=localised(warning, "action"),
                    link="",
                    found_at=warning.published_at,
                )
            )
    return items


def study_time_total(enrolment: Enrolment) -> int:
    return int(enrolment.times.aggregate(s=Sum("seconds"))["s"] or 0)


# --- The officers' full-score study pages ----------------------------------------------------


def open_full_score_studies() -> QuerySet[FullScoreStudy]:
    """Open full-score studies, newest first, with the holder (for the officers' list)."""
    return (
        FullScoreStudy.objects.filter(closed_at__isnull=True)
        .select_related("licence__holder")
        .annotate(onsite_count=Count("onsite_days", filter=Q(onsite_days__finding__isnull=True)))
        .order_by("-assigned_at", "-id")
    )


@dataclass
class StudyFile:
    """One full-score study as the officer at the site sees it (R163 Art 19)."""

    study: FullScoreStudy
    onsite: list[OnsiteStudyDay]
    online_days: int
    onsite_days: int
    counted_days: int
    counted_required: int
    onsite_required: int


@dataclass
class PersonStudy:
    person: Person
    licence: DriverLicence | None
    studies: list[StudyFile]
    reduction_studies: list[Enrolment]
    findings: list[CheatingFinding]


def person_study(person_id: int) -> PersonStudy:
    """The person's full-score studies (open first), their learn-to-reduce-points studies and
    the findings of falsified study. Person.DoesNotExist for an unknown id."""
    person = registry.person_get(pk=person_id)
    licence = registry.licence_of(person)
    files: list[StudyFile] = []
    findings: list[CheatingFinding] = []
    if licence is not None:
        studies = FullScoreStudy.objects.filter(licence=licence).order_by(
            F("closed_at").desc(nulls_first=True), "-assigned_at"
        )[:5]
        for study in studies:
            online = full_score.online_study_dates(study=study)
            onsite = full_score.onsite_study_dates(study=study)
            counted, onsite_needed = full_score_rules.study_days_needed(study.large_class)
            files.append(
                StudyFile(
                    study=study,
                    onsite=list(study.onsite_days.select_related("recorded_by")),
                    online_days=len(online),
                    onsite_days=len(onsite),
                    counted_days=len(online | onsite),
                    counted_required=counted,
                    onsite_required=onsite_needed,
                )
            )
        findings = list(
            CheatingFinding.objects.filter(licence=licence).select_related("found_by")[:20]
        )
    reductions = list(
        Enrolment.objects.filter(person=person, purpose=Purpose.E01)
        .select_related("course", "reduction")
        .order_by("-started_at")[:20]
    )
    return PersonStudy(
        person=person,
        licence=licence,
        studies=files,
        reduction_studies=reductions,
        findings=findings,
    )
