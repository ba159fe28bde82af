"""The journeys of the foundation, in a real browser, in Chinese and English, phone and desktop,
with axe-core on every page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django_otp.oath import totp

from tests.browser import DESKTOP, PHONE, assert_accessible
from tests.factories import (
    LicenceFactory,
    OfficerFactory,
    PersonFactory,
    VehicleFactory,
    make_id_number,
)
from vmo.core import clock
from vmo.notices.selectors import latest_sms_to

# serialized_rollback: the flush after each test would otherwise wipe the data that migrations
# load (the holiday calendar, the violation codes) for every later test on this worker.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _code_for(phone: str) -> str:
    message = latest_sms_to(phone)
    assert message is not None, "no code in the SMS outbox"
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", message.body)
    assert found, message.body
    return found.group(1)


def _person_with_records():
    person = PersonFactory(
        name="马建国", id_number=make_id_number(42, birth=date(1980, 3, 3)), phone="13700001111"
    )
    LicenceFactory(holder=person, valid_to=clock.today() + timedelta(days=40))
    VehicleFactory(owner_person=person, inspection_valid_until=clock.today() + timedelta(days=30))
    VehicleFactory(owner_person=person, brand="比亚迪", model_name="秦PLUS")
    return person


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_sign_up_with_the_code_from_the_outbox_then_see_my_status(
    page_factory, live_server, viewport
):
    person = _person_with_records()
    page = page_factory(viewport=viewport)
    size = "phone" if viewport is PHONE else "desktop"

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert_accessible(page, f"home-zh-{size}")

    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page, f"signup-zh-{size}")
    # Several problems at once: every one is named, and what was typed is kept.
    page.fill("#id_name", "马建国")
    page.fill(
        "#id_id_number", person.id_number[:-1] + ("1" if person.id_number[-1] != "1" else "2")
    )
    page.fill("#id_phone", "12345")
    page.locator(
        "form.signup-form button[type=submit], main form button[type=submit]"
    ).first.click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("li").count() >= 2
    assert page.input_value("#id_name") == "马建国"
    assert_accessible(page, f"signup-errors-zh-{size}")

    page.fill("#id_id_number", person.id_number)
    page.fill("#id_phone", "13700001111")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/signup/verify/")
    assert_accessible(page, f"signup-verify-zh-{size}")
    page.fill("#id_code", _code_for("13700001111"))
    page.fill("#id_password", "Tianshan-Road-88")
    page.fill("#id_password_confirm", "Tianshan-Road-88")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")
    body = page.locator("main").inner_text()
    assert "秦PLUS" in body  # the records hang off the Person: no further step
    assert_accessible(page, f"my-status-zh-{size}")

    # Sign out, sign in again with the phone number.
    # On a phone the navigation is folded into a menu: open it as a person would.
    menu = page.locator("header details.nav-menu > summary")
    if menu.is_visible():
        menu.click()
    page.locator("header form[action$='/accounts/logout/'] button:visible").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page, f"login-zh-{size}")
    page.fill("#id_identifier", "13700001111")
    page.fill("#id_password", "Tianshan-Road-88")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")


def test_sign_up_with_a_new_phone_then_verify_online_before_the_records_show(
    page_factory, live_server
):
    """Issue 12: a phone other than the one on record gives an account that shows nothing until
    the identity is verified (here through the sandbox provider's page and signed callback)."""
    person = _person_with_records()
    page = page_factory(viewport=PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_name", "马建国")
    page.fill("#id_id_number", person.id_number)
    page.fill("#id_phone", "13700002222")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/signup/verify/")
    page.fill("#id_code", _code_for("13700002222"))
    page.fill("#id_password", "Tianshan-Road-88")
    page.fill("#id_password_confirm", "Tianshan-Road-88")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/identity/")
    assert "秦PLUS" not in page.locator("main").inner_text()
    assert_accessible(page, "identity-zh-phone")
    page.goto(live_server.url + "/me/")
    page.wait_for_url("**/accounts/identity/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/identity/sandbox/**")
    assert_accessible(page, "identity-sandbox-zh-phone")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")
    assert "秦PLUS" in page.locator("main").inner_text()
    person.refresh_from_db()
    assert person.phone == "13700001111"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_switch_to_english_and_every_page_stays_accessible(page_factory, live_server, viewport):
    size = "phone" if viewport is PHONE else "desktop"
    page = page_factory(viewport=viewport)
    page.goto(live_server.url + "/")
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    for path, label in [
        ("/", "home"),
        ("/guide/", "guide"),
        ("/guide/D02/", "guide-D02"),
        ("/accounts/login/", "login"),
        ("/accounts/signup/", "signup"),
        ("/accounts/password-reset/", "password-reset"),
        ("/accounts/officer/login/", "officer-login"),
    ]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page, f"{label}-en-{size}")
    page.locator("button[name=language][value=zh-hans]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_sign_in_and_status_work_without_javascript(page_factory, live_server, django_user_model):
    person = _person_with_records()
    user = django_user_model.objects.create(kind="citizen", username=f"c{person.pk}", person=person)
    user.set_password("Tianshan-Road-88")
    user.save()
    page = page_factory(viewport=PHONE, javascript=False)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_identifier", person.id_number)
    page.fill("#id_password", "Tianshan-Road-88")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/")
    assert "秦PLUS" in page.locator("main").inner_text()


@pytest.mark.parametrize("locale", ["zh-hans", "en"])
def test_officer_signs_in_with_totp_looks_up_a_person_and_the_citizen_sees_it(
    page_factory, live_server, django_user_model, locale
):
    person = _person_with_records()
    citizen = django_user_model.objects.create(
        kind="citizen", username=f"c{person.pk}", person=person
    )
    citizen.set_password("Tianshan-Road-88")
    citizen.save()
    officer = OfficerFactory(username="clerk1", role="clerk")
    device = officer.totpdevice_set.get()

    page = page_factory(viewport=DESKTOP)
    if locale == "en":
        page.goto(live_server.url + "/")
        page.locator("button[name=language][value=en]").click()
        page.wait_for_load_state()
    page.goto(live_server.url + "/accounts/officer/login/")
    page.fill("#id_identifier", "clerk1")
    page.fill("#id_password", "Officer-Pass-42")
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/office/")
    assert_accessible(page, f"office-home-{locale}")
    page.goto(live_server.url + "/office/persons/")
    assert_accessible(page, f"office-search-{locale}")
    page.fill("#id_id_number", person.id_number)
    page.fill("#id_purpose", "counter enquiry 窗口咨询")
    page.locator("main form button[type=submit]").first.click()
    page.locator("main a[href*='/office/persons/']").first.click()
    page.wait_for_url("**/office/persons/*/**")
    assert person.id_number in page.locator("main").inner_text()
    assert_accessible(page, f"office-person-{locale}")

    citizen_page = page_factory(viewport=PHONE)
    citizen_page.goto(live_server.url + "/accounts/login/")
    citizen_page.fill("#id_identifier", "13700001111")
    citizen_page.fill("#id_password", "Tianshan-Road-88")
    citizen_page.locator("main form button[type=submit]").first.click()
    citizen_page.wait_for_url("**/me/")
    citizen_page.goto(live_server.url + "/me/data-access/")
    text = citizen_page.locator("main").inner_text()
    assert "counter enquiry" in text
    assert_accessible(citizen_page, f"data-access-{locale}")
