"""Sites, exam and inspection sessions, and learners: what bookings are made against."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from .. import checks
from ..checks import Problem, problems_error
from ..choices import AppointmentKind, LearnerStatus, Subject
from ..models import Learner, Session, Site

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Person


MAX_CAPACITY = 500


# --- Sites and sessions --------------------------------------------------------------------


@transaction.atomic
def site_create(*, actor: User, name: str, kind: str, address: str = "") -> Site:
    site = Site(name=name.strip(), kind=kind, address=address.strip())
    site.full_clean()
    site.save()
    event_record(actor=actor, subject=site, action="appointments.site_create", after={"kind": kind})
    return site


@transaction.atomic
def session_create(
    *,
    actor: User,
    site: Site,
    day: date,
    start_time: time,
    end_time: time,
    capacity: int,
    subject: str = "",
) -> Session:
    problems: list[Problem] = []
    today = clock.today()
    if site.kind == AppointmentKind.EXAM:
        if subject not in Subject.values or subject == "":
            problems.append(("subject", _("Choose the exam subject of the session.")))
        earliest = today + timedelta(days=checks.EXAM_PLAN_DAYS_AHEAD)
        if day < earliest:
            problems.append(
                (
                    "plan",
                    _(
                        "Exam sessions are published at least %(days)s days ahead: the first"
                        " possible day is %(date)s (R162 Art 52)."
                    )
                    % {"days": checks.EXAM_PLAN_DAYS_AHEAD, "date": earliest},
                )
            )
    else:
        if subject:
            problems.append(("subject", _("Inspection sessions have no exam subject.")))
        if day < today:
            problems.append(("past", _("The day has passed.")))
    if end_time <= start_time:
        problems.append(("times", _("The session must end after it starts.")))
    if not 1 <= capacity <= MAX_CAPACITY:
        problems.append(
            ("capacity", _("The capacity must be between 1 and %(max)s.") % {"max": MAX_CAPACITY})
        )
    if Session.objects.filter(site=site, day=day, start_time=start_time, subject=subject).exists():
        problems.append(("duplicate", _("This site already has a session at that time.")))
    if problems:
        raise problems_error(problems)
    session = Session.objects.create(
        site=site,
        kind=site.kind,
        subject=subject,
        day=day,
        start_time=start_time,
        end_time=end_time,
        capacity=capacity,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    event_record(
        actor=actor,
        subject=session,
        action="appointments.session_create",
        after={"site": site.pk, "day": day.isoformat(), "capacity": capacity, "subject": subject},
    )
    return session


# --- Learners -------------------------------------------------------------------------------


@transaction.atomic
def learner_create(
    *, actor: User, person: Person, licence_class: str, accepted_on: date
) -> Learner:
    """A driving-test application accepted (R162 Art 28): the learner may book subject 1."""
    if Learner.objects.filter(
        person=person, licence_class=licence_class, status=LearnerStatus.ACTIVE
    ).exists():
        raise problems_error([("duplicate", _("An application for this class is already open."))])
    learner = Learner(person=person, licence_class=licence_class, accepted_on=accepted_on)
    learner.full_clean()
    learner.save()
    event_record(
        actor=actor,
        subject=learner,
        action="appointments.learner_create",
        after={"class": licence_class, "accepted_on": accepted_on.isoformat()},
    )
    return learner
