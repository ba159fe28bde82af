"""The full-score study pages in a real browser (R163 Arts 19, 31): axe-core at a phone's and a
desktop's width in both languages, no horizontal scroll, and an on-site day recorded and a
duplicate refused without JavaScript."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.education.helpers import driver
from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.core import clock
from vmo.education import services
from vmo.education.models import FullScoreStudy, OnsiteStudyDay
from vmo.education.services.onsite import onsite_day_record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _officer_page(page_factory, live_server, role, **kwargs):
    client = Client()
    sign_in_verified(client, OfficerFactory(role=role))
    page = page_factory(**kwargs)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def _study() -> FullScoreStudy:
    _, licence = driver(12, classes="B2")
    services.full_score_scan()
    return FullScoreStudy.objects.get(licence=licence)


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("viewport", "locale"),
    [(PHONE, "zh-CN"), (PHONE, "en"), (DESKTOP, "zh-CN"), (DESKTOP, "en")],
    ids=["phone-zh", "phone-en", "desktop-zh", "desktop-en"],
)
def test_full_score_pages_are_accessible(page_factory, live_server, viewport, locale):
    study = _study()
    onsite_day_record(
        study=study,
        actor=OfficerFactory(role="clerk"),
        day=clock.today(),
        site="昌吉市车管所学习室",
        starts_at=time(9, 0),
        ends_at=time(12, 30),
    )
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    page = _officer_page(page_factory, live_server, "supervisor", viewport=viewport, locale=locale)
    page.goto(f"{live_server.url}/office/learning/full-score/")
    assert_accessible(page, f"office-full-score-list-{label}")
    assert _no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/office/learning/full-score/{study.licence.holder_id}/")
    assert_accessible(page, f"office-full-score-person-{label}")
    assert _no_horizontal_scroll(page)
    # The same date again: the error summary names the field.
    page.fill("#id_day-day", clock.today().isoformat())
    page.fill("#id_day-site", "阜康市学习点")
    page.fill("#id_day-starts_at", "14:00")
    page.fill("#id_day-ends_at", "17:30")
    page.locator("form[action$='/onsite/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page, f"office-full-score-refused-{label}")
    assert _no_horizontal_scroll(page)


def test_record_a_day_without_javascript(page_factory, live_server):
    study = _study()
    page = _officer_page(page_factory, live_server, "clerk", viewport=PHONE, javascript=False)
    page.goto(f"{live_server.url}/office/learning/full-score/{study.licence.holder_id}/")
    page.fill("#id_day-day", clock.today().isoformat())
    page.fill("#id_day-site", "昌吉市车管所学习室")
    page.fill("#id_day-starts_at", "09:00")
    page.fill("#id_day-ends_at", "12:30")
    page.locator("form[action$='/onsite/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert OnsiteStudyDay.objects.filter(study=study).count() == 1
    assert "昌吉市车管所学习室" in page.locator("main").inner_text()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_citizen_sees_the_days_and_the_bar(page_factory, live_server, locale):
    from vmo.education.services.cheating import full_score_cheating_record

    study = _study()
    officer = OfficerFactory(role="supervisor")
    days = [
        onsite_day_record(
            study=study,
            actor=officer,
            day=clock.today(),
            site="昌吉市车管所学习室",
            starts_at=time(9, 0),
            ends_at=time(12, 30),
        )
    ]
    finding = full_score_cheating_record(
        study=study, actor=officer, kind="proxy", reason="代学", onsite_days=days
    )
    client = Client()
    client.force_login(study.licence.holder.account)
    page = page_factory(viewport=PHONE, locale=locale)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/learn/")
    text = page.locator("main").inner_text()
    assert finding.bar_ends_on.isoformat() in text  # the bar of R163 Art 26(5), its last day
    assert_accessible(page, f"education-full-score-citizen-phone-{locale}")
    assert _no_horizontal_scroll(page)
