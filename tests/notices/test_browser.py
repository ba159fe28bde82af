"""Issue 6 in a real browser: a citizen reads a notice in the inbox, sets preferences (SMS
quiet hours, English, no SMS for study notices), and reads the public announcement list; phone
and desktop, Chinese and English, axe-core on every page."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.bulletins.helpers import published
from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory
from vmo.notices.models import Message
from vmo.notices.selectors import preference_for
from vmo.notices.services import notify

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _page(page_factory, live_server, user, viewport, locale):
    client = Client()
    client.force_login(user)
    page = page_factory(viewport=viewport, locale=locale)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (DESKTOP, "en")], ids=["phone-zh", "desktop-en"]
)
def test_inbox_preferences_and_announcements(page_factory, live_server, viewport, locale):
    user = CitizenFactory()
    LicenceFactory(holder=user.person)
    notify(
        kind="applications.correction",
        context={
            "reference": "SQ20261124TEST0001",
            "business": "驾驶证期满换证",
            "count": 2,
            "items": "1. 照片背景不是白色\n2. 体检证明已超过6个月",
        },
        dedup_key="browser-test-1",
        user=user,
        link="/applications/",
    )
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale}"
    page = _page(page_factory, live_server, user, viewport, locale)

    page.goto(f"{live_server.url}/me/messages/")
    listing = page.locator("main").inner_text()
    assert "SQ20261124TEST0001" in listing
    assert_accessible(page, f"notices-inbox-{label}")
    page.locator("main a[href*='/me/messages/']").filter(
        has_text="SQ20261124TEST0001"
    ).first.click()
    page.wait_for_url("**/me/messages/*/")
    assert "照片背景不是白色" in page.locator("main").inner_text()
    assert Message.objects.get(user=user, channel="inapp").read_at is not None
    assert_accessible(page, f"notices-message-{label}")

    page.goto(f"{live_server.url}/me/messages/preferences/")
    assert_accessible(page, f"notices-preferences-{label}")
    page.select_option("#id_language", "en")
    page.fill("#id_quiet_from", "22:00")
    page.fill("#id_quiet_to", "07:30")
    study_sms = page.locator("input[name=group_education][value=sms]")
    if study_sms.is_checked():
        study_sms.uncheck()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    preference = preference_for(user)
    assert preference is not None and preference.language == "en"
    assert (preference.quiet_from, preference.quiet_to) == (time(22, 0), time(7, 30))
    assert "sms" not in preference.channels.get("education", [])

    editor, reviewer = OfficerFactory(role="editor"), OfficerFactory(role="editor")
    published(editor, reviewer, title="延安北路封闭施工公告")
    page.goto(f"{live_server.url}/announcements/")
    assert "延安北路封闭施工公告" in page.locator("main").inner_text()
    assert_accessible(page, f"notices-announcements-{label}")
