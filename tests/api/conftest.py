import pytest

from vmo.accounts.services import api_token_create


@pytest.fixture
def bearer():
    """Authorization headers with a fresh API token for a user."""

    def make(user, **kwargs):
        raw, _ = api_token_create(user=user, name="test client", **kwargs)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
