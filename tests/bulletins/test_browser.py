"""The public list and an announcement page in a real browser, on a phone and a desktop, with
axe-core. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.bulletins.helpers import published, upload
from tests.factories import LicenceFactory, OfficerFactory
from vmo.bulletins import services
from vmo.core import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize(
    ("viewport", "locale"), [(PHONE, "zh-CN"), (DESKTOP, "en")], ids=["phone-zh", "desktop-en"]
)
def test_public_announcements_are_accessible(page_factory, live_server, viewport, locale):
    editor, reviewer = OfficerFactory(role="editor"), OfficerFactory(role="editor")
    published(editor, reviewer)
    for _n in range(3):
        LicenceFactory(flags="F", status="F")
    draft = services.announcement_drafts_generate(day=clock.today())[0]
    services.announcement_submit(actor=editor, announcement=draft)
    listed = services.announcement_approve(actor=reviewer, announcement=draft)
    publication = upload(editor)
    label = f"{'phone' if viewport is PHONE else 'desktop'}-{locale}"

    page = page_factory(viewport=viewport, locale=locale)
    page.goto(f"{live_server.url}/announcements/")
    assert_accessible(page, f"bulletins-announcements-{label}")
    assert page.locator("main .card-list li").count() == 2

    page.goto(f"{live_server.url}/announcements/{listed.year}/{listed.number}/")
    assert_accessible(page, f"bulletins-announcement-{label}")
    assert page.locator("main table tbody tr").count() == 3

    page.goto(f"{live_server.url}/publications/{publication.pk}/")
    assert_accessible(page, f"bulletins-publication-{label}")

    page.goto(f"{live_server.url}/")
    assert page.locator("#announcements-heading").count() == 1
