from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import CitizenFactory
from vmo.accounts.models import ApiToken
from vmo.accounts.selectors import user_for_api_token
from vmo.accounts.services import api_token_create, api_token_revoke
from vmo.core.clock import OFFICE_TZ
from vmo.core.selectors import events_for

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 3, 10, 0, tzinfo=OFFICE_TZ)


def test_token_is_stored_only_as_a_hash():
    user = CitizenFactory()
    raw, token = api_token_create(user=user, name="my app")
    assert len(raw) >= 43 and token.prefix == raw[:8]
    assert raw not in {token.token_hash, token.prefix}
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    assert user_for_api_token(raw) == user
    assert user_for_api_token(raw + "x") is None
    assert events_for(token).get().after == {"name": "my app", "prefix": token.prefix, "days": 30}


def test_revoked_token_no_longer_works():
    user = CitizenFactory()
    raw, token = api_token_create(user=user, name="my app")
    api_token_revoke(user=user, token_id=token.pk)
    assert user_for_api_token(raw) is None
    api_token_revoke(user=user, token_id=token.pk)  # twice is harmless
    assert events_for(token).filter(action="api_token.revoke").count() == 1


def test_only_the_owner_can_revoke():
    raw, token = api_token_create(user=CitizenFactory(), name="my app")
    with pytest.raises(ValidationError):
        api_token_revoke(user=CitizenFactory(), token_id=token.pk)
    assert user_for_api_token(raw) is not None


def test_token_expires_and_records_use():
    user = CitizenFactory()
    with time_machine.travel(START, tick=False) as traveller:
        raw, token = api_token_create(user=user, name="my app", days=1)
        assert user_for_api_token(raw) == user
        token.refresh_from_db()
        assert token.last_used_at == START
        traveller.shift(timedelta(days=1, seconds=1))
        assert user_for_api_token(raw) is None


def test_inactive_account_tokens_do_not_work():
    user = CitizenFactory()
    raw, _token = api_token_create(user=user, name="my app")
    user.is_active = False
    user.save()
    assert user_for_api_token(raw) is None


def test_bad_token_requests():
    with pytest.raises(ValidationError) as caught:
        api_token_create(user=CitizenFactory(), name=" ", days=0)
    assert set(caught.value.message_dict) == {"name", "days"}


# --- Issue 12 finding 2: tokens die with the sessions and are listed on the account page ---


def _works(_client, raw: str) -> bool:
    # A client of its own: the page client's session cookie would authenticate by itself.
    answer = Client().get("/api/v1/me/status", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return answer.status_code == 200


def test_sign_out_everywhere_revokes_every_token(client):
    user = CitizenFactory()
    raw, _token = api_token_create(user=user, name="phone app")
    other, _ = api_token_create(user=user, name="car app")
    assert _works(client, raw) and _works(client, other)
    client.force_login(user)
    client.post(reverse("accounts:logout_everywhere"))
    assert not _works(client, raw) and not _works(client, other)


def test_password_reset_revokes_every_token(client):
    from tests.accounts.helpers import code_sent_to
    from vmo.accounts.services import password_reset_complete, password_reset_start

    user = CitizenFactory()
    raw, _token = api_token_create(user=user, name="phone app")
    otc = password_reset_start(identifier=user.person.phone)
    password_reset_complete(
        code_id=otc.pk,
        code=code_sent_to(user.person.phone),
        password="New-Snow-Lotus-7",
        password_confirm="New-Snow-Lotus-7",
    )
    assert not _works(client, raw)


def test_account_page_lists_tokens_and_revokes_one_by_one(client):
    user = CitizenFactory()
    raw, token = api_token_create(user=user, name="phone app")
    kept, _kept_token = api_token_create(user=user, name="car app")
    _works(client, raw)  # sets last use
    client.force_login(user)
    page = client.get(reverse("accounts:account"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "phone app" in page.text and "car app" in page.text
    assert raw not in page.text and token.token_hash not in page.text
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at.astimezone(OFFICE_TZ).strftime("%Y-%m-%d %H:%M") in page.text
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not _works(client, raw) and _works(client, kept)


def test_nobody_revokes_someone_elses_token(client):
    owner = CitizenFactory()
    raw, token = api_token_create(user=owner, name="phone app")
    client.force_login(CitizenFactory())
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert _works(client, raw)
    assert "phone app" not in client.get(reverse("accounts:account")).text
