from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, code_sent_to, wrong
from tests.factories import CitizenFactory, OfficerFactory, make_id_number, make_phone
from vmo.accounts import services
from vmo.accounts.models import OneTimeCode
from vmo.core.clock import OFFICE_TZ
from vmo.core.selectors import events_for
from vmo.notices.models import Message

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "Correct-Horse-42"  # CitizenFactory's
START = datetime(2025, 3, 3, 10, 0, tzinfo=OFFICE_TZ)


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:login")).wsgi_request.user.is_authenticated


def test_reset_through_the_pages_ends_every_old_session(client):
    user = CitizenFactory()
    other_device = Client(HTTP_ACCEPT_LANGUAGE="en")
    other_device.post(
        reverse("accounts:login"), {"identifier": user.person.phone, "password": OLD_PASSWORD}
    )
    assert signed_in(other_device)

    response = client.post(reverse("accounts:password_reset"), {"identifier": user.person.phone})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_verify")
    message = Message.objects.get()
    assert (message.kind, message.user) == ("code.password_reset", user)
    response = client.post(
        reverse("accounts:password_reset_verify"),
        {
            "code": code_sent_to(user.person.phone),
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert response.status_code == 302 and response.url == reverse("accounts:login")

    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not signed_in(other_device)
    assert (
        client.post(
            reverse("accounts:login"), {"identifier": user.person.id_number, "password": PASSWORD}
        ).status_code
        == 302
    )
    event = events_for(user).get(action="account.password_reset")
    assert event.after == {"changed": ["password", "session_salt"]}


def test_reset_by_id_number_texts_the_accounts_phone():
    user = CitizenFactory()
    otc = services.password_reset_start(identifier=user.person.id_number.lower())
    code = code_sent_to(user.person.phone)
    assert (
        services.password_reset_complete(
            code_id=otc.pk, code=code, password=PASSWORD, password_confirm=PASSWORD
        )
        == user
    )


def test_unknown_identifier_gets_the_same_answer_and_no_text(client):
    CitizenFactory()  # someone else
    unknown = make_phone(4242)
    response = client.post(reverse("accounts:password_reset"), {"identifier": unknown})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_verify")
    assert Message.objects.count() == 0
    response = client.post(
        reverse("accounts:password_reset_verify"),
        {"code": "123456", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    # Exactly what a real account's wrong guess says.
    assert "The code is wrong. You have 4 more tries." in response.text


def test_real_and_unknown_accounts_answer_alike():
    user = CitizenFactory()
    answers = []
    for identifier in (user.person.phone, make_id_number(4243)):
        otc = services.password_reset_start(identifier=identifier)
        assert isinstance(otc, OneTimeCode)
        with pytest.raises(ValidationError) as caught:
            services.password_reset_complete(
                code_id=otc.pk, code="000000", password=PASSWORD, password_confirm=PASSWORD
            )
        answers.append(caught.value.message_dict)
    assert answers[0] == answers[1]


def test_officers_cannot_reset_by_text():
    officer = OfficerFactory(username="a" * 18)
    services.password_reset_start(identifier=officer.username)
    assert Message.objects.count() == 0


def test_identifier_that_is_neither_phone_nor_id_number():
    with pytest.raises(ValidationError) as caught:
        services.password_reset_start(identifier="zhangwei")
    assert caught.value.message_dict == {
        "identifier": ["Enter the mobile number or ID number of your account."]
    }


def test_reset_requests_are_rate_limited_per_identifier():
    user = CitizenFactory()
    with time_machine.travel(START, tick=False) as traveller:
        services.password_reset_start(identifier=user.person.phone)
        with pytest.raises(ValidationError) as caught:
            services.password_reset_start(identifier=user.person.phone)
        assert "Please wait 60 seconds" in caught.value.message_dict["identifier"][0]
        # The same limit applies to an identifier with no account: nothing is revealed.
        services.password_reset_start(identifier=make_phone(4244))
        with pytest.raises(ValidationError):
            services.password_reset_start(identifier=make_phone(4244))
        traveller.shift(timedelta(seconds=61))
        services.password_reset_start(identifier=user.person.phone)
    assert Message.objects.count() == 2


def test_wrong_expired_and_weak():
    user = CitizenFactory()
    with time_machine.travel(START, tick=False) as traveller:
        otc = services.password_reset_start(identifier=user.person.phone)
        code = code_sent_to(user.person.phone)
        with pytest.raises(ValidationError) as caught:
            services.password_reset_complete(
                code_id=otc.pk, code=wrong(code), password="password", password_confirm="x"
            )
        assert set(caught.value.message_dict) == {"code", "password", "password_confirm"}
        traveller.shift(timedelta(minutes=11))
        with pytest.raises(ValidationError) as caught:
            services.password_reset_complete(
                code_id=otc.pk, code=code, password=PASSWORD, password_confirm=PASSWORD
            )
        assert caught.value.message_dict == {
            "code": ["This code has expired. Please ask for a new one."]
        }
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)


def test_verify_page_without_step_one_goes_back(client):
    response = client.get(reverse("accounts:password_reset_verify"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset")


def test_a_reset_lifts_the_sign_in_lock(client, settings):
    settings.AXES_USERNAME_CALLABLE = "vmo.accounts.selectors.lockout_key"
    user = CitizenFactory()
    for _ in range(5):
        client.post(
            reverse("accounts:login"), {"identifier": user.person.phone, "password": "wrong"}
        )
    client.post(reverse("accounts:password_reset"), {"identifier": user.person.phone})
    client.post(
        reverse("accounts:password_reset_verify"),
        {
            "code": code_sent_to(user.person.phone),
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    response = client.post(
        reverse("accounts:login"), {"identifier": user.person.phone, "password": PASSWORD}
    )
    assert response.status_code == 302
