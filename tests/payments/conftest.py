from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import CitizenFactory


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 2
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source form, whatever the catalogues say.
    with translation.override("en"):
        yield


@pytest.fixture
def payer(db):
    return CitizenFactory()


@pytest.fixture
def stranger(db):
    return CitizenFactory()


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run what waits for commit (task queueing, sandbox callbacks), as production would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def payer_client(client, payer):
    client.force_login(payer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
