"""The catalogue in code matches the repository's own catalogue (docs/catalogue.md) and cites
the law. The definitions are the only list in code: nothing here counts or names them again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from vmo.catalog import selectors
from vmo.catalog.businesses import ALL, BUSINESSES, R162, Category, LegalRef, zh_number
from vmo.notices.kinds import all_kinds

CATALOGUE_MD = Path(__file__).resolve().parents[2] / "docs" / "catalogue.md"


def _catalogue() -> str:
    return CATALOGUE_MD.read_text(encoding="utf-8")


def test_every_business_is_defined_exactly_once():
    codes = [b.code for b in ALL]
    assert len(codes) == len(set(codes))
    assert set(BUSINESSES) == set(codes)


def test_definitions_match_the_catalogue_document():
    table_codes = re.findall(r"^\| ([VDWE]\d\d) \|", _catalogue(), re.MULTILINE)
    assert len(table_codes) == len(set(table_codes))
    assert sorted(BUSINESSES) == sorted(table_codes), (
        f"defined, not in docs/catalogue.md: {sorted(set(BUSINESSES) - set(table_codes))}; "
        f"in docs/catalogue.md, not defined: {sorted(set(table_codes) - set(BUSINESSES))}"
    )


def test_at_least_the_promised_notice_kinds_are_registered():
    promised = int(re.search(r"Personal notices \(告知\): at least (\d+) kinds", _catalogue())[1])
    assert len(all_kinds()) >= promised


@pytest.mark.parametrize("business", ALL, ids=lambda b: b.code)
def test_every_business_is_complete(business):
    assert business.legal_basis, "a business without a legal basis"
    assert all(ref.articles for ref in business.legal_basis)
    assert isinstance(business.time_limit_days, int) and 0 <= business.time_limit_days <= 15
    assert business.applicants
    assert business.fee_fen >= 0 and isinstance(business.fee_fen, int)
    with translation.override("en"):
        assert str(business.name) and str(business.summary).endswith(".")
    with translation.override("zh-hans"):
        assert str(business.name) == business.term_zh and str(business.summary).endswith("。")
    assert business.term_zh
    assert business.category == {"V": Category.VEHICLE, "D": Category.LICENCE}.get(
        business.code[0], Category.VIOLATIONS
    )


@pytest.mark.parametrize(
    ("code", "days"),
    [
        ("V02", 2),
        ("V03", 15),
        ("V05", 1),
        ("V13", 1),
        ("V14", 1),
        ("V15", 1),
        ("V17", 1),
        ("D02", 1),
        ("W01", 0),
    ],
)
def test_statutory_time_limits(code, days):
    business = selectors.business(code)
    assert business.time_limit_days == days


def test_legal_citations_read_as_in_the_regulations():
    assert (
        selectors.business("D02").legal_basis[0].zh
        == "《机动车驾驶证申领和使用规定》第六十三条、第六十八条"
    )
    assert selectors.business("V13").legal_basis[0].zh == "《机动车登记规定》第十六条至第二十二条"
    assert (
        selectors.business("V13").legal_basis[0].en
        == "Provisions on Motor Vehicle Registration, Arts 16–22"
    )
    assert selectors.business("V03").legal_basis[0].en.endswith("Art. 51")
    assert (
        LegalRef(R162, (105, 110)).zh == "《机动车驾驶证申领和使用规定》第一百零五条、第一百一十条"
    )


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (16, "十六"),
        (20, "二十"),
        (63, "六十三"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (111, "一百一十一"),
    ],
)
def test_zh_number(n, text):
    assert zh_number(n) == text


def test_zh_number_refuses_nonsense():
    with pytest.raises(ValueError):
        zh_number(0)


def test_selectors():
    assert selectors.business(" v01 ").code == "V01"
    with pytest.raises(selectors.UnknownBusiness):
        selectors.business("X99")
    groups = selectors.businesses_by_category()
    assert [category for category, _ in groups] == list(Category)
    assert [len(items) for _, items in groups] == [17, 10, 6]
    assert [b.code for b in groups[1][1]] == [f"D{n:02d}" for n in range(1, 11)]


def test_each_status_situation_is_resolved_by_one_business_at_most():
    from vmo.status.texts import LICENCE_TEXTS, STEP_TEXTS, VEHICLE_TEXTS

    known = (
        {f"licence:{c}" for c in LICENCE_TEXTS}
        | {f"vehicle:{c}" for c in VEHICLE_TEXTS}
        | {f"step:{k}" for k in STEP_TEXTS}
    )
    claims = [situation for b in ALL for situation in b.resolves]
    assert len(claims) == len(set(claims)), "two businesses claim the same situation"
    assert set(claims) <= known, f"unknown situations: {set(claims) - known}"
    assert selectors.business_resolving("licence:B").code == "E02"
    assert selectors.business_resolving("step:probation") is None
