"""Every public service function is keyword-only (docs/architecture.md): one calling convention,
and two positional arguments of the same type cannot be swapped silently."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "vmo"


def _service_files() -> list[Path]:
    return sorted([*SRC.glob("*/services.py"), *SRC.glob("*/services/*.py")])


def _positional(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(SRC)}:{node.lineno} {node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and (node.args.args or node.args.posonlyargs)
    ]


def test_the_scan_finds_the_services():
    # A glob that found nothing would pass the test below for no reason.
    assert len(_service_files()) > 20


def test_public_service_functions_are_keyword_only():
    found = [hit for path in _service_files() for hit in _positional(path)]
    assert found == []
