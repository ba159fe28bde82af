from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from vmo.settings import base


def test_passwords_are_hashed_with_argon2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("Snow-Lotus-2024").startswith("argon2$argon2id$")


def test_idle_sessions_end_after_30_minutes():
    assert base.SESSION_COOKIE_AGE == 1800
    assert base.SESSION_SAVE_EVERY_REQUEST is False  # extended at most once a minute instead
    assert base.SESSION_COOKIE_HTTPONLY is True


def test_sign_in_goes_through_axes_first():
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_USERNAME_FORM_FIELD == "identifier"


@pytest.mark.django_db
def test_session_auth_hash_changes_with_the_salt(django_user_model):
    from vmo.accounts.services import sessions_end_everywhere

    user = django_user_model.objects.create(username="c2")
    before = user.get_session_auth_hash()
    sessions_end_everywhere(user=user)
    user.refresh_from_db()
    assert user.get_session_auth_hash() != before
