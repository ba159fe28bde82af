"""One FilterSet per public list, read by the page and by the API: they accept the same filters
and refuse the same ones with the same message (issue 11: the API used to accept any kind)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils import translation

from tests.bulletins.helpers import published, upload

pytestmark = pytest.mark.django_db

LISTS = [
    ("/announcements/", "/api/v1/announcements"),
    ("/publications/", "/api/v1/publications"),
]


def _page_errors(body: str) -> list[str]:
    summary = re.search(r'class="error-summary".*?</div>', body, re.S)
    assert summary, "the page shows no error summary"
    return [unescape(m).strip() for m in re.findall(r"<li>(?:<a[^>]*>)?(.*?)<", summary.group(0))]


@pytest.mark.parametrize(("page", "api"), LISTS)
def test_an_unknown_kind_is_refused_by_page_and_api_alike(
    client, frozen, editor, reviewer, page, api
):
    published(editor, reviewer)
    upload(editor)
    with translation.override("en"):
        html = client.get(page, {"kind": "no_such_kind"}, HTTP_ACCEPT_LANGUAGE="en")
        response = client.get(api, {"kind": "no_such_kind"}, HTTP_ACCEPT_LANGUAGE="en")
    # The page names the problem beside the field and still lists (tests/bulletins/test_pages.py).
    assert html.status_code == 200 and response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("kind", "invalid_choice")]
    assert "no_such_kind is not one of the available choices" in errors[0]["message"]
    assert any(errors[0]["message"] in shown for shown in _page_errors(html.content.decode()))


def test_every_refused_filter_is_named_at_once(client, frozen):
    response = client.get("/api/v1/announcements", {"kind": "x", "year": "1999", "q": "a" * 101})
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == ["kind", "q", "year"]


def test_page_and_api_keep_the_same_rows(client, frozen, editor, reviewer):
    kept = published(editor, reviewer, title="春节期间交通管制", kind="traffic_control")
    published(editor, reviewer, title="延安北路封闭施工公告", kind="road_closure")
    for query in ({"kind": "traffic_control"}, {"q": "春节"}, {"year": "2025", "q": "交通管制"}):
        api = client.get("/api/v1/announcements", query).json()
        assert [row["id"] for row in api["items"]] == [kept.pk], query
        page = client.get("/announcements/", query).content.decode()
        assert "春节期间交通管制" in page and "延安北路" not in page, query


def test_the_api_schema_lists_the_filters_of_the_filterset(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/announcements"]["get"]["parameters"]
    }
    assert {"q", "kind", "year", "archive", "page"} <= set(parameters)
    kind = parameters["kind"]["schema"]
    assert "road_closure" in str(kind) and "licence_revoked" in str(kind)
