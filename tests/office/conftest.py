from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import OfficerFactory


def sign_in_verified(client: Client, officer) -> Client:
    """Log in and mark the session TOTP-verified the way django_otp.login does."""
    client.force_login(officer)
    # The assertions read English text; Chinese, the default, is covered by the portal and e2e tests.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = officer.totpdevice_set.get().persistent_id
    session.save()
    return client


@pytest.fixture
def officer_client(client: Client) -> Callable[..., Client]:
    """officer_client("auditor") -> a client signed in, OTP-verified, as a new officer of that role."""

    def make(role: str = "clerk", **kwargs) -> Client:
        officer = OfficerFactory(role=role, **kwargs)
        client.officer = officer  # type: ignore[attr-defined]
        return sign_in_verified(client, officer)

    return make
