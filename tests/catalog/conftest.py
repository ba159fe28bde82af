from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified


@pytest.fixture
def editor_client():
    """editor_client() -> a fresh client signed in, OTP-verified, as a new officer (an editor
    unless another role is named); the officer is on client.officer."""

    def make(role: str = "editor") -> Client:
        client = Client()
        officer = OfficerFactory(role=role)
        client.officer = officer  # type: ignore[attr-defined]
        return sign_in_verified(client, officer)

    return make
