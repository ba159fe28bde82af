"""Anonymous public pages are cached per language and invalidated when an editor publishes
(issue 13). A cached page still gives every visitor a CSRF token of their own."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.bulletins.conftest import NOW
from tests.bulletins.helpers import published, upload
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
PAGES = ["/", "/guide/", "/announcements/", "/publications/"]


def _get(client: Client, path: str, language: str = "zh-hans", **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def _without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


@pytest.mark.parametrize("path", PAGES)
def test_a_second_anonymous_visit_is_served_from_the_cache_per_language(
    frozen, editor, reviewer, path
):
    published(editor, reviewer)
    zh, _first = _get(Client(), path)
    again, queries = _get(Client(), path)
    assert queries == 0 and _without_tokens(again) == _without_tokens(zh)
    en, _ = _get(Client(), path, language="en")
    assert 'lang="en"' in en and _without_tokens(en) != _without_tokens(zh)
    assert _get(Client(), path, language="en")[1] == 0


def test_publishing_shows_at_once_on_the_cached_pages(
    frozen, editor, reviewer, django_capture_on_commit_callbacks
):
    published(editor, reviewer, title="春节期间交通管制", kind="traffic_control")
    for path in PAGES:
        _get(Client(), path)
    with django_capture_on_commit_callbacks(execute=True):
        published(editor, reviewer, title="延安北路封闭施工公告")
        upload(editor)
    assert "延安北路封闭施工公告" in _get(Client(), "/announcements/")[0]
    assert "延安北路封闭施工公告" in _get(Client(), "/")[0]
    assert "2025-04" in _get(Client(), "/publications/")[0]


def test_an_announcement_due_later_appears_at_its_time_without_anyone_publishing(
    frozen, editor, reviewer
):
    published(editor, reviewer, title="明天的公告", publish_at=NOW + timedelta(hours=1))
    assert "明天的公告" not in _get(Client(), "/announcements/")[0]
    frozen.shift(timedelta(hours=1, minutes=1))
    assert "明天的公告" in _get(Client(), "/announcements/")[0]


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(frozen):
    Client().get("/")  # cached now
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert "\x00" not in body
    response = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_signed_in_people_and_searches_are_not_served_from_the_cache(frozen, client):
    _get(Client(), "/announcements/")
    _none, queries = _get(Client(), "/announcements/", q="春节")
    assert queries > 0
    client.force_login(CitizenFactory())
    body, queries = _get(client, "/announcements/")
    assert queries > 0


DETAIL_PAGES = ["/guide/D02/", "/guide/regulations/", "/guide/downloads/"]


@pytest.mark.parametrize("path", DETAIL_PAGES)
def test_guide_pages_are_cached_too_and_a_change_of_office_settings_shows_at_once(
    frozen, path, django_capture_on_commit_callbacks
):
    from vmo.core.services import office_config_update

    _get(Client(), path)
    assert _get(Client(), path)[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        office_config_update(actor=None, phone="0994-7654321")
    body, queries = _get(Client(), path)
    assert "0994-7654321" in body and queries > 0


def test_publication_pages_are_cached_until_withdrawn(frozen, editor, reviewer):
    from vmo.bulletins.publishing import publication_withdraw

    publication = upload(editor)
    path = f"/publications/{publication.pk}/"
    first, _ = _get(Client(), path)
    assert _get(Client(), path)[1] == 0
    publication_withdraw(actor=reviewer, publication=publication, reason="数据有误，更正后重新公布")
    again, queries = _get(Client(), path)
    assert queries > 0 and _without_tokens(again) != _without_tokens(first)
