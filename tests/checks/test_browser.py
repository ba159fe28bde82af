"""Issue 17, "Done when", end to end at 360 px: an officer registers an organisation and issues
it a key (shown once); a citizen makes a check code; the organisation checks it through the API
with that key; the check appears under the citizen's "who viewed my data" with the registered
name; the citizen revokes the code and the next check is refused. Chinese for the journey, the
same pages in English with a screenshot each; axe on every new page."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import PHONE, assert_accessible
from tests.checks.test_organisations import uscc
from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.checks import org_services
from vmo.checks.models import OrganisationCall

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 0.5)
  .map(el => el.tagName + ' ' + Math.round(el.getBoundingClientRect().right))"""
NAME = "平安保险昌吉中心支公司"


def _page(page_factory, live_server, client, locale):
    page = page_factory(viewport=PHONE, locale=locale)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


def _officer(page_factory, live_server, locale):
    client = Client()
    officer = OfficerFactory(role="supervisor")
    sign_in_verified(client, officer)
    return _page(page_factory, live_server, client, locale), officer


def _citizen(page_factory, live_server, locale):
    user = CitizenFactory()
    LicenceFactory(holder=user.person, file_number="652300123456", classes="C1")
    client = Client()
    client.force_login(user)
    return _page(page_factory, live_server, client, locale), user


def _check(live_server, key, code):
    body = {"code": code, "licence_tail": "123456", "purpose": "车险报价"}
    request = urllib.request.Request(
        live_server.url + "/api/v1/checks",
        data=json.dumps(body).encode(),
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the live test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _fits(page, label):
    assert page.evaluate(OVERFLOWING) == [], label
    assert_accessible(page, label)


def test_register_issue_check_see_revoke_refused(page_factory, live_server):
    office, _officer_user = _officer(page_factory, live_server, "zh-CN")
    office.goto(live_server.url + "/office/organisations/register/")
    office.locator("main form button[type=submit]").click()
    assert office.locator(".error-summary li").count() == 3  # every field named, nothing saved
    _fits(office, "orgs-register-errors-zh-360")
    office.fill("#id_name", NAME)
    office.select_option("#id_kind", "insurer")
    office.fill("#id_uscc", uscc())
    office.locator("main form button[type=submit]").click()
    office.wait_for_url("**/office/organisations/*/")
    _fits(office, "orgs-organisation-zh-360")
    office.fill("#id_label", "报价系统")
    office.check("#id_scopes_0")  # licence status and classes
    office.locator("main form button[type=submit]").last.click()
    key = office.locator(".key-once").inner_text()
    assert key.startswith("vmoc_")
    _fits(office, "orgs-key-issued-zh-360")

    citizen, user = _citizen(page_factory, live_server, "zh-CN")
    citizen.goto(live_server.url + "/me/checks/")
    citizen.check("input[name=scope][value=licence]")
    citizen.fill("#id_max_uses", "3")
    citizen.locator("main form button[type=submit]").last.click()
    code = citizen.locator(".panel strong.code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{12}", code)

    status, answer = _check(live_server, key, code)
    assert status == 200 and set(answer) == {"scope", "holder_name", "licence"}
    citizen.goto(live_server.url + "/me/data-access/")
    assert NAME in citizen.locator("main").inner_text()
    _fits(citizen, "orgs-data-access-zh-360")

    citizen.goto(live_server.url + "/me/checks/")
    citizen.locator("main table form button").click()
    citizen.wait_for_load_state()
    status, answer = _check(live_server, key, code)
    assert status == 403 and answer["errors"][0]["code"] == "refused"
    assert list(OrganisationCall.objects.values_list("outcome", flat=True)) == ["refused", "ok"]

    office.goto(office.url.replace("/keys/", "/calls/"))
    assert office.locator("main tbody tr").count() == 2
    _fits(office, "orgs-calls-zh-360")


def test_the_pages_in_english_at_360(page_factory, live_server):
    office, officer = _officer(page_factory, live_server, "en-US")
    org = org_services.organisation_register(
        actor=officer, name=NAME, kind="insurer", uscc=uscc(), contact="王经理 0994-1234567"
    )
    key, _raw = org_services.key_issue(
        actor=officer, organisation_id=org.pk, label="quotes", scopes=["licence", "vehicle"]
    )
    org_services.call_record(key=key, outcome="ok", client_address="203.0.113.9", purpose="报价")
    for path, label in [
        ("/office/organisations/", "list"),
        ("/office/organisations/register/", "register"),
        (f"/office/organisations/{org.pk}/", "organisation"),
        (f"/office/organisations/{org.pk}/calls/", "calls"),
    ]:
        office.goto(live_server.url + path)
        _fits(office, f"orgs-{label}-en-360")
    office.goto(f"{live_server.url}/office/organisations/{org.pk}/")
    office.locator("main table form button").click()
    office.wait_for_load_state()
    assert "Revoked" in office.locator("main table").inner_text()
