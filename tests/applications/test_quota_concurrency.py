"""The person's upload quota holds for two uploads at once (issue 14 follow-up: each upload
locked only its own application, so two uploads to two applications of one applicant both
counted the room as free and both were stored). Two real uploads in two threads, each with its
own PostgreSQL connection: the first is made and held uncommitted while the second runs; the
second must wait for it and be refused, not pass beside it.

PostgreSQL only (`postgresql` mark): row locks between connections."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import translation

from vmo.applications import services
from vmo.applications.models import ApplicationFile

from .conftest import photo, start

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]
HELD = 1.0  # seconds the first upload stays uncommitted


@pytest.fixture(scope="module", autouse=True)
def _history_restorable(django_db_setup, django_db_blocker):
    """The serialized rollback of a transactional test rewrites the migrations' history rows,
    which the append-only triggers refuse on PostgreSQL: lift them for this module only."""
    from vmo.core.history_guard import GUARDED_TABLES

    def toggle(action: str) -> None:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for table in GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {table}_append_only")

    toggle("DISABLE")
    yield
    toggle("ENABLE")


def _upload(user, app, upload):
    return services.material_upload(
        actor=user, application=app, material_code="photo", upload=upload
    )


def test_two_uploads_at_once_to_two_applications_cannot_both_pass_the_persons_quota(
    holder, settings
):
    first_app, second_app = start(holder, "D02"), start(holder, "D03")
    sizes = len(photo().read()), len(photo(width=400, height=492).read())
    settings.VMO_UPLOAD_QUOTA_PERSON = max(sizes) + 10  # room for either alone, not both
    first_made, first_committed = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                _upload(holder, first_app, photo())
                first_made.set()
                time.sleep(HELD)  # uncommitted: the second upload runs meanwhile
            first_committed.set()
            outcome["first"] = "stored"
        except BaseException as exc:  # reported below
            outcome["first"] = exc
            first_made.set()
        finally:
            connections.close_all()

    def second() -> None:
        first_made.wait(10)
        try:
            with translation.override("en"):
                _upload(holder, second_app, photo(width=400, height=492))
            outcome["second"] = "stored"
        except ValidationError as exc:
            outcome["second"] = exc.message_dict["file"][0]
        except BaseException as exc:  # reported below
            outcome["second"] = exc
        finally:
            # The tests' clock is frozen (time-machine): the order of events tells the wait.
            outcome["second_after_commit"] = first_committed.is_set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome["first"] == "stored"
    assert str(outcome["second"]).startswith("Your applications already hold"), outcome
    assert outcome["second_after_commit"] is True  # it waited for the first to commit
    assert ApplicationFile.objects.count() == 1
