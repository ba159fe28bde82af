"""Factories of appointments data: sites, sessions, learners, and owners with vehicles."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import factory

from tests.factories import CitizenFactory, VehicleFactory
from vmo.appointments.choices import AppointmentKind
from vmo.appointments.models import Learner, Session, Site
from vmo.core import clock

# A Tuesday; sessions are made relative to it.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=clock.OFFICE_TZ)
TODAY = NOW.date()


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"昌吉检测站{n}")
    kind = AppointmentKind.INSPECTION


class SessionFactory(factory.django.DjangoModelFactory):
    """Made directly (not via session_create) so tests can place a session on any day."""

    class Meta:
        model = Session

    site = factory.SubFactory(SiteFactory)
    kind = factory.LazyAttribute(lambda s: s.site.kind)
    subject = ""
    day = TODAY + timedelta(days=14)
    start_time = factory.Sequence(lambda n: time(8 + n % 10, 0))
    end_time = factory.LazyAttribute(lambda s: time(s.start_time.hour, 59))
    capacity = 5


def exam_session(subject: str, day: date | None = None, capacity: int = 5) -> Session:
    site = Site.objects.filter(kind=AppointmentKind.EXAM).first() or SiteFactory(
        kind=AppointmentKind.EXAM, name="昌吉州驾驶人考试中心"
    )
    return SessionFactory(
        site=site, subject=subject, day=day or TODAY + timedelta(days=14), capacity=capacity
    )


def inspection_session(day: date | None = None, capacity: int = 5) -> Session:
    site = Site.objects.filter(kind=AppointmentKind.INSPECTION).first() or SiteFactory()
    return SessionFactory(site=site, day=day or TODAY + timedelta(days=7), capacity=capacity)


def owner_with_vehicle(inspection_valid_until: date | None = None, **vehicle):
    """A citizen account and a vehicle in their name whose inspection window is open."""
    user = CitizenFactory()
    until = inspection_valid_until or TODAY + timedelta(days=40)
    car = VehicleFactory(owner_person=user.person, inspection_valid_until=until, **vehicle)
    return user, car


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    person = factory.LazyAttribute(lambda _: CitizenFactory().person)
    licence_class = "C1"
    accepted_on = TODAY - timedelta(days=60)


def learner_with_permit(issued_days_ago: int = 60, **kwargs) -> Learner:
    """A learner who passed subject 1 `issued_days_ago` days ago (the permit's issue day)."""
    issued = TODAY - timedelta(days=issued_days_ago)
    return LearnerFactory(
        subject1_passed_on=issued,
        permit_issued_on=issued,
        permit_valid_until=issued.replace(year=issued.year + 3),
        **kwargs,
    )
