"""The public guide pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from vmo.catalog.businesses import ALL

pytestmark = pytest.mark.django_db


def test_index_groups_every_business_under_its_category(client):
    response = client.get(reverse("catalog:index"))
    assert response.status_code == 200
    body = response.content.decode()
    groups = response.context["groups"]
    assert len(groups) == 3
    for category, businesses in groups:
        assert f'id="category-{category.value}"' in body
        assert all(b.category == category for b in businesses)
    for business in ALL:
        assert f'href="{reverse("catalog:detail", args=[business.code])}"' in body
    # Vehicle business is listed before the licence group, and V17 before D01.
    assert (
        body.index('id="category-vehicle"')
        < body.index("/guide/V17/")
        < body.index('id="category-licence"')
        < body.index("/guide/D01/")
    )


@pytest.mark.parametrize("business", ALL, ids=lambda b: b.code)
def test_detail_page_for_every_business(client, business):
    response = client.get(reverse("catalog:detail", args=[business.code]))
    assert response.status_code == 200
    body = response.content.decode()
    for ref in business.legal_basis:
        assert ref.zh in body
    assert f'href="/guide/{business.code}/form.pdf"' in body


def test_detail_page_shows_time_limit_fee_and_applicants_in_english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.get(reverse("catalog:detail", args=["V02"]), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "First registration of a new vehicle" in body
    assert "2 working days" in body
    assert "set by the regulation" in body
    assert "¥110.00" in body
    assert "The vehicle&#x27;s owner" in body
    assert "Provisions on Motor Vehicle Registration, Arts 10–15" in body
    assert 'lang="zh-Hans">注册登记' in body


def test_same_day_business_and_service_standard(client):
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("catalog:detail", args=["W01"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Same day" in body
    assert "service standard" in body and "set by the regulation" not in body
    assert "Free" in body


def test_one_working_day_is_singular(client):
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("catalog:detail", args=["D02"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "1 working day" in body and "1 working days" not in body


def test_unknown_code_is_404(client):
    assert client.get("/guide/X99/").status_code == 404
    assert client.get("/guide/V18/").status_code == 404


def test_lower_case_code_moves_to_the_canonical_address(client):
    response = client.get("/guide/v01/")
    assert response.status_code == 301
    assert response.url == reverse("catalog:detail", args=["V01"])


def test_guide_pages_are_public_and_cheap(client, django_assert_max_num_queries):
    client.get(reverse("catalog:index"))  # the office configuration is cached from here on
    with django_assert_max_num_queries(1):
        assert client.get(reverse("catalog:index")).status_code == 200
