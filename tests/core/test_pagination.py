"""Every paged list writes its page links with the one include, which keeps the list's other
parameters, marks the links rel=prev/next and reads Newer/Older on lists that run newest first."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "vmo"
INCLUDE = SRC / "templates" / "includes" / "pagination.html"


def _render(**context) -> str:
    page = Paginator(list(range(30)), 10).get_page(2)
    with translation.override("en"):
        return render_to_string("includes/pagination.html", {"page": page, **context})


def test_no_template_writes_the_page_links_inline():
    inline = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.html")
        if path != INCLUDE
        and re.search(r"\.(has_next|has_previous|next_page_number)\b", path.read_text("utf-8"))
    }
    assert inline == set()


def test_links_keep_the_other_parameters_and_say_which_way_they_go():
    html = _render(query="state=draft&q=x")
    assert '<a href="?state=draft&amp;q=x&amp;page=1" rel="prev">Previous page</a>' in html
    assert '<a href="?state=draft&amp;q=x&amp;page=3" rel="next">Next page</a>' in html
    assert "Page 2 of 3" in html


def test_a_list_without_parameters_links_to_the_page_alone():
    html = _render()
    assert 'href="?page=1"' in html
    assert 'href="?page=3"' in html


def test_newest_first_lists_read_newer_and_older():
    html = _render(newest_first=True)
    assert 'rel="prev">Newer</a>' in html
    assert 'rel="next">Older</a>' in html
    assert "Previous page" not in html


def test_a_single_page_has_no_links():
    page = Paginator([1, 2], 10).get_page(1)
    assert "pagination" not in render_to_string("includes/pagination.html", {"page": page})
