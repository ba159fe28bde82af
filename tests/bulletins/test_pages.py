"""Public pages (no sign-in), feeds, CSV, the API, the home page and the editors' pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.bulletins.conftest import NOW
from tests.bulletins.helpers import published, upload
from tests.factories import LicenceFactory, OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.bulletins import services
from vmo.bulletins.models import Announcement

pytestmark = pytest.mark.django_db


def test_public_list_detail_search_and_stable_link(frozen, client, editor, reviewer):
    a = published(editor, reviewer)
    published(editor, reviewer, title="春节期间交通管制", kind="traffic_control")
    response = client.get("/announcements/")
    assert response.status_code == 200
    page = response.content.decode()
    assert a.title in page and "春节期间交通管制" in page
    found = client.get("/announcements/", {"q": "春节"}).content.decode()
    assert "春节期间交通管制" in found and a.title not in found
    by_kind = client.get("/announcements/", {"kind": "road_closure"}).content.decode()
    assert a.title in by_kind and "春节期间交通管制" not in by_kind
    assert client.get("/announcements/", {"year": "abc"}).status_code == 200  # bad filter: listed
    detail = client.get(f"/announcements/2025/{a.number}/")
    assert detail.status_code == 200 and "5月20日起封闭施工" in detail.content.decode()
    assert client.get("/announcements/2025/999/").status_code == 404


def test_drafts_and_scheduled_are_not_public(frozen, client, editor, reviewer):
    services.announcement_create(actor=editor, kind="new_policy", title="草稿标题", body="<p>x</p>")
    later = published(editor, reviewer, title="明天的公告", publish_at=NOW + timedelta(days=1))
    assert "草稿标题" not in client.get("/announcements/archive/").content.decode()
    assert client.get(f"/announcements/{later.year}/{later.number}/").status_code == 404
    assert client.get(f"/api/v1/announcements/{later.pk}").status_code == 404


def test_script_never_reaches_the_page(frozen, client, editor, reviewer):
    draft = services.announcement_create(
        actor=editor,
        kind="new_policy",
        title="<script>alert(1)</script>新政策",
        body='<p onclick="x()">正文<script>alert(2)</script></p>',
    )
    services.announcement_submit(actor=editor, announcement=draft)
    done = services.announcement_approve(actor=reviewer, announcement=draft)
    html = client.get(f"/announcements/{done.year}/{done.number}/").content.decode()
    assert "<script>alert" not in html and "onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;新政策" in html


def test_expired_ones_leave_the_list_and_stay_in_the_archive(frozen, client, editor, reviewer):
    a = published(editor, reviewer, expire_at=NOW + timedelta(hours=1))
    frozen.move_to(NOW + timedelta(hours=2))
    assert a.title not in client.get("/announcements/").content.decode()
    assert a.title in client.get("/announcements/archive/").content.decode()
    page = client.get(f"/announcements/{a.year}/{a.number}/").content.decode()
    assert "expired" in page or "过期" in page or "失效" in page


def test_lists_are_paginated_with_a_fixed_number_of_queries(
    frozen, client, editor, reviewer, django_assert_max_num_queries
):
    for n in range(25):
        published(editor, reviewer, title=f"公告{n:02d}")
    with django_assert_max_num_queries(12):
        first = client.get("/announcements/")
    assert first.content.decode().count("/announcements/2025/") == 20
    second = client.get("/announcements/", {"page": 2}).content.decode()
    assert second.count("/announcements/2025/") == 5


def test_atom_feeds(frozen, client, editor, reviewer):
    a = published(editor, reviewer)
    upload(editor)
    feed = client.get("/announcements/feed/")
    assert feed.status_code == 200 and "application/atom+xml" in feed["Content-Type"]
    body = feed.content.decode()
    assert a.title in body and f"/announcements/2025/{a.number}/" in body
    assert "/publications/" in client.get("/publications/feed/").content.decode()


def test_publication_page_and_csv_with_bom(frozen, client, editor):
    publication = upload(editor)
    page = client.get(f"/publications/{publication.pk}/").content.decode()
    assert "昌吉市" in page and "2025-04-30" in page
    response = client.get(f"/publications/{publication.pk}/csv/")
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "2025-04,昌吉市,12,1,9" in text
    # A cell Excel would run as a formula is neutralised.
    assert "'=cmd" in text
    assert "20250430" in response["Content-Disposition"]
    listing = client.get("/publications/", {"kind": "accident_stats"}).content.decode()
    assert publication.title in listing


def test_api_reads_need_no_sign_in(frozen, client, editor, reviewer):
    a = published(editor, reviewer)
    generated = Announcement.objects.create(
        kind="licence_revoked",
        title="x",
        body="<p>x</p>",
        source="records",
        created_at=NOW,
        updated_at=NOW,
    )
    listing = client.get("/api/v1/announcements").json()
    assert (
        listing["count"] == 1 and listing["items"][0]["url"] == f"/announcements/2025/{a.number}/"
    )
    detail = client.get(f"/api/v1/announcements/{a.pk}").json()
    assert detail["body_html"].startswith("<p>") and detail["items"] == []
    assert client.get(f"/api/v1/announcements/{generated.pk}").status_code == 404
    publication = upload(editor)
    assert client.get("/api/v1/publications").json()["count"] == 1
    detail = client.get(f"/api/v1/publications/{publication.pk}").json()
    assert detail["rows"][0] == ["2025-04", "昌吉市", "12", "1", "9"]
    assert detail["csv_url"] == f"/publications/{publication.pk}/csv/"
    bad = client.get("/api/v1/announcements", {"year": "x"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "year"


def test_home_page_shows_the_latest(frozen, client, editor, reviewer):
    a = published(editor, reviewer)
    html = client.get("/").content.decode()
    assert a.title in html and f"/announcements/2025/{a.number}/" in html


# --- The editors' pages -----------------------------------------------------------------------


def _signed_in(role="editor"):
    officer = OfficerFactory(role=role)
    return sign_in_verified(Client(), officer), officer


def test_office_pages_need_a_content_capability(frozen):
    assert Client().get("/office/bulletins/").status_code == 302
    clerk, _ = _signed_in("clerk")
    assert clerk.get("/office/bulletins/").status_code == 403
    assert clerk.post("/office/bulletins/new/", {}).status_code == 403


def test_write_submit_and_review_through_the_pages(frozen):
    author, _ = _signed_in()
    form = {
        "kind": "severe_weather",
        "title": "大风降温天气提示",
        "body": "<p>注意安全</p><script>x</script>",
        "publish_at": "2025-05-13T10:00",
        "expire_at": "2025-05-12T10:00",
    }
    bad = author.post("/office/bulletins/new/", form)
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "already passed" in text and text.count('class="error"') >= 2
    form.update(publish_at="", expire_at="2025-05-20T10:00")
    created = author.post("/office/bulletins/new/", form)
    announcement = Announcement.objects.get()
    assert created.status_code == 302 and "<script>" not in announcement.body
    author.post(f"/office/bulletins/{announcement.pk}/submit/")
    # The author is shown no approve form, and a forged post is refused.
    page = author.get(f"/office/bulletins/{announcement.pk}/").content.decode()
    assert f"/office/bulletins/{announcement.pk}/approve/" not in page
    forged = author.post(f"/office/bulletins/{announcement.pk}/approve/", {"note": ""})
    assert forged.status_code == 422
    announcement.refresh_from_db()
    assert announcement.state == "review"

    second, _ = _signed_in()
    returned = second.post(f"/office/bulletins/{announcement.pk}/return/", {"return-reason": ""})
    assert returned.status_code == 422
    second.post(f"/office/bulletins/{announcement.pk}/approve/", {"note": "ok"})
    announcement.refresh_from_db()
    assert announcement.state == "published" and announcement.number == 1
    listing = second.get("/office/bulletins/?state=published").content.decode()
    assert "大风降温天气提示" in listing
    second.post(f"/office/bulletins/{announcement.pk}/withdraw/", {"withdraw-reason": "天气好转"})
    announcement.refresh_from_db()
    assert announcement.state == "withdrawn"


def test_generated_draft_shows_its_list_to_the_editor(frozen):
    LicenceFactory(flags="F", status="F")
    services.announcement_drafts_generate()
    editor, _ = _signed_in()
    draft = Announcement.objects.get()
    page = editor.get(reverse("bulletins_office:detail", args=[draft.pk])).content.decode()
    assert "1 record listed" in page and "*" in page


def test_upload_page_lists_every_problem(frozen):
    editor, _ = _signed_in()
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile(
        "t.csv", b"received_on,matter,result,closed_on\n2025-13-01,,ok,2025-01-01\n"
    )
    response = editor.post(
        "/office/bulletins/publications/upload/",
        {"kind": "complaint_results", "data_date": "2025-05-01", "file": bad},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Line 2, Received on" in text and "Line 2, Matter" in text
