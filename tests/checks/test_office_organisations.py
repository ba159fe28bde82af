"""The workbench pages for organisations: who may use them, register, issue a key shown once,
revoke, and the call log in pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.checks.test_organisations import uscc
from tests.office.conftest import officer_client  # noqa: F401  (fixture)
from vmo.accounts.selectors import api_token_hash
from vmo.checks import org_services
from vmo.checks.models import Organisation, OrganisationCall, OrganisationKey
from vmo.checks.office_views import CALLS_PAGE_SIZE

pytestmark = pytest.mark.django_db
BASE = "/office/organisations/"


def _register(client, **kw):
    data = {"name": "神州租车昌吉店", "kind": "car_rental", "uscc": uscc(), "contact": ""} | kw
    return client.post(BASE + "register/", data)


@pytest.mark.parametrize("role", ["clerk", "reviewer", "editor", "auditor"])
def test_only_officers_who_manage_organisations_see_the_pages(officer_client, role):  # noqa: F811
    client = officer_client(role)
    assert client.get(BASE).status_code == 403
    assert _register(client).status_code == 403
    assert not Organisation.objects.exists()


def test_register_issue_once_revoke(officer_client):  # noqa: F811
    client = officer_client("supervisor")
    assert "Checking organisations" in client.get("/office/").content.decode()
    response = _register(client)
    org = Organisation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{org.pk}/"
    assert org.name in client.get(BASE).content.decode()

    page = client.post(f"{BASE}{org.pk}/keys/", {"label": "front desk", "scopes": ["licence"]})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    raw = re.search(r'<strong class="code key-once">(vmoc_[\w-]+)</strong>', page.content.decode())
    key = OrganisationKey.objects.get()
    assert raw and key.key_hash == api_token_hash(raw.group(1))
    detail = client.get(f"{BASE}{org.pk}/").content.decode()
    assert key.prefix in detail and raw.group(1) not in detail  # never shown again

    response = client.post(f"{BASE}{org.pk}/keys/{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by_id == client.officer.pk
    assert "Revoked" in client.get(f"{BASE}{org.pk}/").content.decode()


def test_bad_forms_name_every_problem_and_change_nothing(officer_client):  # noqa: F811
    client = officer_client("admin")
    page = _register(client, name="", kind="bank", uscc="123")
    assert page.status_code == 422
    assert page.content.decode().count('<p class="error"') == 3
    assert not Organisation.objects.exists()
    _register(client)
    org = Organisation.objects.get()
    page = client.post(f"{BASE}{org.pk}/keys/", {"label": ""})
    assert page.status_code == 422 and "error-summary" in page.content.decode()
    assert not OrganisationKey.objects.exists()
    assert (
        client.post(f"{BASE}{org.pk + 1}/keys/", {"label": "x", "scopes": ["points"]}).status_code
        == 404
    )
    assert client.get(f"{BASE}{org.pk}/keys/").status_code == 405


def test_revoking_another_organisations_key_is_404(officer_client):  # noqa: F811
    client = officer_client("supervisor")
    _register(client)
    _register(client, name="昌吉驾校", kind="driving_school", uscc=uscc("91652300MA78P3K2Y"))
    first, second = Organisation.objects.order_by("pk")
    key, _ = org_services.key_issue(
        actor=client.officer, organisation_id=first.pk, label="a", scopes=["licence"]
    )
    assert client.post(f"{BASE}{second.pk}/keys/{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_call_log_pages_and_auditors_may_read_it(officer_client):  # noqa: F811
    client = officer_client("supervisor")
    _register(client)
    org = Organisation.objects.get()
    key, _ = org_services.key_issue(
        actor=client.officer, organisation_id=org.pk, label="a", scopes=["licence"]
    )
    for i in range(CALLS_PAGE_SIZE + 1):
        org_services.call_record(
            key=key, outcome="refused", client_address="203.0.113.9", purpose=f"p{i}"
        )
    first = client.get(f"{BASE}{org.pk}/calls/").content.decode()
    assert first.count("<tr>") == CALLS_PAGE_SIZE + 1  # header row + one page
    assert "Code refused" in first and "?page=2" in first
    second = client.get(f"{BASE}{org.pk}/calls/?page=2").content.decode()
    assert second.count("<tr>") == 2
    auditor = officer_client("auditor")
    assert auditor.get(f"{BASE}{org.pk}/calls/").status_code == 200
    assert OrganisationCall.objects.count() == CALLS_PAGE_SIZE + 1


def test_list_and_call_log_take_the_same_queries_for_many_rows(
    officer_client,  # noqa: F811
    django_assert_max_num_queries,
):
    client = officer_client("supervisor")

    def grow(n):
        for i in range(n):
            org = org_services.organisation_register(
                actor=client.officer,
                name=f"机构{Organisation.objects.count()}",
                kind="employer",
                uscc=uscc(f"91652300MA78P{Organisation.objects.count():04d}"),
            )
            key, _ = org_services.key_issue(
                actor=client.officer, organisation_id=org.pk, label=f"k{i}", scopes=["points"]
            )
            org_services.call_record(key=key, outcome="ok", client_address="203.0.113.9")
        return org

    first = grow(1)
    with CaptureQueriesContext(connection) as one:
        client.get(BASE)
        client.get(f"{BASE}{first.pk}/calls/")
    last = grow(5)
    for _ in range(5):
        org_services.call_record(
            key=last.keys.get(), outcome="refused", client_address="203.0.113.9"
        )
    with django_assert_max_num_queries(len(one)):
        client.get(BASE)
        client.get(f"{BASE}{last.pk}/calls/")
