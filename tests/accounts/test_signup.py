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


def test_sign_up_through_the_pages_with_the_phone_on_record(client):
    person = PersonFactory(name="张伟", id_number=ID, phone=PHONE)
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
    assert (user.kind, user.role, user.username) == ("citizen", "", f"c{person.pk}")
    assert user.person == person
    assert user.identity_claim.method == "phone"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert OneTimeCode.objects.get().used_at is not None
    assert [e.action for e in events_for(user)] == ["account.signup"]


def test_someone_not_on_record_gets_an_account_that_waits_for_verification(client):
    # Behaviour changed on purpose (issue 12): a sign-up no longer creates a registry person
    # from a name and ID number alone; the person is created when the identity is verified.
    client.post(reverse("accounts:signup"), {"name": "张伟", "id_number": ID, "phone": PHONE})
    response = client.post(
        reverse("accounts:signup_verify"),
        {"code": code_sent_to(PHONE), "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:identity")
    user = User.objects.get()
    assert user.person is None and user.identity_claim.verified_at is None
    assert Person.objects.count() == 0
    page = client.get(reverse("portal:my_status"))
    assert page.status_code == 302 and page.url == reverse("accounts:identity")
    page = client.get(reverse("accounts:identity"))
    assert "Your account is not yet verified" in page.text
    assert "At a service hall" in page.text


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
    licence = LicenceFactory(holder=PersonFactory(name="王芳", phone=PHONE))
    VehicleFactory(owner_person=licence.holder)
    person = licence.holder
    otc = start(name="王芳", id_number=person.id_number)
    user = complete(otc, code_sent_to(PHONE))
    assert user.person == person
    assert Person.objects.count() == 1
    assert user.person.licence == licence
    assert user.person.vehicles.count() == 1


def test_name_and_id_number_with_a_new_phone_see_nothing_and_change_nothing(client):
    """Finding 1: knowing a person's name and ID number is not enough to take over their record."""
    victim_phone = make_phone(99)
    licence = LicenceFactory(holder=PersonFactory(name="王芳", phone=victim_phone))
    VehicleFactory(owner_person=licence.holder)
    person = licence.holder
    client.post(
        reverse("accounts:signup"),
        {"name": "王芳", "id_number": person.id_number, "phone": PHONE},
    )
    client.post(
        reverse("accounts:signup_verify"),
        {"code": code_sent_to(PHONE), "password": PASSWORD, "password_confirm": PASSWORD},
    )
    attacker = User.objects.get()
    assert attacker.person is None
    person.refresh_from_db()
    assert person.phone == victim_phone  # sign-up never changes the registry's phone
    assert latest_sms_to(victim_phone) is None
    assert not [e for e in events_for(person) if e.action == "person.contact_update"]
    for name in ("portal:my_status", "portal:data_access"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("accounts:identity")
    page = client.get(reverse("accounts:identity"))
    assert person.vehicles.get().vin not in page.text
    api = client.get("/api/v1/me/status")
    assert api.status_code == 403
    assert api.json()["errors"][0]["code"] == "identity_not_verified"
    # Signing in again (with the phone it proved) still shows nothing.
    client.logout()
    client.post(reverse("accounts:login"), {"identifier": PHONE, "password": PASSWORD})
    assert client.get(reverse("portal:my_status")).url == reverse("accounts:identity")


def test_minority_name_with_a_middle_dot_and_its_variants():
    person = PersonFactory(name="阿依古丽·买买提", id_number=ID, phone=PHONE)
    otc = start(name="阿依古丽•买买提")
    user = complete(otc, code_sent_to(PHONE))
    assert user.person == person


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


def _answer(client, **fields: str):
    response = client.post(reverse("accounts:signup"), fields)
    return response.status_code, response.get("Location"), OneTimeCode.objects.count()


def test_sign_up_answers_the_same_whoever_is_on_record(client):
    """Finding 3: a name that does not match, an ID number with an account, a phone with an
    account and details nobody has: one answer, and nothing of the records is revealed."""
    person = PersonFactory(name="王芳")
    citizen = CitizenFactory()
    answers = [
        _answer(client, name="王芬", id_number=person.id_number, phone=make_phone(31)),
        _answer(
            client,
            name=citizen.person.name,
            id_number=citizen.person.id_number,
            phone=make_phone(32),
        ),
        _answer(client, name="张伟", id_number=make_id_number(33), phone=citizen.person.phone),
        _answer(client, name="张伟", id_number=make_id_number(34), phone=make_phone(34)),
    ]
    assert [a[:2] for a in answers] == [(302, reverse("accounts:signup_verify"))] * 4
    assert [a[2] for a in answers] == [1, 2, 3, 4]
    page = client.get(reverse("accounts:signup_verify")).text
    assert "If these details can be used for a new account" in page
    assert User.objects.count() == 1


def test_id_number_that_already_has_an_account_gets_only_an_unverified_account():
    citizen = CitizenFactory()
    otc = start(name=citizen.person.name, id_number=citizen.person.id_number)
    user = complete(otc, code_sent_to(PHONE))
    assert user.person is None
    citizen.refresh_from_db()
    assert User.objects.filter(person=citizen.person).get() == citizen


def test_phone_used_by_another_account_is_told_so_by_sms_and_gets_no_code():
    citizen = CitizenFactory()
    otc = start(phone=citizen.person.phone)
    body = latest_sms_to(citizen.person.phone).body
    assert "already has an account" in body
    assert not __import__("re").search(r"\d{6}", body)
    errors = problems(complete, otc, "123456")
    assert errors["code"][0].startswith("The code is wrong.")
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
    PersonFactory(name="张伟", id_number=ID, phone=PHONE)
    with time_machine.travel(START, tick=False) as traveller:
        first = start()
        first_code = code_sent_to(PHONE)
        traveller.shift(timedelta(minutes=2))
        second = start()
        second_code = code_sent_to(PHONE)
        complete(first, first_code)
        errors = problems(complete, second, second_code)
    assert errors["__all__"] == ["This mobile number is already used by another account."]
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


def test_five_codes_an_hour_per_id_number_whatever_the_phone():
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(5):
            start(phone=make_phone(40 + n))
            traveller.shift(timedelta(minutes=2))
        errors = problems(start, phone=make_phone(50))
        assert errors == {
            "id_number": ["Too many codes were asked for. Please try again in 50 minutes."]
        }


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
