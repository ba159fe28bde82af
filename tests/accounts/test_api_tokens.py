from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

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
