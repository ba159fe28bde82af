"""Loading the shipped library (TOML files) into the database: validate every file, list every
problem at once, change nothing unless all files are clean, then upsert by code (idempotent)."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from vmo.core import clock
from vmo.core.selectors import events_for
from vmo.core.services import event_record

from ..choices import ContentStatus, LessonKind, Purpose
from ..models import Course, Lesson, Question

if TYPE_CHECKING:
    from vmo.accounts.models import User

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
BILINGUAL_COURSE = ("title", "summary")
BILINGUAL_LESSON = ("title", "body")
BILINGUAL_QUESTION = ("text", "explanation")


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


@dataclass
class LoadReport:
    problems: list[Problem] = field(default_factory=list)
    courses: int = 0
    lessons: int = 0
    questions: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _Checker:
    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file, self.problems = file, problems

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(where, f"'{key}' is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(where, f"'{key}' must be non-empty text")
            return ""
        return value

    def bilingual(self, data: dict[str, Any], names: tuple[str, ...], where: str) -> None:
        for name in names:
            for lang in ("zh", "en"):
                self.text(data, f"{name}_{lang}", where)

    def integer(self, data: dict[str, Any], key: str, where: str, low: int, high: int) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(where, f"'{key}' must be a whole number from {low} to {high}")
            return low
        return value


def _read(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, "file", f"not valid TOML: {exc}"))
        return None


def _check_lessons(course: dict[str, Any], check: _Checker, images_dir: Path) -> set[str]:
    lessons = course.get("lessons")
    codes: set[str] = set()
    if not isinstance(lessons, list) or not lessons:
        check.add("course", "'lessons' must list at least one lesson")
        return codes
    for index, lesson in enumerate(lessons, 1):
        where = f"lesson {index}"
        if not isinstance(lesson, dict):
            check.add(where, "must be a table")
            continue
        code = check.text(lesson, "code", where)
        where = f"lesson {code or index}"
        if code in codes:
            check.add(where, "code used twice")
        codes.add(code)
        if lesson.get("kind") not in LessonKind.values:
            check.add(where, f"'kind' must be one of {', '.join(LessonKind.values)}")
        check.integer(lesson, "minimum_minutes", where, 1, 600)
        check.bilingual(lesson, BILINGUAL_LESSON, where)
        if lesson.get("kind") == LessonKind.VIDEO:
            for key in ("captions_zh", "captions_en", "transcript_zh", "transcript_en"):
                value = check.text(lesson, key, where)
                if key.startswith("captions") and value and not value.startswith("WEBVTT"):
                    check.add(where, f"'{key}' must be WebVTT (start with WEBVTT)")
        for image in lesson.get("images", []) or []:
            if not isinstance(image, dict) or not image.get("file"):
                check.add(where, "each image needs a 'file'")
                continue
            check.bilingual(image, ("alt",), f"{where} image {image['file']}")
            if not (images_dir / str(image["file"])).is_file():
                check.add(where, f"image file {image['file']} not found in images/")
    return codes


def _check_course(data: dict[str, Any], check: _Checker, stem: str, images_dir: Path) -> set[str]:
    code = check.text(data, "code", "course")
    if code and code != stem:
        check.add("course", f"code '{code}' differs from the file name '{stem}'")
    check.bilingual(data, BILINGUAL_COURSE, "course")
    if data.get("purpose") not in Purpose.values:
        check.add("course", f"'purpose' must be one of {', '.join(Purpose.values)}")
    check.integer(data, "pass_mark", "course", 1, 100)
    check.integer(data, "quiz_questions", "course", 1, 100)
    codes = _check_lessons(data, check, images_dir)
    minutes = sum(
        lesson.get("minimum_minutes", 0)
        for lesson in data.get("lessons") or []
        if isinstance(lesson, dict) and isinstance(lesson.get("minimum_minutes"), int)
    )
    # R163 Art 27: an online reduction needs >= 30 minutes; R162 Art 73: >= 3 hours.
    floor = {Purpose.E01: 30, Purpose.E03: 180}.get(data.get("purpose", ""), 0)
    if minutes < floor:
        check.add("course", f"lessons add up to {minutes} minutes; this purpose needs {floor}")
    return codes


def _check_questions(data: dict[str, Any], check: _Checker, lessons: set[str]) -> int:
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        check.add("file", "'questions' must list at least one question")
        return 0
    seen: set[str] = set()
    for index, question in enumerate(questions, 1):
        where = f"question {index}"
        if not isinstance(question, dict):
            check.add(where, "must be a table")
            continue
        code = check.text(question, "code", where)
        where = f"question {code or index}"
        if code in seen:
            check.add(where, "code used twice")
        seen.add(code)
        lesson = question.get("lesson")
        if lesson is not None and lesson not in lessons:
            check.add(where, f"lesson '{lesson}' is not a lesson of the course")
        check.bilingual(question, BILINGUAL_QUESTION, where)
        lengths = []
        for lang in ("zh", "en"):
            choices = question.get(f"choices_{lang}")
            if (
                not isinstance(choices, list)
                or len(choices) < 2
                or not all(isinstance(c, str) and c.strip() for c in choices)
            ):
                check.add(where, f"'choices_{lang}' must list at least two non-empty texts")
                continue
            lengths.append(len(choices))
        if len(lengths) == 2 and lengths[0] != lengths[1]:
            check.add(where, "'choices_zh' and 'choices_en' differ in length")
        check.integer(question, "answer", where, 0, (min(lengths) - 1) if lengths else 0)
    return len(questions)


@dataclass
class _Parsed:
    course: dict[str, Any]
    questions: list[dict[str, Any]]
    file: str


def content_check(*, directory: Path = CONTENT_DIR) -> tuple[list[_Parsed], list[Problem]]:
    """Read and validate every course and question file; every problem is listed."""
    problems: list[Problem] = []
    parsed: list[_Parsed] = []
    course_files = sorted((directory / "courses").glob("*.toml"))
    if not course_files:
        problems.append(Problem("courses/", "directory", "no course files"))
    question_files = {p.stem: p for p in (directory / "questions").glob("*.toml")}
    all_codes: dict[str, str] = {}
    for path in course_files:
        data = _read(path, problems)
        if data is None:
            continue
        check = _Checker(f"courses/{path.name}", problems)
        lessons = _check_course(data, check, path.stem, directory / "images")
        for code in lessons:
            if code in all_codes:
                check.add(f"lesson {code}", f"code also used in {all_codes[code]}")
            all_codes[code] = path.name
        questions: list[dict[str, Any]] = []
        qpath = question_files.pop(path.stem, None)
        qcheck = _Checker(f"questions/{path.stem}.toml", problems)
        if qpath is None:
            qcheck.add("file", "missing: every course needs its questions")
        else:
            qdata = _read(qpath, problems)
            if qdata is not None:
                count = _check_questions(qdata, qcheck, lessons)
                questions = qdata.get("questions") or []
                wanted = data.get("quiz_questions")
                if isinstance(wanted, int) and count and wanted > count:
                    check.add("course", f"quiz_questions {wanted} exceeds the {count} questions")
                for q in questions:
                    qcode = q.get("code") if isinstance(q, dict) else None
                    if isinstance(qcode, str) and qcode in all_codes:
                        qcheck.add(f"question {qcode}", f"code also used in {all_codes[qcode]}")
                    if isinstance(qcode, str):
                        all_codes[qcode] = qpath.name
        parsed.append(_Parsed(course=data, questions=questions, file=path.name))
    for stem in sorted(question_files):
        problems.append(Problem(f"questions/{stem}.toml", "file", "no course with this code"))
    return parsed, problems


def _fields(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {name: data.get(name, "") or "" for name in names}


@transaction.atomic
def content_load(*, actor: User | None = None, directory: Path = CONTENT_DIR) -> LoadReport:
    """Validate, then upsert every course, lesson and question by code. Shipped courses are
    published (they were reviewed in the repository); a lesson or question dropped from its
    file is retired (kept for the study records that point at it)."""
    parsed, problems = content_check(directory=directory)
    report = LoadReport(problems=problems)
    if problems:
        return report
    now = clock.now()
    for item in parsed:
        data = item.course
        course, created = Course.objects.update_or_create(
            code=data["code"],
            defaults={
                **_fields(data, ["title_zh", "title_en", "summary_zh", "summary_en"]),
                "purpose": data["purpose"],
                "pass_mark": data["pass_mark"],
                "quiz_questions": data["quiz_questions"],
                "source": f"file:{item.file}",
                "status": ContentStatus.PUBLISHED,
            },
        )
        if created or course.published_at is None:
            Course.objects.filter(pk=course.pk).update(published_at=now)
        report.courses += 1
        report.created += int(created)
        report.updated += int(not created)
        lessons: dict[str, Lesson] = {}
        text_fields = ["title_zh", "title_en", "body_zh", "body_en", "video"]
        text_fields += ["captions_zh", "captions_en", "transcript_zh", "transcript_en"]
        for position, ldata in enumerate(data["lessons"], 1):
            lesson, _created = Lesson.objects.update_or_create(
                code=ldata["code"],
                defaults={
                    **_fields(ldata, text_fields),
                    "course": course,
                    "position": position,
                    "kind": ldata["kind"],
                    "minimum_minutes": ldata["minimum_minutes"],
                    "images": ldata.get("images") or [],
                    "active": True,
                },
            )
            lessons[lesson.code] = lesson
            report.lessons += 1
        report.retired += (
            Lesson.objects.filter(course=course, active=True)
            .exclude(code__in=lessons)
            .update(active=False)
        )
        codes = []
        for qdata in item.questions:
            Question.objects.update_or_create(
                code=qdata["code"],
                defaults={
                    **_fields(
                        qdata,
                        ["text_zh", "text_en", "explanation_zh", "explanation_en"],
                    ),
                    "course": course,
                    "lesson": lessons.get(qdata.get("lesson") or ""),
                    "choices_zh": qdata["choices_zh"],
                    "choices_en": qdata["choices_en"],
                    "answer": qdata["answer"],
                    "active": True,
                },
            )
            codes.append(qdata["code"])
            report.questions += 1
        report.retired += (
            Question.objects.filter(course=course, active=True)
            .exclude(code__in=codes)
            .update(active=False)
        )
        # One history entry per change of the shipped text, not per load: loading the same
        # files again (every demo start) records nothing.
        digest = hashlib.sha256(
            json.dumps([data, item.questions], sort_keys=True, default=str).encode()
        ).hexdigest()
        last = events_for(course).filter(action="course.load").order_by("-id").first()
        if last is None or last.after.get("digest") != digest:
            event_record(
                actor=actor,
                subject=course,
                action="course.load",
                after={
                    "lessons": len(lessons),
                    "questions": len(codes),
                    "file": item.file,
                    "digest": digest,
                },
            )
    return report
