"""The reasons services write into the history are read in the reader's language (a Chinese
officer read "decided at a counter" on a violation's history); an officer's typed reason stays
as typed, and a service that writes a new fixed reason must list it in core.reasons."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from vmo.core.reasons import SYSTEM_REASONS, reason_text

SRC = Path(__file__).resolve().parents[2] / "src" / "vmo"
# Article references are the law's own codes, the same in both languages.
ARTICLE = re.compile(r"^R16\d Arts? \d+(?:[-, ]+\d+)*(?: para \d)?$")
NOT_HISTORY = {"ok"}  # CheckAttempt.reason, an outcome code of the organisation checks


def test_a_system_reason_is_read_in_the_readers_language_and_a_typed_one_as_typed():
    with translation.override("zh-hans"):
        assert reason_text("decided at a counter") == "已在窗口处理"
        assert reason_text("车主申请") == "车主申请"
        page = Template("{{ r|event_reason }}").render(Context({"r": "cycle ended"}))
        assert page == "记分周期结束"
    with translation.override("en"):
        assert reason_text("decided at a counter") == "decided at a counter"


def test_every_fixed_reason_a_service_writes_is_listed():
    written = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or "demo" in path.parts:
            continue
        written |= set(re.findall(r'\breason="([^"]+)"', path.read_text(encoding="utf-8")))
    unlisted = {r for r in written if not ARTICLE.match(r)} - NOT_HISTORY - set(SYSTEM_REASONS)
    assert unlisted == set()
    with translation.override("zh-hans"):
        untranslated = [r for r in SYSTEM_REASONS if reason_text(r) == r]
    assert untranslated == []
