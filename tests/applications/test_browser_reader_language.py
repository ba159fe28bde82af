"""Issue 15 findings 2 and 15 in a browser at 360 px: Chinese-speaking officers check and
approve (after its confirmation page) an English-reading citizen's renewal; the citizen's
message and application page, and an English-reading officer's history, show no Chinese
outside elements marked lang="zh-Hans" (the officers' names), fit the phone and pass axe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import translation

from tests.browser import PHONE, assert_accessible
from tests.e2e.test_crawl import STRAY_HAN
from tests.factories import OfficerFactory
from vmo.applications import services
from vmo.applications.models import Application
from vmo.notices.models import Preference

from .conftest import verified
from .test_browser_applications import _renewer, _sign_in
from .test_workbench_browser import _officer_page, _open, _press
from .workbench_helpers import submitted_renewal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTES = Path(os.environ["VMO_NOTES_SHOTS"]) if os.environ.get("VMO_NOTES_SHOTS") else None


@pytest.fixture(autouse=True)
def _frozen_day():
    """The real clock here: the browser keeps the session cookie by its own clock."""
    yield


def _fits_and_is_english(page, label: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], label
    assert page.evaluate(STRAY_HAN) == [], label
    assert_accessible(page, label)
    if NOTES:
        page.screenshot(path=str(NOTES / f"journeys-{label}.png"), full_page=True)


def test_english_reader_after_chinese_officers(page_factory, live_server):
    citizen = _renewer()
    Preference.objects.create(user=citizen, language="en")
    application = submitted_renewal(citizen)
    clerk = verified(OfficerFactory(role="clerk", first_name="李娜"))
    reviewer = verified(OfficerFactory(role="reviewer", first_name="马永福"))
    with translation.override("zh-hans"):
        services.application_pass_check(actor=clerk, application=application)

    # The reviewer works in Chinese: the approve button first asks for confirmation.
    officer = _officer_page(page_factory, live_server, reviewer, viewport=PHONE, locale="zh-CN")
    _open(officer, live_server, application)
    _press(officer, "approve")
    assert Application.objects.get(pk=application.pk).status == "review"
    assert officer.locator("input[name=confirm]").count() == 1
    assert_accessible(officer, "approve-confirm-phone-zh")
    if NOTES:
        officer.screenshot(path=str(NOTES / "journeys-approve-confirm-zh.png"), full_page=True)
    _press(officer, "approve")
    assert Application.objects.get(pk=application.pk).status == "approved"

    page = page_factory(viewport=PHONE, locale="en-US")
    _sign_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/me/messages/")
    page.locator("main a[href*='/me/messages/']:has-text('approved')").first.click()
    page.wait_for_load_state()
    assert "approved" in page.locator("main").inner_text().lower()
    _fits_and_is_english(page, "message-en-after-zh-officer")
    page.goto(f"{live_server.url}/applications/{application.reference}/")
    _fits_and_is_english(page, "application-en-after-zh-officer")

    supervisor = verified(OfficerFactory(role="supervisor", first_name="Wang"))
    english = _officer_page(page_factory, live_server, supervisor, viewport=PHONE, locale="en-US")
    _open(english, live_server, application)
    history = english.locator("section[aria-labelledby=history-title]").inner_html()
    assert '<span lang="zh-Hans">马永福</span> (reviewer)' in history
    stray = english.evaluate(
        """() => {
          const copy = document.querySelector('section[aria-labelledby=history-title]')
            .cloneNode(true);
          copy.querySelectorAll('[lang^=zh]').forEach((el) => el.remove());
          return copy.textContent.match(/\\p{Script=Han}+/gu) || [];
        }"""
    )
    assert stray == [], stray
    if NOTES:
        english.screenshot(path=str(NOTES / "journeys-officer-history-en.png"), full_page=True)
