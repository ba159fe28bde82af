"""The library loader: every problem listed at once, nothing loaded unless all is clean,
idempotent; and the shipped library loads and meets the minimum."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.education.helpers import E01_COURSE, questions, write_library
from vmo.education.choices import ContentStatus
from vmo.education.markup import render_text
from vmo.education.models import Course, Lesson, Question
from vmo.education.services.content import CONTENT_DIR, content_check, content_load

pytestmark = pytest.mark.django_db


def test_load_is_idempotent_and_retires_dropped_items(tmp_path):
    root = write_library(tmp_path)
    first = content_load(directory=root)
    assert first.ok and first.created == 2
    second = content_load(directory=root)
    assert second.ok and second.created == 0 and second.updated == 2
    assert Course.objects.count() == 2 and Question.objects.count() == 6
    assert Course.objects.get(code="reduce").status == ContentStatus.PUBLISHED
    # Drop a question: it is retired, not deleted.
    (root / "questions" / "reduce.toml").write_text(questions("r", "r-01", count=2))
    (root / "courses" / "reduce.toml").write_text(
        E01_COURSE.replace("quiz_questions = 3", "quiz_questions = 2")
    )
    report = content_load(directory=root)
    assert report.ok and report.retired == 1
    assert Question.objects.filter(active=False).count() == 1


def test_every_problem_is_listed_and_nothing_loaded(tmp_path):
    root = write_library(tmp_path)
    bad = (
        E01_COURSE.replace('purpose = "e01"', 'purpose = "weird"')
        .replace(
            'minimum_minutes = 15\ntitle_zh = "第一课"', 'minimum_minutes = 0\ntitle_zh = "第一课"'
        )
        .replace('title_en = "Lesson two"', 'title_en = ""')
        .replace('captions_en = """WEBVTT', 'captions_en = """NOPE')
    )
    (root / "courses" / "reduce.toml").write_text(bad)
    (root / "questions" / "reduce.toml").write_text(
        questions("r", "nope").replace("answer = 2", "answer = 7")
    )
    (root / "questions" / "orphan.toml").write_text(questions("o", "x"))
    report = content_load(directory=root)
    messages = [str(p) for p in report.problems]
    assert not report.ok
    for fragment in (
        "'purpose'",
        "'minimum_minutes'",
        "'title_en'",
        "WebVTT",
        "lesson 'nope'",
        "'answer'",
        "orphan.toml",
    ):
        assert any(fragment in m for m in messages), (fragment, messages)
    assert Course.objects.count() == 0 and Lesson.objects.count() == 0


def test_e01_course_needs_thirty_minutes(tmp_path):
    root = write_library(tmp_path)
    (root / "courses" / "reduce.toml").write_text(E01_COURSE.replace("= 15", "= 10"))
    _, problems = content_check(directory=root)
    assert any("needs 30" in str(p) for p in problems)


def test_markup_escapes_html_and_renders_headings_and_bullets():
    html = render_text("## 标题\n\n第一段\n\n- 甲\n- <script>x</script>")
    assert "<h2>标题</h2>" in html and "<p>第一段</p>" in html
    assert "<li>&lt;script&gt;x&lt;/script&gt;</li>" in html and "<script>" not in html


def test_command_reports_problems(tmp_path):
    root = write_library(tmp_path)
    (root / "questions" / "full.toml").unlink()
    with pytest.raises(CommandError):
        call_command("education_load", "--dir", str(root))


def test_shipped_library_loads_and_meets_the_minimum():
    report = content_load(directory=CONTENT_DIR)
    assert report.ok, "\n".join(str(p) for p in report.problems)
    courses = Course.objects.filter(source__startswith="file:")
    full = [c for c in courses if c.lessons.filter(active=True).count() >= 5]
    assert len(full) >= 3
    explained = (
        Question.objects.filter(active=True).exclude(explanation_zh="").exclude(explanation_en="")
    )
    assert explained.count() >= 60
    for lesson in Lesson.objects.filter(active=True):
        assert lesson.title_zh and lesson.title_en and lesson.body_zh and lesson.body_en
    assert courses.filter(purpose="e01").exists()
