"""The queues: who sees which, sorted by the time limit, filtered, bounded in queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CitizenFactory, OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.applications import services
from vmo.applications.models import Application

from .workbench_helpers import checked_renewal, submitted_renewal

pytestmark = pytest.mark.django_db


def _client(officer) -> Client:
    return sign_in_verified(Client(), officer)


def _queue(client, code, **params):
    return client.get(reverse("applications_office:queue", args=[code]), params)


def _set_due(application, day):
    Application.objects.filter(pk=application.pk).update(due_on=day)


def test_clerk_sees_paid_submitted_sorted_by_deadline_not_unpaid_or_counter(clerk):
    late = submitted_renewal()
    soon = submitted_renewal()
    unpaid = submitted_renewal(paid=False)
    counter = submitted_renewal()
    services.application_to_counter(actor=clerk, application=counter, reason="原件需核对")
    _set_due(late, date(2026, 11, 30))
    _set_due(soon, date(2026, 11, 20))
    response = _queue(_client(clerk), "check")
    assert response.status_code == 200
    body = response.content.decode()
    assert late.reference in body and soon.reference in body
    assert unpaid.reference not in body and counter.reference not in body
    assert body.index(soon.reference) < body.index(late.reference)
    assert "overdue by 2 working days" in body  # due Fri 20 Nov, today Tue 24 Nov
    # The applicant's name is masked in the list.
    assert soon.person.name not in body


def test_reviewer_sees_checked_ones_and_clerk_may_not_open_that_queue(clerk, reviewer):
    waiting = submitted_renewal()
    checked = checked_renewal(clerk)
    body = _queue(_client(reviewer), "review").content.decode()
    assert checked.reference in body and waiting.reference not in body
    assert _queue(_client(clerk), "review").status_code == 403


def test_my_claimed_and_filters(clerk):
    mine = submitted_renewal()
    other = submitted_renewal()
    services.application_claim(actor=clerk, application=mine)
    client = _client(clerk)
    body = _queue(client, "mine").content.decode()
    assert mine.reference in body and other.reference not in body
    body = _queue(client, "check", claimed="none").content.decode()
    assert other.reference in body and mine.reference not in body
    _set_due(other, date(2026, 11, 23))
    body = _queue(client, "check", due="overdue").content.decode()
    assert other.reference in body and mine.reference not in body
    body = _queue(client, "check", due="near").content.decode()
    assert mine.reference in body and other.reference not in body  # due tomorrow
    body = _queue(client, "check", business="D01").content.decode()
    assert mine.reference not in body


def test_counter_queue_lists_applications_moved_there(clerk):
    moved = submitted_renewal()
    services.application_to_counter(actor=clerk, application=moved, reason="身份存疑")
    body = _queue(_client(clerk), "counter").content.decode()
    assert moved.reference in body


@pytest.mark.parametrize("role", ["editor", "admin", "auditor"])
def test_officers_of_other_roles_cannot_see_the_queues(role):
    client = _client(OfficerFactory(role=role))
    assert _queue(client, "check").status_code == 403
    assert client.get(reverse("applications_office:index")).status_code == 403


def test_citizen_and_anonymous_are_sent_to_sign_in():
    client = Client()
    response = _queue(client, "check")
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(CitizenFactory())
    response = _queue(client, "check")
    assert response.status_code == 302 and "login" in response["Location"]


def test_index_sends_each_role_to_its_queue(clerk, reviewer):
    response = _client(clerk).get(reverse("applications_office:index"))
    assert response["Location"].endswith("/queue/check/")
    response = _client(reviewer).get(reverse("applications_office:index"))
    assert response["Location"].endswith("/queue/review/")


def test_queue_queries_do_not_grow_with_the_rows(clerk, django_assert_max_num_queries):
    client = _client(clerk)
    submitted_renewal()
    _queue(client, "check")  # the first request of a new session stamps it (one save)
    with django_assert_max_num_queries(20) as one:
        assert _queue(client, "check").status_code == 200
    for _ in range(9):
        submitted_renewal()
    with django_assert_max_num_queries(len(one.captured_queries)) as ten:
        response = _queue(client, "check")
    assert response.content.decode().count("/office/applications/SQ") == 10
    assert len(ten.captured_queries) == len(one.captured_queries)
