"""Findings 4, 12 and 13 of issue 15: ambiguous short strings carry a translation context,
hints named by aria-describedby exist, and no developer text reaches a public page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "vmo"
# Short English words whose Chinese depends on where they stand.
AMBIGUOUS = ("Accepted", "All")


def test_ambiguous_words_have_a_context_and_the_right_chinese():
    with translation.override("zh-hans"):
        assert pgettext("filter: any value", "All") == "全部"
        assert pgettext("table: total row", "All") == "合计"
        assert pgettext("file formats", "Accepted") == "可接受的格式"
        assert pgettext("time an application was accepted", "Accepted") == "受理时间"
        assert pgettext("list separator", "; ") == "；"
    bare = []
    for path in SRC.rglob("*"):
        if path.suffix not in {".html", ".py"} or "locale" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for word in AMBIGUOUS:
            if re.search(rf'(translate "{word}" %}}|\b_\("{word}"\))', text):
                bare.append(f"{path.relative_to(SRC)}: {word}")
    assert not bare, bare


def test_the_filter_says_all_in_chinese_not_total(client):
    client.force_login(CitizenFactory())
    response = client.get("/appointments/sessions/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<option value=""[^>]*>全部</option>', html)
    assert "合计" not in html


@pytest.mark.parametrize("path", ["/guide/", "/plates/verify/", "/accounts/signup/"])
def test_every_described_by_names_an_element_that_exists(client, path):
    html = client.get(path).content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    named = [
        ref
        for refs in re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', html)
        for ref in refs.split()
    ]
    assert named, "the page should tie at least one hint to its field"
    assert not [ref for ref in named if ref not in ids]


def test_no_developer_text_on_the_public_verify_page(client):
    html = client.get("/plates/verify/").content.decode()
    assert "manage.py" not in html
