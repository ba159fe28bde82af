"""The model application form of every business: a real PDF whose text is correct Chinese."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from vmo.catalog.businesses import ALL, BUSINESSES
from vmo.catalog.forms_pdf import example_answer, model_form_pdf
from vmo.catalog.spec import FieldKind, FormField

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=30
    )
    return out.stdout.decode("utf-8")


@needs_poppler
@pytest.mark.parametrize("business", ALL, ids=lambda b: b.code)
def test_every_business_has_a_chinese_model_form(client, business, tmp_path):
    response = client.get(reverse("catalog:form_pdf", args=[business.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert f"{business.term_zh}申请表（样表）" in text
    assert "张三" in text and "652301********1234" in text
    assert "申请人声明" in text and "申请人签字" in text
    # The article numbers of the legal basis, in the regulations' own Chinese numbering.
    assert business.legal_basis[0].regulation.title_zh in text.replace("\n", "")


@needs_poppler
def test_the_form_asks_what_the_engine_asks(tmp_path):
    v13 = BUSINESSES["V13"]
    text = pdf_text(model_form_pdf(v13, today=date(2026, 3, 2)), tmp_path)
    # Every form field and every material of the definition is on the sample.
    for field in v13.fields:
        assert str(field.label) in text or field.name == "new_colour"
    assert "新B12345" in text  # the vehicle subject, with the office's plate prefix
    assert "2026年3月2日" in text
    assert "不超过5MB" in text
    assert "按情况" in text  # the optional inspection record
    assert "业务编号：V13" in text and "1个工作日" in text and "¥10.00" in text


@needs_poppler
def test_same_day_free_business(tmp_path):
    text = pdf_text(model_form_pdf(BUSINESSES["W03"]), tmp_path)
    assert "当日办结" in text and "免费" in text


def test_the_cjk_font_is_embedded():
    data = model_form_pdf(BUSINESSES["D02"])
    assert b"/FontFile2" in data  # a TrueType font program inside the file
    assert b"/Helvetica" not in data


def test_example_answers():
    choice = FormField(
        name="x", label="x", kind=FieldKind.CHOICE, choices=(("a", "甲"), ("b", "乙"))
    )
    assert example_answer(choice) == "■甲\n□乙"
    assert example_answer(FormField(name="d", label="d", kind=FieldKind.DATE)) == "2026-06-30"
    assert example_answer(FormField(name="p", label="p", kind=FieldKind.PHONE)) == "138****5678"
    assert example_answer(FormField(name="buyer_name", label="b")) == "李四"
    assert example_answer(FormField(name="unknown", label="u")) == "（按实际情况填写）"


def test_lower_case_code_and_unknown_code(client):
    response = client.get("/guide/d02/form.pdf")
    assert response.status_code == 301 and response.url == "/guide/D02/form.pdf"
    assert client.get("/guide/X99/form.pdf").status_code == 404
