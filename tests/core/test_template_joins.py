"""Lists on pages are joined with the one join helper (core.text.join_items, the ``join_items``
filter), so a Chinese page reads "甲、乙", not "甲, 乙": a template's own ``|join:", "`` puts
ASCII punctuation inside Chinese text whatever the page's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "vmo"
ASCII_JOIN = re.compile(r"""\|join:\s*["'][,;]\s?["']""")
# Joined as what they are, not as words: a CSV file's header line (its separator is the comma)
# and decision codes shown as code.
KEPT = {
    "bulletins/templates/bulletins/office/upload.html",
    "violations/templates/violations/office/proxy.html",
}


def test_no_template_joins_a_list_with_ascii_punctuation():
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.html")
        if ASCII_JOIN.search(path.read_text(encoding="utf-8"))
    ]
    assert sorted(set(found) - KEPT) == []


@pytest.mark.parametrize(
    ("language", "joined"), [("zh-hans", "李娜、马永福"), ("en", "李娜, 马永福")]
)
def test_the_review_status_names_everyone_in_the_pages_language(language, joined):
    with translation.override(language):
        html = render_to_string("includes/review_status.html", {"contributors": ["李娜", "马永福"]})
    assert joined in html
