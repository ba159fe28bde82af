"""A small library written in the shipped format, and drivers with points."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.factories import CitizenFactory, LicenceFactory
from vmo.education.services.content import content_load
from vmo.registry.choices import PointsKind
from vmo.registry.services import points_record

E01_COURSE = '''
code = "reduce"
title_zh = "学法减分测试课"
title_en = "Reduce points (test)"
summary_zh = "摘要"
summary_en = "Summary"
purpose = "e01"
pass_mark = 60
quiz_questions = 3

[[lessons]]
code = "r-01"
kind = "article"
minimum_minutes = 15
title_zh = "第一课"
title_en = "Lesson one"
body_zh = """## 记分周期

记分周期为十二个月。

- 满分12分
- <script>alert(1)</script>"""
body_en = "The cycle is twelve months."

[[lessons]]
code = "r-02"
kind = "video"
minimum_minutes = 15
title_zh = "第二课"
title_en = "Lesson two"
body_zh = "视频课。"
body_en = "A video lesson."
captions_zh = """WEBVTT

00:00.000 --> 00:05.000
字幕"""
captions_en = """WEBVTT

00:00.000 --> 00:05.000
Caption"""
transcript_zh = "文字稿"
transcript_en = "Transcript"
'''

E02_COURSE = (
    E01_COURSE.replace('code = "reduce"', 'code = "full"')
    .replace('purpose = "e01"', 'purpose = "e02"')
    .replace('"r-0', '"f-0')
)


def questions(prefix: str, lesson: str, count: int = 3) -> str:
    out = []
    for n in range(count):
        out.append(
            f"""
[[questions]]
code = "{prefix}-q{n}"
lesson = "{lesson}"
text_zh = "问题{n}"
text_en = "Question {n}"
choices_zh = ["甲", "乙", "丙", "丁"]
choices_en = ["A", "B", "C", "D"]
answer = {n}
explanation_zh = "解释{n}"
explanation_en = "Explanation {n}"
"""
        )
    return "".join(out)


def write_library(root: Path) -> Path:
    (root / "courses").mkdir(parents=True)
    (root / "questions").mkdir()
    (root / "images").mkdir()
    (root / "courses" / "reduce.toml").write_text(E01_COURSE, encoding="utf-8")
    (root / "questions" / "reduce.toml").write_text(questions("r", "r-01"), encoding="utf-8")
    (root / "courses" / "full.toml").write_text(E02_COURSE, encoding="utf-8")
    (root / "questions" / "full.toml").write_text(questions("f", "f-01"), encoding="utf-8")
    return root


def load_library(root: Path) -> None:
    report = content_load(directory=write_library(root))
    assert report.ok, report.problems


def driver(points: int = 3, *, first_issue: date = date(2015, 6, 1), **licence_kwargs):
    """A citizen with a licence and `points` in the current cycle (from one 'violation')."""
    user = CitizenFactory()
    licence = LicenceFactory(holder=user.person, first_issue_date=first_issue, **licence_kwargs)
    add_points(licence, points)
    return user, licence


def add_points(licence, points: int, *, on: date | None = None, source: str = "") -> None:
    from vmo.core import clock

    if points:
        points_record(
            licence=licence,
            actor=None,
            points=points,
            kind=PointsKind.VIOLATION,
            occurred_on=on or clock.today(),
            source_type="test",
            source_id=source,
        )


def right_answers(attempt) -> dict[str, int]:
    from vmo.education.models import Question

    return {str(q.pk): q.answer for q in Question.objects.filter(pk__in=attempt.question_ids)}
