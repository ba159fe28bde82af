"""Issue 15 finding 15: no ASCII "; " or ", " inside Chinese text. Lists and clauses shown to
people are joined in the active language: "、" and "；" in Chinese, ", " and "; " in English."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from vmo.applications.uploads import UploadRefused
from vmo.appointments.choices import Subject
from vmo.core.text import join_clauses, join_items


def test_items_and_clauses_in_each_language():
    with translation.override("zh-hans"):
        assert join_items(["PDF", "JPEG", "PNG"]) == "PDF、JPEG、PNG"
        assert join_clauses(["未满期", "需体检"]) == "未满期；需体检"
        assert join_items([]) == "" and join_items(["一"]) == "一"
    with translation.override("en"):
        assert join_items(["PDF", "JPEG"]) == "PDF, JPEG"
        assert join_clauses(["too early", "needs a check"]) == "too early; needs a check"


def test_lazy_labels_are_joined_in_the_active_language():
    labels = [Subject("1").label, Subject("2").label]
    with translation.override("zh-hans"):
        joined = join_items(labels)
        assert "、" in joined and ", " not in joined
    with translation.override("en"):
        assert ", " in join_items(labels)


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "甲；乙"), ("en", "甲; 乙")])
def test_template_filters_and_refusals(language, expected):
    with translation.override(language):
        rendered = Template("{{ reasons|join_clauses }}|{{ names|join_items }}").render(
            Context({"reasons": ["甲", "乙"], "names": ["a", "b"]})
        )
        assert rendered.split("|")[0] == expected
        assert rendered.split("|")[1] == ("a、b" if language == "zh-hans" else "a, b")
        assert str(UploadRefused(["甲", "乙"])) == expected
