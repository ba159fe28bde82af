"""Who may open which workbench page: checked on the server for every request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory, OfficerFactory, PersonFactory

pytestmark = pytest.mark.django_db

OFFICE_PAGES = ["office:home", "office:person_search", "office:access_log"]


def _url(name: str) -> str:
    return reverse(name)


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_anonymous_is_sent_to_the_officer_login(client, name):
    response = client.get(_url(name))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:officer_login')}?next={_url(name)}"


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_officer_without_totp_is_sent_to_the_officer_login(client, name):
    client.force_login(OfficerFactory(role="auditor"))
    response = client.get(_url(name))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:officer_login')}?next={_url(name)}"


def test_unverified_officer_cannot_open_a_person_record(client):
    person = PersonFactory()
    client.force_login(OfficerFactory(role="clerk"))
    response = client.get(reverse("office:person_detail", args=[person.pk]), {"purpose": "case 1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:officer_login"))


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_citizen_never_reaches_the_workbench(client, name):
    client.force_login(CitizenFactory())
    response = client.get(_url(name))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url.startswith(reverse("accounts:officer_login"))


def test_content_editor_is_refused_person_search_and_records(officer_client):
    client = officer_client("editor")
    person = PersonFactory()
    assert client.get(reverse("office:person_search")).status_code == 403
    assert (
        client.post(
            reverse("office:person_search"), {"id_number": person.id_number, "purpose": "x"}
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("office:person_detail", args=[person.pk]), {"purpose": "x"}).status_code
        == 403
    )


def test_clerk_is_refused_the_access_log(officer_client):
    assert officer_client("clerk").get(reverse("office:access_log")).status_code == 403


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("clerk", ["office:person_search"], ["office:access_log"]),
        ("auditor", ["office:person_search", "office:access_log"], []),
        (
            "editor",
            ["bulletins_office:index", "education_office:home"],
            ["office:person_search", "office:access_log", "plates_office:home"],
        ),
    ],
)
def test_home_shows_the_role_and_only_its_tools(officer_client, role, visible, hidden):
    client = officer_client(role)
    response = client.get(reverse("office:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert str(client.officer.get_role_display()) in body
    for name in visible:
        assert f'href="{reverse(name)}"' in body
    for name in hidden:
        assert f'href="{reverse(name)}"' not in body
    if not visible:
        assert response.context["tools"] == []
