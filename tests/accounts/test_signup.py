from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, code_sent_to, wrong
from tests.factories import (
    CitizenFactory,
    LicenceFactory,
    PersonFactory,
    VehicleFactory,
    make_id_number,
    make_phone,
)
from vmo.accounts import services
from vmo.accounts.models import OneTimeCode, User
from vmo.core.clock import OFFICE_TZ
from vmo.core.models import Event
from vmo.core.selectors import events_for
from vmo.notices.models import Message
from vmo.notices.selectors import latest_sms_to
from vmo.registry.models import Person

pytestmark = pytest.mark.django_db

ID = make_id_number(7)
PHONE = make_phone(7)
START = datetime(2025, 3, 3, 10, 0, tzinfo=OFFICE_TZ)


def start(**overrides: str) -> OneTimeCode:
    return services.signup_start(**({"name": "张伟", "id_number": ID, "phone": PHONE} | overrides))


def complete(
    otc: OneTimeCode, code: str, password: str = PASSWORD, confirm: str | None = None
) -> User:
    return services.signup_complete(
        code_id=otc.pk,
        code=code,
        password=password,
        password_confirm=password if confirm is None else confirm,
    )


def problems(call, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def assert_nothing_created(persons_before: int = 0) -> None:
    assert User.objects.count() == 0
    assert Person.objects.count() == persons_before


# --- Happy paths ---------------------------------------------------------------------------


def test_sign_up_through_the_pages_with_the_texted_code(client):
    response = client.post(
        reverse("accounts:signup"), {"name": "张伟", "id_number": ID, "phone": PHONE}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_verify")
    page = client.get(response.url)
    assert PHONE[:3] + "****" + PHONE[-4:] in page.text
    assert PHONE not in page.text

    message = latest_sms_to(PHONE)
    assert message.body.startswith("【昌吉车管所】")
    assert message.kind == "code.signup"
    code = code_sent_to(PHONE)

    response = client.post(
        reverse("accounts:signup_verify"),
        {"code": code, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:my_status")
    user = User.objects.get()
    assert (user.kind, user.role, user.username) == ("citizen", "", f"c{user.person.pk}")
    assert user.person.name == "张伟"
    assert user.person.phone == PHONE
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert OneTimeCode.objects.get().used_at is not None
    assert [e.action for e in events_for(user)] == ["account.signup"]


def test_history_never_holds_the_phone_or_id_number():
    complete(start(), code_sent_to(PHONE))
    for event in Event.objects.all():
        text = f"{event.before} {event.after} {event.reason}"
        assert PHONE not in text and ID not in text


def test_the_code_payload_is_sealed():
    otc = start()
    assert (
        ID not in str(otc.payload)
        and PHONE not in str(otc.payload)
        and "张伟" not in str(otc.payload)
    )
    assert otc.code_hash != code_sent_to(PHONE)


def test_person_on_record_is_linked_with_licence_and_vehicles():
    licence = LicenceFactory(holder=PersonFactory(name="王芳", phone=make_phone(99)))
    VehicleFactory(owner_person=licence.holder)
    person = licence.holder
    otc = start(name="王芳", id_number=person.id_number)
    user = complete(otc, code_sent_to(PHONE))
    assert user.person == person
    assert Person.objects.count() == 1
    person.refresh_from_db()
    assert person.phone == PHONE  # the phone just proved by the code
    assert user.person.licence == licence
    assert user.person.vehicles.count() == 1
    assert any(
        e.action == "person.contact_update" and e.after == {"changed": ["phone"]}
        for e in events_for(person)
    )


def test_minority_name_with_a_middle_dot_and_its_variants():
    otc = start(name="阿依古丽•买买提")
    user = complete(otc, code_sent_to(PHONE))
    assert user.person.name == "阿依古丽·买买提"


# --- Bad input: every problem named, nothing created --------------------------------------


def test_bad_id_check_digit():
    good = make_id_number(8)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    errors = problems(start, id_number=bad)
    assert errors == {
        "id_number": [f"The check digit of this ID number is wrong: expected {good[17]}."]
    }
    assert_nothing_created()
    assert OneTimeCode.objects.count() == 0 and Message.objects.count() == 0


def test_bad_phone():
    errors = problems(start, phone="12345678901")
    assert errors == {"phone": ["A mobile number has 11 digits and starts with 13 to 19."]}
    assert_nothing_created()


def test_every_problem_is_reported_at_once():
    errors = problems(start, name="X", id_number="65230119900101123", phone="1381234")
    assert set(errors) == {"name", "id_number", "phone"}
    assert "2 to 30" in errors["name"][0]
    assert errors["id_number"] == [
        "An ID number has 18 characters: 17 digits followed by a digit or X."
    ]
    assert_nothing_created()


def test_name_that_does_not_match_the_records():
    person = PersonFactory(name="王芳")
    errors = problems(start, name="王芬", id_number=person.id_number)
    assert errors == {"name": ["The name does not match the records for this ID number."]}
    assert_nothing_created(persons_before=1)


def test_id_number_that_already_has_an_account():
    citizen = CitizenFactory()
    errors = problems(start, name=citizen.person.name, id_number=citizen.person.id_number)
    assert errors["id_number"][0].startswith("An account already exists for this ID number.")
    assert User.objects.count() == 1


def test_phone_used_by_another_account():
    citizen = CitizenFactory()
    errors = problems(start, phone=citizen.person.phone)
    assert errors == {"phone": ["This mobile number is already used by another account."]}
    assert User.objects.count() == 1


def test_wrong_code_counts_the_attempt_and_creates_nothing():
    otc = start()
    errors = problems(complete, otc, wrong(code_sent_to(PHONE)))
    assert errors == {"code": ["The code is wrong. You have 4 more tries."]}
    otc.refresh_from_db()
    assert otc.attempts == 1 and otc.used_at is None
    assert_nothing_created()


def test_expired_code():
    with time_machine.travel(START, tick=False) as traveller:
        otc = start()
        traveller.shift(timedelta(minutes=10, seconds=1))
        errors = problems(complete, otc, code_sent_to(PHONE))
    assert errors == {"code": ["This code has expired. Please ask for a new one."]}
    assert_nothing_created()


def test_code_still_valid_just_before_expiry():
    with time_machine.travel(START, tick=False) as traveller:
        otc = start()
        traveller.shift(timedelta(minutes=9, seconds=59))
        assert complete(otc, code_sent_to(PHONE)).pk


def test_too_many_attempts_refuse_even_the_right_code():
    otc = start()
    code = code_sent_to(PHONE)
    for left in (4, 3, 2, 1):
        assert problems(complete, otc, wrong(code))["code"][0].endswith(
            f"{left} more {'try' if left == 1 else 'tries'}."
        )
    assert "Too many wrong codes" in problems(complete, otc, wrong(code))["code"][0]
    errors = problems(complete, otc, code)
    assert errors == {"code": ["Too many wrong codes were entered. Please ask for a new one."]}
    assert_nothing_created()


def test_weak_and_mismatched_passwords_are_all_reported():
    otc = start()
    errors = problems(complete, otc, code_sent_to(PHONE), password="12345678", confirm="1234567")
    assert "This password is too common." in errors["password"]
    assert "This password is entirely numeric." in errors["password"]
    assert errors["password_confirm"] == ["The two passwords do not match."]
    assert_nothing_created()
    otc.refresh_from_db()
    assert otc.attempts == 0 and otc.used_at is None  # the right code is not spent


def test_wrong_code_and_weak_password_together():
    otc = start()
    errors = problems(complete, otc, wrong(code_sent_to(PHONE)), password="short")
    assert set(errors) == {"code", "password"}
    assert_nothing_created()


def test_a_used_code_cannot_be_used_again():
    otc = start()
    complete(otc, code_sent_to(PHONE))
    errors = problems(complete, otc, code_sent_to(PHONE))
    assert errors == {"code": ["This code has already been used. Please ask for a new one."]}
    assert User.objects.count() == 1


def test_someone_else_finishing_first_is_refused_at_completion():
    first = start(phone=make_phone(11))
    second = start(phone=make_phone(12))
    complete(first, code_sent_to(make_phone(11)))
    errors = problems(complete, second, code_sent_to(make_phone(12)))
    assert errors["__all__"][0].startswith("An account already exists for this ID number.")
    assert User.objects.count() == 1


# --- Rate limit of codes per phone ----------------------------------------------------------


def test_one_code_a_minute_per_phone():
    with time_machine.travel(START, tick=False) as traveller:
        start()
        traveller.shift(timedelta(seconds=20))
        errors = problems(start)
        assert errors == {"phone": ["Please wait 40 seconds before asking for another code."]}
        traveller.shift(timedelta(seconds=41))
        start()
    assert OneTimeCode.objects.count() == 2


def test_five_codes_an_hour_per_phone():
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            start()
            traveller.shift(timedelta(minutes=2))
        errors = problems(start)
        assert errors == {
            "phone": ["Too many codes were asked for. Please try again in 50 minutes."]
        }
        traveller.shift(timedelta(minutes=51))
        start()


# --- Pages ----------------------------------------------------------------------------------


def test_signup_page_shows_every_error_and_keeps_what_was_typed(client):
    response = client.post(
        reverse("accounts:signup"), {"name": "张伟", "id_number": ID[:17] + "Y", "phone": "10086"}
    )
    assert response.status_code == 200
    page = response.text
    assert 'class="error-summary"' in page
    assert "An ID number has 18 characters" in page
    assert "A mobile number has 11 digits" in page
    assert 'value="张伟"' in page and 'value="10086"' in page
    assert 'aria-invalid="true"' in page
    assert OneTimeCode.objects.count() == 0


def test_service_errors_are_shown_beside_the_fields(client):
    person = PersonFactory(name="王芳")
    response = client.post(
        reverse("accounts:signup"), {"name": "王芬", "id_number": person.id_number, "phone": PHONE}
    )
    assert response.status_code == 200
    assert "The name does not match the records for this ID number." in response.text


def test_verify_page_without_step_one_goes_back(client):
    response = client.get(reverse("accounts:signup_verify"))
    assert response.status_code == 302 and response.url == reverse("accounts:signup")


def test_verify_page_shows_code_and_password_errors_at_once(client):
    client.post(reverse("accounts:signup"), {"name": "张伟", "id_number": ID, "phone": PHONE})
    response = client.post(
        reverse("accounts:signup_verify"),
        {"code": "000000", "password": "abc", "password_confirm": "abd"},
    )
    assert response.status_code == 200
    for text in (
        "The code is wrong.",
        "This password is too short.",
        "The two passwords do not match.",
    ):
        assert text in response.text
    assert User.objects.count() == 0


def test_old_codes_are_purged():
    from vmo.accounts.tasks import codes_purge_task

    with time_machine.travel(START, tick=False) as traveller:
        start()
        traveller.shift(timedelta(hours=2))
        start(phone=make_phone(21))
        traveller.shift(timedelta(days=1))
        assert codes_purge_task.delay().get() == 1
    assert OneTimeCode.objects.count() == 1
