"""The guide page, the search and the downloads are read off the definitions the engine runs."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse
from django.utils import translation

from vmo.catalog import guide, selectors
from vmo.catalog.businesses import ALL, BUSINESSES

pytestmark = pytest.mark.django_db


def english(client, url: str) -> str:
    client.cookies["django_language"] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("business", ALL, ids=lambda b: b.code)
def test_guide_page_shows_everything_the_definition_holds(client, business):
    with translation.override("en"):
        body = english(client, reverse("catalog:detail", args=[business.code]))
        for condition in business.conditions:
            assert str(condition.text).replace("'", "&#x27;") in body
            assert condition.basis.zh in body
        for material in business.materials:
            assert str(material.name).replace("'", "&#x27;") in body
            assert str(material.example).replace("'", "&#x27;") in body
        for field in business.fields:
            assert str(field.label).replace("'", "&#x27;") in body
        for step in guide.procedure(business):
            assert step.replace("'", "&#x27;") in body
    assert business.term_zh in body
    assert f'href="/guide/{business.code}/form.pdf"' in body
    url = guide.apply_url(business)
    if business.online:
        assert url and f'href="{url}"' in body
    else:
        assert url is None and "service hall" in body


def test_d02_guide_in_detail(client):
    body = english(client, reverse("catalog:detail", args=["D02"]))
    assert "Renewal of a driving licence" in body and 'lang="zh-Hans">期满换证' in body
    assert "1 working day" in body and "counted from acceptance" in body
    assert "¥10.00" in body
    # The photo's rules as the engine checks them.
    assert "At least 358 × 441 pixels." in body
    assert "At most 2 MB." in body
    assert "Dated within the last 6 months." in body  # the medical certificate
    # Generic steps: fee, clerk check with a one-time notice, reviewer, documents by post.
    assert "Pay the fee of ¥10.00 online." in body
    assert "one-time notice" in body and "A reviewer decides" in body
    assert "driving licence: collect them at the service hall, or have them posted" in body
    assert 'href="/applications/new/D02/"' in body


@translation.override("en")
def test_procedure_follows_the_review_and_the_fee():
    automatic = guide.procedure(BUSINESSES["V11"])
    assert any("completes the business at once" in s for s in automatic)
    assert not any("Pay the fee" in s for s in automatic)
    assert not any("reviewer" in s for s in automatic)
    transfer = guide.procedure(BUSINESSES["V14"])
    assert any("other party confirms" in s for s in transfer)


@translation.override("en")
def test_apply_links_for_businesses_run_by_other_apps():
    assert guide.apply_url(BUSINESSES["V01"]) == reverse("plates:index")
    assert guide.apply_url(BUSINESSES["E01"]) == reverse("education:index")
    # The definition names a page that may not exist; the app's own entry is used instead.
    assert guide.apply_url(BUSINESSES["W01"]) == reverse("violations:list")
    assert guide.apply_url(BUSINESSES["V10"]) == reverse("appointments:mine")
    hall_only = dataclasses.replace(BUSINESSES["V02"], online="")
    assert guide.apply_url(hall_only) is None
    assert any("service hall" in step for step in guide.procedure(hall_only))


def test_time_limit_and_fee_texts():
    with translation.override("en"):
        assert guide.time_limit_text(BUSINESSES["V03"]) == "15 working days"
        assert guide.time_limit_text(BUSINESSES["D02"]) == "1 working day"
        assert guide.time_limit_text(BUSINESSES["W01"]) == "Same day"
        assert guide.fee_text(BUSINESSES["V03"]) == "¥100.00"
        assert guide.fee_text(BUSINESSES["V11"]) == "Free"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("换证", {"D02", "D03", "D04"}),
        ("补领 号牌", {"V03"}),
        ("d02", {"D02"}),
        ("  D02  ", {"D02"}),
        ("renewal", {"D02", "D04"}),
        ("mortgage release", {"V16"}),
        ("PLATES", {"V03", "V04", "V12", "V17"}),
        ("nothing-like-this", set()),
    ],
)
def test_search_matches_term_name_code_and_summary(query, expected):
    with translation.override("en"):
        groups = selectors.businesses_by_category(query)
    found = {b.code for _category, items in groups for b in items}
    if query.strip().upper() in BUSINESSES or not expected:
        assert found == expected
    else:
        assert expected <= found
    assert all(items for _category, items in groups)


def test_search_page(client):
    body = client.get(reverse("catalog:index"), {"q": "补领"}).content.decode()
    assert "/guide/D01/" in body and "/guide/V03/" in body
    assert "/guide/V14/" not in body
    assert 'id="category-violations"' not in body  # no match in that group
    assert 'value="补领"' in body  # the query stays in the box
    body = client.get(reverse("catalog:index"), {"q": "zzzz"}).content.decode()
    assert "/guide/D01/" not in body
    assert "/guide/D01/form.pdf" not in body


def test_index_shows_time_limit_fee_and_links(client):
    body = english(client, reverse("catalog:index"))
    assert "15 working days" in body and "¥100.00" in body and "Free" in body
    assert f'href="{reverse("catalog:regulations")}"' in body
    assert f'href="{reverse("catalog:downloads")}"' in body
    assert 'role="search"' in body and 'name="q"' in body


def test_search_query_too_long_is_ignored_not_an_error(client):
    response = client.get(reverse("catalog:index"), {"q": "x" * 500})
    assert response.status_code == 200
    assert "/guide/D01/" in response.content.decode()


def test_downloads_lists_every_form_and_the_regulations(client):
    body = client.get(reverse("catalog:downloads")).content.decode()
    for business in ALL:
        assert f'href="/guide/{business.code}/form.pdf"' in body
    assert "机动车登记规定" in body and "公安部令第163号" in body


def test_public_pages_are_cheap(client, django_assert_max_num_queries):
    client.get(reverse("catalog:index"))  # the office configuration is cached from here on
    for url in (
        reverse("catalog:detail", args=["D02"]),
        reverse("catalog:index") + "?q=renewal",
    ):
        with django_assert_max_num_queries(1):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("catalog:regulations")).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("catalog:downloads")).status_code == 200


def test_fixed_words_are_not_business_codes(client):
    assert client.get("/guide/regulations/").status_code == 200
    assert client.get("/guide/downloads/").status_code == 200
    assert client.post(reverse("catalog:detail", args=["D02"])).status_code == 405
