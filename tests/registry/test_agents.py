"""A company's agent acts for it only under an authorisation the office recorded (issue 12):
the days it covers are the only days it counts, tested at its edges with a frozen clock, and
every recording and revocation is an event in the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import CompanyFactory, PersonFactory, VehicleFactory
from tests.registry.agents import authorise, letter_png
from vmo.core.models import Event
from vmo.registry import selectors as registry
from vmo.registry.models import AgentAuthorisation, CompanyRepresentative
from vmo.registry.services import agent_authorise, agent_revoke

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        yield


@pytest.fixture
def company():
    return CompanyFactory()


def _fields(error: pytest.ExceptionInfo) -> set[str]:
    return set(error.value.message_dict)


def test_being_named_by_the_company_is_not_enough(company):
    person = PersonFactory()
    CompanyRepresentative.objects.create(company=company, person=person, role="agent")
    VehicleFactory(owner_person=None, owner_company=company)
    assert not registry.acts_for(person, company.pk)
    assert list(registry.vehicles_acted_for(person)) == []


def test_the_legal_representative_acts_without_one(company):
    person = PersonFactory()
    CompanyRepresentative.objects.create(company=company, person=person, role="legal")
    car = VehicleFactory(owner_person=None, owner_company=company)
    assert [v.pk for v in registry.vehicles_acted_for(person)] == [car.pk]


def test_the_authorisation_counts_from_its_first_to_its_last_day_inclusive(company):
    person = PersonFactory()
    car = VehicleFactory(owner_person=None, owner_company=company)
    start, end = TODAY + timedelta(days=1), TODAY + timedelta(days=10)
    authorise(company, person, valid_from=start, valid_until=end)
    for day, acts in (
        (start - timedelta(days=1), False),  # the day before
        (start, True),
        (end, True),
        (end + timedelta(days=1), False),  # the day after
    ):
        with time_machine.travel(f"{day.isoformat()} 09:00 +0800", tick=False):
            assert registry.acts_for(person, company.pk) is acts, day
            assert [v.pk for v in registry.vehicles_acted_for(person)] == ([car.pk] if acts else [])


def test_recording_names_the_agent_keeps_the_letter_and_writes_history(company):
    person = PersonFactory()
    authorisation = authorise(company, person)
    assert CompanyRepresentative.objects.get(company=company, person=person).role == "agent"
    assert authorisation.letter.read() == letter_png()
    event = Event.objects.get(action="agent.authorise")
    assert event.subject_id == str(authorisation.pk)
    assert event.after["valid_until"] == (TODAY + timedelta(days=30)).isoformat()
    assert event.after["letter_sha256"] == authorisation.letter_sha256


def test_revocation_ends_access_at_once_with_its_reason_in_the_history(company):
    person = PersonFactory()
    VehicleFactory(owner_person=None, owner_company=company)
    authorisation = authorise(company, person)
    assert registry.acts_for(person, company.pk)
    agent_revoke(actor=None, authorisation=authorisation, reason="the company withdrew it")
    assert not registry.acts_for(person, company.pk)
    assert list(registry.vehicles_acted_for(person)) == []
    event = Event.objects.get(action="agent.revoke")
    assert event.reason == "the company withdrew it" and event.after["revoked_at"]
    with pytest.raises(ValidationError) as twice:
        agent_revoke(actor=None, authorisation=authorisation, reason="again")
    assert _fields(twice) == {"reason"}


def test_revocation_needs_a_reason_and_an_authorisation_still_running(company):
    person = PersonFactory()
    authorisation = authorise(company, person)
    with pytest.raises(ValidationError):
        agent_revoke(actor=None, authorisation=authorisation, reason="  ")
    ended = authorise(
        company,
        PersonFactory(),
        valid_from=TODAY - timedelta(days=1),
        valid_until=TODAY + timedelta(days=1),
    )
    with (
        time_machine.travel("2026-11-26 09:00 +0800", tick=False),
        pytest.raises(ValidationError),
    ):
        agent_revoke(actor=None, authorisation=ended, reason="too late")
    assert AgentAuthorisation.objects.filter(revoked_at__isnull=False).count() == 0


def _record(company, person, valid_from, valid_until):
    return agent_authorise(
        actor=None,
        company=company,
        person=person,
        letter=letter_png(),
        letter_content_type="image/png",
        letter_extension=".png",
        valid_from=valid_from,
        valid_until=valid_until,
    )


def test_refusals_name_every_reason_at_once(company):
    legal = PersonFactory()
    CompanyRepresentative.objects.create(company=company, person=legal, role="legal")
    with pytest.raises(ValidationError) as refused:
        _record(company, legal, TODAY, TODAY - timedelta(days=1))
    assert _fields(refused) == {"id_number", "valid_until"}
    with pytest.raises(ValidationError) as past:
        _record(company, PersonFactory(), TODAY - timedelta(days=9), TODAY - timedelta(days=1))
    assert _fields(past) == {"valid_until"}
    # Ending today is still in force today.
    assert _record(company, PersonFactory(), TODAY - timedelta(days=9), TODAY).pk
    assert not Event.objects.filter(action="agent.authorise", after__person_id=legal.pk).exists()


def test_an_overlapping_authorisation_of_the_same_agent_is_refused_a_following_one_not(company):
    person = PersonFactory()
    first = authorise(company, person, valid_from=TODAY, valid_until=TODAY + timedelta(days=10))
    with pytest.raises(ValidationError) as overlap:
        _record(company, person, TODAY + timedelta(days=10), TODAY + timedelta(days=40))
    assert _fields(overlap) == {"valid_from"}
    following = _record(company, person, TODAY + timedelta(days=11), TODAY + timedelta(days=40))
    assert following.pk != first.pk
    # After a revocation a new one may cover the same days.
    agent_revoke(actor=None, authorisation=first, reason="letter replaced")
    assert _record(company, person, TODAY, TODAY + timedelta(days=10)).pk


def test_the_agent_of_one_company_acts_for_no_other(company):
    person = PersonFactory()
    other = CompanyFactory()
    VehicleFactory(owner_person=None, owner_company=other)
    authorise(company, person)
    assert registry.acts_for(person, company.pk) and not registry.acts_for(person, other.pk)
    assert list(registry.vehicles_acted_for(person)) == []
