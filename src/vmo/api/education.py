"""The citizen's study under /api/v1/learn/: the same services as the pages, so calling the API
directly skips nothing — lessons are timed by the server, quiz answers carry the attempt's
nonce and are accepted once; every refusal is logged by the service and answered 422 or 409."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema

from vmo.accounts.http import SignedInRequest
from vmo.education import selectors, services

from .auth import AUTH, citizen_person, user_throttle
from .errors import ApiError
from .inputs import In
from .schemas import ErrorOut

if TYPE_CHECKING:
    from vmo.education.models import Course, Enrolment, Lesson

router = Router(tags=["education"], auth=AUTH, throttle=user_throttle())
ACTION = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _en() -> bool:
    return (get_language() or "").startswith("en")


class LessonOut(Schema):
    code: str
    kind: str
    title: str
    minimum_minutes: int


class CourseOut(Schema):
    code: str
    title: str
    summary: str
    purpose: str
    pass_mark: int
    quiz_questions: int
    lessons: list[LessonOut]


class EnrolmentOut(Schema):
    id: int
    course: str
    status: str
    started_at: datetime
    window_ends_at: datetime | None
    certificate_number: str


class ProgressOut(Schema):
    lesson: str
    seconds: int
    completed: bool


class QuestionOut(Schema):
    id: int
    text: str
    choices: list[str]


class QuizOut(Schema):
    nonce: str
    questions: list[QuestionOut]


class AnswersIn(In):
    answers: dict[str, int]


class ResultOut(Schema):
    score: int
    passed: bool
    messages: list[str]


class OverviewOut(Schema):
    e01_problems: list[str]
    reduced_in_cycle: int
    full_score_days_required: int | None
    full_score_online_days_done: int | None
    full_score_online_complete: bool


class WarningOut(Schema):
    kind: str
    subject: str
    body: str
    action: str
    link: str


def _course_out(course: Course) -> dict:
    en = _en()
    return {
        "code": course.code,
        "title": course.title_en if en else course.title_zh,
        "summary": course.summary_en if en else course.summary_zh,
        "purpose": course.purpose,
        "pass_mark": course.pass_mark,
        "quiz_questions": course.quiz_questions,
        "lessons": [
            {
                "code": lesson.code,
                "kind": lesson.kind,
                "title": lesson.title_en if en else lesson.title_zh,
                "minimum_minutes": lesson.minimum_minutes,
            }
            for lesson in course.lessons.all()
        ],
    }


def _refused(exc: ValidationError) -> ApiError:
    code = "refused" if isinstance(exc, services.StudyRefused) else "invalid"
    return ApiError(409 if code == "refused" else 422, code, " ".join(exc.messages))


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    return selectors.enrolment_of(citizen_person(request), pk)


def _lesson(enrolment: Enrolment, code: str) -> Lesson:
    return selectors.lesson_of(enrolment=enrolment, code=code)


@router.get("/courses", response={200: list[CourseOut], 401: ErrorOut})
def course_list(request: HttpRequest) -> list[dict]:
    return [_course_out(c) for c in selectors.published_courses()]


@router.get("/overview", response={200: OverviewOut, **ACTION})
def overview(request: HttpRequest) -> dict:
    data = selectors.overview(citizen_person(request))
    study = data.full_score
    return {
        "e01_problems": data.e01_problems,
        "reduced_in_cycle": data.reduced,
        "full_score_days_required": study.required_days if study else None,
        "full_score_online_days_done": data.online_days if study else None,
        "full_score_online_complete": bool(study and study.completed_at),
    }


@router.post("/courses/{code}/start", response={200: EnrolmentOut, **ACTION})
def course_start(request: HttpRequest, code: str) -> dict:
    person = citizen_person(request)
    try:
        enrolment = services.enrolment_start(person=person, course=selectors.course_by_code(code))
    except ValidationError as exc:
        raise _refused(exc) from None
    return _enrolment_out(enrolment)


def _enrolment_out(enrolment: Enrolment) -> dict:
    return {
        "id": enrolment.pk,
        "course": enrolment.course.code,
        "status": enrolment.status,
        "started_at": enrolment.started_at,
        "window_ends_at": enrolment.window_ends_at,
        "certificate_number": enrolment.certificate_number,
    }


@router.post("/enrolments/{pk}/lessons/{code}/open", response={200: ProgressOut, **ACTION})
def lesson_open(request: HttpRequest, pk: int, code: str) -> dict:
    enrolment = _enrolment(request, pk)
    try:
        progress = services.lesson_open(enrolment=enrolment, lesson=_lesson(enrolment, code))
    except ValidationError as exc:
        raise _refused(exc) from None
    return {"lesson": code, "seconds": progress.seconds, "completed": bool(progress.completed_at)}


@router.post("/enrolments/{pk}/lessons/{code}/done", response={200: ProgressOut, **ACTION})
def lesson_done(request: HttpRequest, pk: int, code: str) -> dict:
    """Accepted only when the server's clock shows the lesson's minimum time since it was
    opened; the request carries no duration."""
    enrolment = _enrolment(request, pk)
    try:
        progress = services.lesson_done(enrolment=enrolment, lesson=_lesson(enrolment, code))
    except ValidationError as exc:
        raise _refused(exc) from None
    return {"lesson": code, "seconds": progress.seconds, "completed": bool(progress.completed_at)}


@router.post("/enrolments/{pk}/quiz", response={200: QuizOut, **ACTION})
def quiz_start(request: HttpRequest, pk: int) -> dict:
    enrolment = _enrolment(request, pk)
    try:
        attempt = services.quiz_start(enrolment=enrolment)
    except ValidationError as exc:
        raise _refused(exc) from None
    en = _en()
    return {
        "nonce": attempt.nonce,
        "questions": [
            {
                "id": q.pk,
                "text": q.text_en if en else q.text_zh,
                "choices": q.choices_en if en else q.choices_zh,
            }
            for q in selectors.attempt_questions(attempt)
        ],
    }


@router.post("/quiz/{nonce}/answers", response={200: ResultOut, **ACTION})
def quiz_answers(request: HttpRequest, nonce: str, payload: AnswersIn) -> dict:
    """Answers by question id (choice index from 0). Accepted once per nonce; a replay is 409."""
    try:
        result = services.quiz_submit(
            person=citizen_person(request), nonce=nonce, answers=payload.answers
        )
    except ValidationError as exc:
        raise _refused(exc) from None
    return {
        "score": result.attempt.score or 0,
        "passed": bool(result.attempt.passed),
        "messages": result.effect_messages,
    }


@router.post("/enrolments/{pk}/reduction", response={200: dict, **ACTION})
def reduction_claim(request: SignedInRequest, pk: int) -> dict:
    """Claim the reduction of a completed study (it is also granted on passing): once only."""
    enrolment = _enrolment(request, pk)
    try:
        reduction = services.reduction_claim(enrolment=enrolment, actor=request.user)
    except ValidationError as exc:
        raise _refused(exc) from None
    return {"points": reduction.points}


@router.get("/warnings", response={200: list[WarningOut], **ACTION})
def warnings(request: HttpRequest) -> list[dict]:
    return [
        {"kind": w.kind, "subject": w.subject, "body": w.body, "action": w.action, "link": w.link}
        for w in selectors.warnings_for(citizen_person(request))
    ]
