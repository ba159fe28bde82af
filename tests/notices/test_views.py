"""The citizen's inbox (page and API), preferences, and the officers' catalogue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory
from tests.office.conftest import officer_client  # noqa: F401 - fixture
from vmo.notices import kinds, services
from vmo.notices.models import Message, Preference

pytestmark = pytest.mark.django_db


def _post(user, n=1):
    return [
        services.inbox_post(user=user, kind="test", subject=f"Subject {i}", body=f"Body {i}")
        for i in range(n)
    ]


def test_inbox_lists_counts_and_reads_only_ones_own(client):
    me, other = CitizenFactory(), CitizenFactory()
    mine = _post(me, 3)
    [theirs] = _post(other)
    client.force_login(me)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("portal_inbox:list"))
    assert page.status_code == 200 and "3 unread messages" in page.content.decode()
    assert "Subject 2" in page.content.decode()
    assert client.get(reverse("portal_inbox:detail", args=[theirs.pk])).status_code == 404
    opened = client.get(reverse("portal_inbox:detail", args=[mine[0].pk]))
    assert "Body 0" in opened.content.decode()
    assert Message.objects.get(pk=mine[0].pk).read_at is not None
    assert Message.objects.get(pk=theirs.pk).read_at is None
    client.post(reverse("portal_inbox:mark_all_read"))
    assert not Message.objects.filter(user=me, read_at__isnull=True).exists()


def test_inbox_needs_a_citizen(client):
    response = client.get(reverse("portal_inbox:list"))
    assert response.status_code == 302 and "login" in response.url


def test_preferences_page_saves_and_reports_every_problem(client):
    me = CitizenFactory()
    client.force_login(me)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("portal_inbox:preferences")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"language": "fr", "quiet_from": "22:00", "quiet_to": "99:99"})
    text = bad.content.decode()
    assert bad.status_code == 200 and text.count('class="error"') >= 2
    untouched = Preference.objects.filter(user=me).first()  # signing in remembers the device
    assert untouched is None or (untouched.language, untouched.channels) == ("zh-hans", {})
    ok = client.post(
        url,
        {"language": "en", "quiet_from": "22:00", "quiet_to": "07:00", "group_licence": ["email"]},
    )
    assert ok.status_code == 302
    saved = Preference.objects.get(user=me)
    assert saved.language == "en" and saved.channels["licence"] == ["email", "inapp"]
    assert saved.channels["vehicle"] == ["inapp"]  # nothing ticked: SMS off for that group


def test_api_messages_unread_read_and_preferences(client):
    me, other = CitizenFactory(), CitizenFactory()
    mine = _post(me, 2)
    [theirs] = _post(other)
    client.force_login(me)
    base = "/api/v1/me/messages/"
    listed = client.get(base).json()
    assert listed["count"] == 2 and {i["id"] for i in listed["items"]} == {m.pk for m in mine}
    assert client.get(base + "unread-count").json() == {"unread": 2}
    assert client.get(f"{base}{theirs.pk}").status_code == 404
    marked = client.post(
        base + "read", {"ids": [mine[0].pk, theirs.pk]}, content_type="application/json"
    )
    assert marked.json() == {"marked": 1}
    assert client.get(base + "unread-count").json() == {"unread": 1}
    put = client.put(
        base + "preferences",
        {
            "language": "en",
            "channels": {"licence": ["sms"]},
            "quiet_from": "22:00",
            "quiet_to": "07:00",
        },
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["channels"]["licence"] == ["inapp", "sms"]
    bad = client.put(
        base + "preferences",
        {"language": "fr", "channels": {"x": ["sms"]}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["field"].split(".")[0] for e in bad.json()["errors"]} == {"language", "channels"}


def test_officers_see_every_kind_with_both_languages_and_counts(officer_client):  # noqa: F811
    client = officer_client("supervisor")
    user = CitizenFactory()
    services.notify(
        kind="licence.validity_ending",
        context={"file": "****0042", "date": "2026-05-31", "days": 90},
        dedup_key="x",
        user=user,
    )
    page = client.get(reverse("office_notices:catalogue"))
    text = page.content.decode()
    assert page.status_code == 200
    for kind in kinds.all_kinds():
        assert kind.code in text
    assert "licence.validity_ending" in text and "Sent so far" in text
    failures = client.get(reverse("office_notices:failures"))
    assert failures.status_code == 200


def test_catalogue_needs_the_capability(officer_client):  # noqa: F811
    client = officer_client("clerk")
    assert client.get(reverse("office_notices:catalogue")).status_code == 403
