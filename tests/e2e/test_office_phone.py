"""The officers' identity page (/office/identity/: the hall verification an officer records)
and the company-agents page (/office/agents/) on a 360 px phone in both languages: no
horizontal scroll, no Chinese outside lang="zh-Hans" on the English page, axe clean; with a
pending account found, and with the agents page showing a company, its authorisations and a
refused letter's error summary."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from PIL import Image

from tests.accounts.helpers import PASSWORD, code_sent_to
from tests.browser import PHONE, assert_accessible
from tests.e2e.test_crawl import STRAY_HAN
from tests.factories import (
    CitizenFactory,
    CompanyFactory,
    OfficerFactory,
    PersonFactory,
    VehicleFactory,
    make_phone,
)
from tests.pdfs import build_pdf
from tests.registry.agents import authorise

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NO_SCROLL = "document.documentElement.scrollWidth <= innerWidth"


def _officer_page(page_factory, live_server, locale):
    officer = OfficerFactory(role="clerk", first_name="Eleanor", last_name="Featherstonehaugh")
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = officer.totpdevice_set.get().persistent_id
    session.save()
    page = page_factory(viewport=PHONE, locale=locale)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def _check(page, label: str, lang: str) -> None:
    assert page.evaluate(NO_SCROLL), (
        f"{label}: {page.evaluate('document.documentElement.scrollWidth')} px"
    )
    if lang == "en":
        assert page.evaluate(STRAY_HAN) == [], label
    assert_accessible(page, label)


def _pending_claim(id_number: str) -> None:
    """A sign-up whose phone is not the one on record: it waits for the hall."""
    phone = make_phone(71)
    client = Client()
    client.post(
        reverse("accounts:signup"),
        {"name": "买买提·艾力", "id_number": id_number, "phone": phone},
    )
    client.post(
        reverse("accounts:signup_verify"),
        {"code": code_sent_to(phone), "password": PASSWORD, "password_confirm": PASSWORD},
    )


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_identity_page_fits_a_phone_and_passes_axe(page_factory, live_server, locale):
    lang = locale[:2]
    person = PersonFactory(name="买买提·艾力", phone=make_phone(72))
    _pending_claim(person.id_number)
    page = _officer_page(page_factory, live_server, locale)
    page.goto(f"{live_server.url}/office/identity/")
    _check(page, f"office-identity-{lang}-phone", lang)
    page.fill("#id_id_number", person.id_number)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("main button[name=claim]").count() == 1
    _check(page, f"office-identity-found-{lang}-phone", lang)
    # A wrong number: the error summary, still fitting and clean.
    page.fill("#id_id_number", "652301199001011234")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    _check(page, f"office-identity-error-{lang}-phone", lang)


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_company_agents_page_fits_a_phone_and_passes_axe(page_factory, live_server, locale):
    lang = locale[:2]
    company = CompanyFactory(name="昌吉市天山运输有限公司")
    VehicleFactory(owner_person=None, owner_company=company)
    authorise(company, CitizenFactory().person)
    newcomer = CitizenFactory()
    page = _officer_page(page_factory, live_server, locale)
    page.goto(f"{live_server.url}/office/agents/?uscc={company.uscc}")
    assert page.locator("main form[action$='/revoke/']").count() == 1
    _check(page, f"office-agents-{lang}-phone", lang)
    # A letter with a script: refused, every problem in the summary, the form kept.
    page.fill("#id_id_number", newcomer.person.id_number)
    page.set_input_files(
        "#id_letter",
        {
            "name": "letter.pdf",
            "mimeType": "application/pdf",
            "buffer": build_pdf(
                b"<< /S /JavaScript /JS (app.alert(1)) >>", catalog_extra=b"/OpenAction 4 0 R"
            ),
        },
    )
    page.fill("#id_valid_from", "2020-01-01")
    page.fill("#id_valid_until", "2020-01-31")
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() >= 2
    _check(page, f"office-agents-error-{lang}-phone", lang)
    # A good letter and dates: recorded, and the page shows both agents.
    buffer = BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, format="PNG")
    page.set_input_files(
        "#id_letter", {"name": "letter.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    )
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_valid_until", "2030-12-31")
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main form[action$='/revoke/']").count() == 2
    _check(page, f"office-agents-recorded-{lang}-phone", lang)
