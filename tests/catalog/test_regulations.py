"""Regulation summaries: shipped published, written and reviewed by two different editors,
every change in the history, the public page shows only what is published."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OfficerFactory
from vmo.catalog import selectors, services
from vmo.catalog.choices import RegulationState as S
from vmo.catalog.html import plain_text
from vmo.catalog.models import RegulationSummary
from vmo.catalog.services import RegulationText
from vmo.core.selectors import events_for

pytestmark = pytest.mark.django_db

SHIPPED = {"公安部令第164号", "公安部令第162号（根据公安部令第172号修正）", "公安部令第163号"}


def text(**changes) -> RegulationText:
    values = {
        "title_zh": "道路交通安全违法行为处理程序规定",
        "title_en": "Provisions on the Procedure for Handling Road Traffic Violations",
        "issuer_zh": "公安部",
        "issuer_en": "Ministry of Public Security",
        "document_number": "公安部令第157号",
        "effective_on": date(2020, 5, 1),
        "summary_zh": "<p>规定交通违法行为的处理程序。</p>",
        "summary_en": "<p>How violations are handled.</p>",
        "official_url": "https://www.mps.gov.cn/",
    }
    values.update(changes)
    return RegulationText(**values)


def test_three_regulations_are_shipped_published_with_short_summaries():
    shipped = {r.document_number: r for r in selectors.regulations_published()}
    assert set(shipped) == SHIPPED
    for regulation in shipped.values():
        for html in (regulation.summary_zh, regulation.summary_en):
            first = re.search(r"<p>(.*?)</p>", html, re.S).group(1)
            assert html.count("<li>") >= 4  # the key points
        chinese = re.search(r"<p>(.*?)</p>", regulation.summary_zh, re.S).group(1)
        assert 150 <= len(chinese) <= 300
        assert regulation.title_en and regulation.issuer_zh == "公安部"
        assert first
    assert "2025年1月1日" in shipped["公安部令第162号（根据公安部令第172号修正）"].summary_zh
    assert "最高扣减6分" in shipped["公安部令第163号"].summary_zh
    assert "自受理之日起2日内" in shipped["公安部令第164号"].summary_zh


def test_regulations_page_in_both_languages(client):
    body = client.get(reverse("catalog:regulations")).content.decode()
    assert "机动车驾驶证申领和使用规定" in body and "记分周期为12个月" in body
    client.cookies["django_language"] = "en"
    body = client.get(reverse("catalog:regulations"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Provisions on Motor Vehicle Registration" in body
    assert "at most 6 points per cycle" in body
    assert "Ministry of Public Security" in body


def test_write_review_publish_by_two_editors():
    author, reviewer = OfficerFactory(role="editor"), OfficerFactory(role="editor")
    regulation = services.regulation_create(actor=author, text=text())
    assert regulation.state == S.DRAFT
    assert regulation not in selectors.regulations_published()
    services.regulation_submit(actor=author, regulation=regulation)
    with pytest.raises(ValidationError) as refused:
        services.regulation_approve(actor=author, regulation=regulation)
    assert refused.value.code == "own_work"
    regulation = services.regulation_approve(actor=reviewer, regulation=regulation)
    assert regulation.state == S.PUBLISHED and regulation.reviewed_by == reviewer
    assert regulation in selectors.regulations_published()
    actions = list(events_for(regulation).order_by("id").values_list("action", flat=True))
    assert actions == ["regulation.create", "regulation.submit", "regulation.approve"]


def test_an_editor_who_edited_may_not_review():
    author, editor, reviewer = (OfficerFactory(role="editor") for _ in range(3))
    regulation = services.regulation_create(actor=author, text=text())
    services.regulation_update(actor=editor, regulation=regulation, text=text(title_en="X"))
    services.regulation_submit(actor=author, regulation=regulation)
    with pytest.raises(ValidationError):
        services.regulation_return(actor=editor, regulation=regulation, reason="no")
    regulation = services.regulation_return(
        actor=reviewer, regulation=regulation, reason="Add the key points."
    )
    assert regulation.state == S.DRAFT and regulation.return_reason == "Add the key points."


def test_every_problem_is_named_at_once_and_nothing_changes():
    editor = OfficerFactory(role="editor")
    with pytest.raises(ValidationError) as bad:
        services.regulation_create(
            actor=editor,
            text=text(
                title_zh=" ",
                issuer_zh="",
                effective_on=None,
                summary_zh="<script>alert(1)</script>",
                official_url="javascript:alert(1)",
            ),
        )
    assert set(bad.value.message_dict) == {
        "title_zh",
        "issuer_zh",
        "effective_on",
        "summary_zh",
        "official_url",
    }
    assert RegulationSummary.objects.count() == 3  # only the shipped ones


def test_summary_html_is_sanitised():
    editor = OfficerFactory(role="editor")
    regulation = services.regulation_create(
        actor=editor,
        text=text(
            summary_zh='<p onclick="x()">要点<script>alert(1)</script></p>'
            '<a href="javascript:alert(1)">坏</a><a href="https://example.org">好</a>'
        ),
    )
    assert "script" not in regulation.summary_zh and "onclick" not in regulation.summary_zh
    assert "javascript:" not in regulation.summary_zh
    assert 'href="https://example.org"' in regulation.summary_zh
    assert plain_text(regulation.summary_zh).startswith("要点")


def test_only_a_draft_is_edited_and_withdrawal_needs_a_reason():
    regulation = selectors.regulations_published().get(document_number="公安部令第164号")
    editor = OfficerFactory(role="editor")
    with pytest.raises(ValidationError):
        services.regulation_update(actor=editor, regulation=regulation, text=text())
    with pytest.raises(ValidationError):
        services.regulation_withdraw(actor=editor, regulation=regulation, reason="  ")
    regulation = services.regulation_withdraw(
        actor=editor, regulation=regulation, reason="Correcting a time limit."
    )
    assert regulation.state == S.DRAFT and regulation.published_at is None
    assert (
        events_for(regulation)
        .filter(action="regulation.withdraw", reason="Correcting a time limit.")
        .exists()
    )


# The officers' pages.


def test_manage_pages_need_a_content_officer(client, editor_client):
    url = reverse("catalog_office:manage")
    assert client.get(url).status_code == 302  # signed out: to the officer sign-in
    assert editor_client("clerk").get(url).status_code == 403
    assert editor_client("clerk").get(reverse("catalog_office:manage_create")).status_code == 403
    response = editor_client().get(url)
    assert response.status_code == 200
    assert "机动车登记规定" in response.content.decode()


def test_editor_writes_and_another_editor_publishes_through_the_pages(editor_client):
    author = editor_client()
    data = {
        "title_zh": "道路交通安全违法行为处理程序规定",
        "issuer_zh": "公安部",
        "effective_on": "2020-05-01",
        "summary_zh": "<p>处理程序。</p>",
    }
    response = author.post(reverse("catalog_office:manage_create"), data)
    regulation = RegulationSummary.objects.get(title_zh=data["title_zh"])
    assert response.url == reverse("catalog_office:manage_detail", args=[regulation.pk])
    author.post(reverse("catalog_office:manage_submit", args=[regulation.pk]))
    page = author.get(
        reverse("catalog_office:manage_detail", args=[regulation.pk])
    ).content.decode()
    assert "another editor must review it" in page
    refused = author.post(reverse("catalog_office:manage_approve", args=[regulation.pk]))
    assert refused.status_code == 409
    reviewer = editor_client()
    reviewer.post(reverse("catalog_office:manage_approve", args=[regulation.pk]))
    regulation.refresh_from_db()
    assert regulation.state == S.PUBLISHED
    public = reviewer.get(reverse("catalog:regulations")).content.decode()
    assert "处理程序。" in public


def test_the_form_lists_every_problem(editor_client):
    response = editor_client().post(
        reverse("catalog_office:manage_create"), {"official_url": "ftp://x", "effective_on": "soon"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    for field in ("title_zh", "issuer_zh", "effective_on", "summary_zh", "official_url"):
        assert f'id="id_{field}_error1"' in body
    assert RegulationSummary.objects.count() == 3


def test_return_needs_a_reason_on_the_page(editor_client):
    author = OfficerFactory(role="editor")
    regulation = services.regulation_create(actor=author, text=text())
    services.regulation_submit(actor=author, regulation=regulation)
    response = editor_client().post(
        reverse("catalog_office:manage_return", args=[regulation.pk]), {"return-reason": ""}
    )
    assert response.status_code == 422
    regulation.refresh_from_db()
    assert regulation.state == S.IN_REVIEW


def test_manage_list_is_bounded(editor_client):
    client = editor_client()
    url = reverse("catalog_office:manage") + "?state=draft"
    author = OfficerFactory(role="editor")
    services.regulation_create(actor=author, text=text())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        services.regulation_create(actor=author, text=text())
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 10
