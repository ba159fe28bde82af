"""The citizen's study pages under /learn/. Thin: parse, call one service or selector, render.
A citizen sees only their own enrolments and certificates (404 otherwise)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vmo.accounts.permissions import citizen_required

from . import selectors, services
from .choices import EnrolmentStatus
from .markup import render_body
from .models import Course, Enrolment, Lesson, QuizAttempt
from .pdf import certificate_pdf
from .services.content import CONTENT_DIR

if TYPE_CHECKING:
    from vmo.registry.models import Person

IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}\.(svg|png|jpg)$")


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    assert person is not None
    return person


def _course(code: str) -> Course:
    try:
        return selectors.course_by_code(code)
    except Course.DoesNotExist:
        raise Http404 from None


def _lesson(course: Course, code: str) -> Lesson:
    for lesson in course.lessons.all():
        if lesson.code == code:
            return lesson
    raise Http404


def _say(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@citizen_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(
        request,
        "education/index.html",
        {"courses": selectors.published_courses(), "overview": selectors.overview(person)},
    )


@citizen_required
@require_GET
def course_detail(request: HttpRequest, code: str) -> HttpResponse:
    course = _course(code)
    person = _person(request)
    enrolment = selectors.open_enrolment(person, course)
    rows = selectors.lesson_rows(enrolment, course)
    return render(
        request,
        "education/course.html",
        {
            "course": course,
            "enrolment": enrolment,
            "rows": rows,
            "all_done": bool(rows) and all(r.done for r in rows),
            # A start that would be refused is not offered: the reasons are shown instead.
            "start_problems": (
                [] if enrolment else services.start_problems(person=person, course=course)
            ),
        },
    )


@citizen_required
@require_POST
def course_start(request: HttpRequest, code: str) -> HttpResponse:
    course = _course(code)
    try:
        services.enrolment_start(person=_person(request), course=course)
    except ValidationError as exc:
        _say(request, exc)
    return redirect("education:course", code=code)


def _enrolment(request: HttpRequest, course: Course) -> Enrolment:
    enrolment = selectors.open_enrolment(_person(request), course)
    if enrolment is None:
        raise Http404
    return enrolment


@citizen_required
@require_GET
def lesson_detail(request: HttpRequest, code: str, lesson_code: str) -> HttpResponse:
    course = _course(code)
    lesson = _lesson(course, lesson_code)
    enrolment = selectors.open_enrolment(_person(request), course)
    if enrolment is None:
        messages.info(request, _("Start the course first."))
        return redirect("education:course", code=code)
    try:
        progress = services.lesson_open(enrolment=enrolment, lesson=lesson)
    except ValidationError as exc:
        _say(request, exc)
        return redirect("education:course", code=code)
    english = (get_language() or "").startswith("en")
    return render(
        request,
        "education/lesson.html",
        {
            "course": course,
            "lesson": lesson,
            "progress": progress,
            "body": render_body(lesson.body_en if english else lesson.body_zh, lesson.body_format),
            "transcript": lesson.transcript_en if english else lesson.transcript_zh,
            "images": [
                {"file": i["file"], "alt": i.get("alt_en" if english else "alt_zh", "")}
                for i in lesson.images
            ],
        },
    )


@citizen_required
@require_POST
def lesson_done(request: HttpRequest, code: str, lesson_code: str) -> HttpResponse:
    course = _course(code)
    lesson = _lesson(course, lesson_code)
    try:
        services.lesson_done(enrolment=_enrolment(request, course), lesson=lesson)
    except ValidationError as exc:
        _say(request, exc)
        return redirect("education:lesson", code=code, lesson_code=lesson_code)
    messages.success(request, _("Lesson completed."))
    return redirect("education:course", code=code)


@citizen_required
@require_GET
def quiz(request: HttpRequest, code: str) -> HttpResponse:
    course = _course(code)
    try:
        attempt = services.quiz_start(enrolment=_enrolment(request, course))
    except ValidationError as exc:
        _say(request, exc)
        return redirect("education:course", code=code)
    return _quiz_page(request, course, attempt)


def _quiz_page(
    request: HttpRequest, course: Course, attempt: QuizAttempt, errors: list[str] | None = None
) -> HttpResponse:
    english = (get_language() or "").startswith("en")
    questions = []
    for number, q in enumerate(selectors.attempt_questions(attempt), 1):
        questions.append(
            {
                "number": number,
                "id": q.pk,
                "text": q.text_en if english else q.text_zh,
                "choices": list(enumerate(q.choices_en if english else q.choices_zh)),
                "chosen": request.POST.get(f"q{q.pk}") if request.method == "POST" else None,
            }
        )
    return render(
        request,
        "education/quiz.html",
        {"course": course, "attempt": attempt, "questions": questions, "errors": errors or []},
        status=422 if errors else 200,
    )


@citizen_required
@require_POST
def quiz_submit(request: HttpRequest, code: str) -> HttpResponse:
    course = _course(code)
    nonce = request.POST.get("nonce", "")
    answers = {key[1:]: value for key, value in request.POST.items() if re.fullmatch(r"q\d+", key)}
    try:
        result = services.quiz_submit(person=_person(request), nonce=nonce, answers=answers)
    except services.StudyRefused as exc:
        _say(request, exc)
        return redirect("education:course", code=code)
    except ValidationError as exc:
        attempt = QuizAttempt.objects.filter(
            nonce=nonce, enrolment__person=_person(request)
        ).first()
        if attempt is None:
            raise Http404 from None
        return _quiz_page(request, course, attempt, errors=exc.messages)
    return redirect("education:result", pk=result.attempt.pk)


@citizen_required
@require_GET
def quiz_result(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        attempt = QuizAttempt.objects.select_related("enrolment__course").get(
            pk=pk, enrolment__person=_person(request), submitted_at__isnull=False
        )
    except QuizAttempt.DoesNotExist:
        raise Http404 from None
    from .models import Question

    english = (get_language() or "").startswith("en")
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    review = []
    for number, qid in enumerate(attempt.question_ids, 1):
        q = by_id[qid]
        choices = q.choices_en if english else q.choices_zh
        given = attempt.answers.get(str(qid))
        review.append(
            {
                "number": number,
                "text": q.text_en if english else q.text_zh,
                "given": choices[given] if given is not None else "",
                "right": choices[q.answer],
                "correct": given == q.answer,
                "explanation": q.explanation_en if english else q.explanation_zh,
            }
        )
    enrolment = attempt.enrolment
    return render(
        request,
        "education/result.html",
        {
            "attempt": attempt,
            "course": enrolment.course,
            "enrolment": enrolment,
            "review": review,
            "reduction": getattr(enrolment, "reduction", None),
        },
    )


@citizen_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        enrolment = selectors.enrolment_of(_person(request), pk)
    except Enrolment.DoesNotExist:
        raise Http404 from None
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise Http404
    pdf = certificate_pdf(enrolment, language=get_language() or "zh-hans")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="certificate-{enrolment.certificate_number}.pdf"'
    )
    return response


@citizen_required
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    return render(
        request, "education/warnings.html", {"items": selectors.warnings_for(_person(request))}
    )


@require_GET
def image(request: HttpRequest, name: str) -> FileResponse:
    if not IMAGE_NAME.match(name):
        raise Http404
    path: Path = CONTENT_DIR / "images" / name
    if not path.is_file():
        raise Http404
    content_type = "image/svg+xml" if name.endswith(".svg") else None
    return FileResponse(path.open("rb"), content_type=content_type)
