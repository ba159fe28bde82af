"""The officers' violation pages of issue 16 in a real browser at 360 px, both languages, axe."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser import PHONE, assert_accessible
from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from tests.violations.online_factories import camera_violation, owner_with_vehicle
from vmo.core import clock
from vmo.violations.models import ProxySuspect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _officer_page(page_factory, live_server, locale):
    client = sign_in_verified(Client(), OfficerFactory(role="supervisor"))
    page = page_factory(viewport=PHONE, locale=locale)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value}]
    if locale == "en":
        cookies.append({"name": "django_language", "value": "en"})
    page.context.add_cookies([{**c, "url": live_server.url} for c in cookies])
    return page


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_anti_proxy_list_and_counter_handling(page_factory, live_server, locale):
    driver = owner_with_vehicle()
    ProxySuspect.objects.create(
        kind="driver",
        person=driver.person,
        listed_at=clock.now(),
        evidence={"decisions": ["6523202500000001", "6523202500000002"], "vehicles": [1, 2, 3]},
    )
    page = _officer_page(page_factory, live_server, locale)
    page.goto(f"{live_server.url}/office/violations/proxy/")
    assert_accessible(page, f"office-proxy-{locale}")
    page.locator("form[action*=clear] button[type=submit]").click()  # sent without a reason
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page, f"office-proxy-error-{locale}")
    # Counter handling on a record's file: the form, then its error summary.
    record = camera_violation(driver.vehicle, code="1712")
    page.goto(f"{live_server.url}/office/violations/{record.pk}/")
    assert_accessible(page, f"office-counter-{locale}")
    page.locator("form[action*=decide] button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page, f"office-counter-error-{locale}")
