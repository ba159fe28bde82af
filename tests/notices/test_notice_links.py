"""Every link a notice is written with leads to a page of the product: eight kinds of notice
linked to /status/, which never existed, and their readers got a 404. The test reads each
`link=` the code writes (a path, or an f-string whose placeholders stand for ids) and resolves
it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

SRC = Path(__file__).resolve().parents[2] / "src" / "vmo"


def _links() -> list[tuple[str, str]]:
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.keyword) or node.arg != "link":
                continue
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                found.append((f"{path.relative_to(SRC)}:{node.value.lineno}", value.value))
            elif isinstance(value, ast.JoinedStr):
                text = "".join(
                    part.value if isinstance(part, ast.Constant) else "1" for part in value.values
                )
                found.append((f"{path.relative_to(SRC)}:{node.value.lineno}", text))
    return found


def test_the_code_writes_links():
    assert len(_links()) > 20  # the reader above finds them


@pytest.mark.parametrize(("where", "link"), _links())
def test_a_notice_link_resolves(where, link):
    path = link.split("?")[0].split("#")[0]
    try:
        resolve(path)
    except Resolver404:
        pytest.fail(f"{where}: the link {link} leads to no page")
