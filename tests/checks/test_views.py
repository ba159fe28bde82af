"""The pages: holder makes and revokes a code, checker checks it, others get 404."""

from __future__ import annotations

import re

import pytest

from tests.factories import CitizenFactory, LicenceFactory
from vmo.checks.models import CheckCode
from vmo.core.models import DataAccess

pytestmark = pytest.mark.django_db


def test_make_check_see_in_data_access_revoke_refused(client):
    holder = CitizenFactory()
    LicenceFactory(holder=holder.person, file_number="652300654321", classes="C1")
    client.force_login(holder)
    page = client.post(
        "/me/checks/", {"scope": "licence", "lifetime": "1d", "max_uses": "3"}
    ).content.decode()
    code = re.search(r'<strong class="code">([A-Z0-9]{12})</strong>', page).group(1)
    client.logout()
    form = {"code": code, "licence_tail": "654321", "organisation": "昌吉驾校", "purpose": "入职"}
    ok = client.post("/check/", form).content.decode()
    assert "C1" in ok or "小型汽车" in ok
    client.force_login(holder)
    assert "昌吉驾校" in client.get("/me/data-access/").content.decode()
    row = CheckCode.objects.get()
    client.post(f"/me/checks/{row.pk}/revoke/")
    client.logout()
    refused = client.post("/check/", form).content.decode()
    assert "error-summary" in refused and DataAccess.objects.count() == 1


def test_other_peoples_codes_are_404_and_check_form_names_every_problem(client):
    holder = CitizenFactory()
    LicenceFactory(holder=holder.person)
    client.force_login(holder)
    client.post("/me/checks/", {"scope": "points", "lifetime": "1h", "max_uses": "1"})
    row = CheckCode.objects.get()
    client.force_login(CitizenFactory())
    assert client.post(f"/me/checks/{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None
    client.logout()
    page = client.post("/check/", {}).content.decode()
    assert page.count('<p class="error"') == 4
