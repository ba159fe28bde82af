"""The shared letter PDF helper (vmo.core.pdf): Chinese text, embedded font, font choice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from vmo.core import pdf


def test_letter_embeds_its_font_and_keeps_the_chinese_text():
    data = pdf.render_letter(
        title="缴款凭证",
        office_name="昌吉州公安局交通警察支队车辆管理所",
        reference="编号 PO202503100000000001",
        sections=[("缴款信息", ["缴款事项：交通违法罚款 <新B12345>", "金额：¥200.00"])],
        footer="无需盖章即有效",
    )
    assert data.startswith(b"%PDF") and b"FontFile2" in data
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "昌吉州公安局",
        "缴款凭证",
        "PO202503100000000001",
        "<新B12345>",
        "无需盖章即有效",
    ):
        assert expected in text
    # Every font in the file is embedded: none is left to the reader's machine.
    assert b"/Helvetica" not in data


def test_font_setting_comes_first(settings):
    settings.VMO_PDF_FONT = "/opt/fonts/custom.ttc#2"
    first = pdf.font_candidates()[0]
    assert first == (Path("/opt/fonts/custom.ttc"), 2, None)


def test_npm_font_then_debian_font(settings, tmp_path):
    settings.VMO_PDF_FONT = ""
    settings.VMO_FONT_DIR = tmp_path
    regular = [c[0] for c in pdf.font_candidates()]
    assert regular == [tmp_path / pdf.NOTO_REGULAR, pdf.DEBIAN_WQY]


def test_the_font_in_use_exists():
    assert pdf.register_fonts().is_file()
