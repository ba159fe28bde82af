"""Delivery after a crash (issue 14): publish-then-mark, one sweeper at a time, and "uncertain"
for a send the provider may have accepted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tests.factories import CitizenFactory
from tests.office.conftest import officer_client  # noqa: F401 - fixture
from vmo.core import clock
from vmo.notices import delivery, services, tasks
from vmo.notices.models import Attempt, Message

pytestmark = pytest.mark.django_db


class StatusGateway:
    """A provider that answers status queries: it accepted even ids, knows nothing of odd."""

    def send(self, *, phone: str, text: str, message_id: int) -> None:
        raise AssertionError("an uncertain message must not be sent again")

    def status(self, *, message_id: int) -> str | None:
        return "sent" if message_id % 2 == 0 else None


def _sms_rows(count: int) -> list[int]:
    ids = []
    for n in range(count):
        services.notify(
            kind="licence.validity_ending",
            context={"file": "****0042", "date": "2026-05-31", "days": 90},
            dedup_key=f"faults:{n}",
            user=CitizenFactory(),
        )
    ids = list(Message.objects.filter(channel="sms").order_by("pk").values_list("pk", flat=True))
    assert len(ids) == count
    # As a broker outage leaves them: written, never queued.
    Message.objects.filter(pk__in=ids).update(status="created", queued_at=None, attempts=0)
    return ids


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside publish(): nothing after it runs."""


def test_a_publisher_killed_half_way_leaves_the_rest_due_at_once(monkeypatch):
    ids = _sms_rows(5)
    calls = []

    def apply_async(*args, **kwargs):
        calls.append(kwargs["kwargs"]["message_id"])
        if len(calls) == 3:
            raise WorkerKilled

    monkeypatch.setattr(tasks.deliver, "apply_async", apply_async)
    with pytest.raises(WorkerKilled):
        delivery.publish(ids)
    # Marking all rows queued before publishing them left 4,933 SMS waiting five minutes: now
    # the rows it never handed over are due for the very next sweep.
    due = set(delivery.messages_due())
    assert set(ids[2:]) <= due
    assert not Message.objects.filter(pk__in=ids[2:], queued_at__isnull=False).exists()


def test_rows_handed_to_the_broker_are_stamped_after(monkeypatch):
    ids = _sms_rows(3)
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda *a, **k: None)
    assert delivery.publish(ids) == 3
    assert not Message.objects.filter(pk__in=ids, queued_at__isnull=True).exists()
    assert delivery.messages_due() == []  # not queued again until REQUEUE_AFTER


def test_an_uncertain_send_is_resolved_by_the_providers_answer_never_resent(settings):
    settings.VMO_SMS_BACKEND = "tests.notices.test_delivery_faults.StatusGateway"
    ids = _sms_rows(2)
    Message.objects.filter(pk__in=ids).update(
        status="sending", not_before=clock.now() - timedelta(seconds=1), attempts=1
    )
    for message_id in ids:
        Attempt.objects.create(message_id=message_id, number=1, started_at=clock.now())
    delivery.messages_dispatch()  # times them out, asks the provider (send would raise)
    statuses = dict(Message.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert {statuses[i] for i in ids if i % 2 == 0} <= {"sent"}
    assert {statuses[i] for i in ids if i % 2} <= {"uncertain"}
    assert Message.objects.filter(pk__in=ids, attempts=1).count() == 2


def test_the_failures_page_shows_uncertain_messages_as_such(officer_client):  # noqa: F811
    ids = _sms_rows(1)
    Message.objects.filter(pk__in=ids).update(status="uncertain", error=delivery.UNCERTAIN_ERROR)
    client = officer_client("supervisor")
    with translation.override("en"):
        page = client.get(reverse("office_notices:failures"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<strong>uncertain: may have been sent</strong>" in text
    assert "ask the provider before sending it again" in text


@pytest.mark.postgresql
def test_one_sweeper_at_a_time(monkeypatch):
    ids = _sms_rows(2)
    published: list[int] = []
    monkeypatch.setattr(
        tasks.deliver,
        "apply_async",
        lambda *a, **k: published.append(k["kwargs"]["message_id"]),
    )
    other = connection.copy()  # another worker's connection, holding the sweeper's lock
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [delivery.SWEEPER_LOCK])
        assert delivery.messages_dispatch() == 0
        assert published == []
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [delivery.SWEEPER_LOCK])
        assert delivery.messages_dispatch() == 2
        assert sorted(published) == ids
        # The lock is let go after each sweep: the other worker can take it again.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [delivery.SWEEPER_LOCK])
            assert cursor.fetchone()[0] is True
            cursor.execute("SELECT pg_advisory_unlock(%s)", [delivery.SWEEPER_LOCK])
    finally:
        other.close()
