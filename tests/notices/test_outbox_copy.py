"""The set-based write of outbox rows (notices.services.outbox_copy): on PostgreSQL the rows go
in by COPY and one INSERT … SELECT … ON CONFLICT (dedup_key) DO NOTHING. They must be the rows
the ORM writes elsewhere, a second run must write nothing, and two runs at once must write each
row once and count it once."""

from __future__ import annotations

import threading
from datetime import datetime, time
from importlib import import_module

import pytest
import time_machine
from django.db import connection, connections

from tests.factories import CitizenFactory, make_phone
from vmo.core import clock, crypto
from vmo.notices import kinds, services
from vmo.notices.models import Message
from vmo.notices.services import Recipient

# The module (the package's ``notify`` is the function of that name).
notify_module = import_module("vmo.notices.services.notify")
KIND = "licence.validity_ending"  # in-app and SMS, not mandatory: preferences choose
NOW = datetime(2026, 12, 4, 23, 30, tzinfo=clock.OFFICE_TZ)  # inside the quiet hours below
COMPARED = [
    f.attname for f in Message._meta.concrete_fields if f.attname not in ("id", "dedup_key")
]


@pytest.fixture(scope="module")
def history_restorable(django_db_setup, django_db_blocker):
    """The serialized rollback of a transactional test rewrites the migrations' history rows,
    which the append-only triggers refuse on PostgreSQL: lifted for the test that needs it
    (as test_sweeper_concurrency does)."""
    from vmo.core.history_guard import GUARDED_TABLES

    def toggle(action: str) -> None:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for table in GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {table}_append_only")

    toggle("DISABLE")
    yield
    toggle("ENABLE")


def _people() -> list:
    """Citizens whose preferences differ in each way the rows depend on."""
    plain, english, no_sms, email, quiet = (CitizenFactory() for _ in range(5))
    services.preference_update(user=english, language="en", channels={})
    services.preference_update(user=no_sms, language="zh-hans", channels={"licence": ["inapp"]})
    services.preference_update(
        user=email, language="zh-hans", channels={"licence": ["inapp", "sms", "email"]}
    )
    services.preference_update(
        user=quiet, language="zh-hans", channels={}, quiet_from=time(22), quiet_to=time(7)
    )
    return [plain, english, no_sms, email, quiet]


def _recipients(prefix: str, users: list, extra: int = 0) -> list[Recipient]:
    found = [
        Recipient(
            dedup_key=f"{prefix}:{n}",
            context={"file": "6523**********01", "date": "2027-01-31", "days": 58},
            user_id=user.pk,
            phone=user.person.phone,
            email=f"p{n}@example.cn",
            link="/me/",
        )
        for n, user in enumerate(users)
    ]
    # People without an account: the SMS alone.
    found += [
        Recipient(
            dedup_key=f"{prefix}:phone:{n}",
            context={"file": "6523**********02", "date": "2027-01-31", "days": 58},
            phone=make_phone(5000 + n),
        )
        for n in range(extra)
    ]
    return found


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_copy_writes_the_rows_the_orm_writes():
    users = _people()
    with time_machine.travel(NOW, tick=False):
        written = services.notices_post(kind=KIND, recipients=_recipients("copy", users, 2))
        # What the portable path writes for the same recipients, under other keys.
        rows = notify_module._rows(
            kinds.get(KIND),
            _recipients("orm", users, 2),
            preferences=notify_module._preferences({u.pk for u in users}),
            taken=set(),
            respect_quiet_hours=True,
        )
        Message.objects.bulk_create([Message(**row) for row in rows])
    copied = {
        m["dedup_key"].removeprefix("copy:"): m
        for m in Message.objects.filter(dedup_key__startswith="copy:").values(
            "dedup_key", *COMPARED
        )
    }
    by_orm = {
        m["dedup_key"].removeprefix("orm:"): m
        for m in Message.objects.filter(dedup_key__startswith="orm:").values("dedup_key", *COMPARED)
    }
    assert written == len(rows) == len(copied) == 12  # 5 in-app, 4 + 2 SMS, 1 e-mail
    assert copied.keys() == by_orm.keys()
    for key, row in copied.items():
        assert {f: row[f] for f in COMPARED} == {f: by_orm[key][f] for f in COMPARED}, key
    quiet_sms = copied["4:sms"]
    assert quiet_sms["not_before"] is not None  # held until the quiet hours end
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, recipient FROM notices_message WHERE dedup_key = 'copy:1:sms'")
        body, recipient = cursor.fetchone()
    # Encrypted at rest as the field encrypts, each column under its own purpose.
    assert crypto.decrypt(body, purpose="notice.body") == copied["1:sms"]["body"]
    assert crypto.decrypt(recipient, purpose="notice.recipient") == users[1].person.phone


@pytest.mark.django_db
def test_a_second_run_writes_nothing_and_a_missing_channel_is_written_alone():
    users = _people()[:2]
    first = services.notify_bulk(kind=KIND, recipients=_recipients("again", users, 3))
    assert first == Message.objects.count() == 2 + 2 + 3
    assert services.notify_bulk(kind=KIND, recipients=_recipients("again", users, 3)) == 0
    Message.objects.filter(dedup_key="again:0:sms").delete()
    assert services.notify_bulk(kind=KIND, recipients=_recipients("again", users, 3)) == 1
    assert Message.objects.filter(dedup_key="again:0:sms").count() == 1
    assert Message.objects.count() == first


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("history_restorable")
def test_two_runs_at_once_write_each_row_once(monkeypatch):
    # Small transactions, so the two runs interleave batch by batch.
    monkeypatch.setattr(notify_module, "BULK_BATCH", 7)
    recipients = _recipients("race", [], 60)
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            counts.append(services.notify_bulk(kind=KIND, recipients=recipients, publish=False))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    keys = list(Message.objects.filter(dedup_key__startswith="race:").values_list("dedup_key"))
    assert len(keys) == len(set(keys)) == 60
    assert sum(counts) == 60  # each row counted by the run that wrote it
