"""Demo data: one inspection station and one exam site with sessions over the coming weeks.
Idempotent: sites by name, sessions by slot. Exam sessions start 10 days out (R162 Art 52)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from vmo.core import clock, workdays

from . import checks
from .choices import AppointmentKind, Subject
from .models import Session, Site

if TYPE_CHECKING:
    from vmo.accounts.models import User

STATION = ("昌吉市机动车安全技术检验站", "昌吉市延安南路88号")
EXAM_SITE = ("昌吉州机动车驾驶人考试中心", "昌吉市世纪大道西段266号")
INSPECTION_SLOTS = ((time(9, 30), time(12, 0), 12), (time(15, 30), time(19, 0), 12))
EXAM_SLOTS = (
    (Subject.S1, time(10, 0), time(12, 0), 40),
    (Subject.S2, time(10, 0), time(18, 0), 30),
    (Subject.S3, time(10, 0), time(18, 0), 20),
    (Subject.S4, time(16, 0), time(17, 0), 40),
    (Subject.FULL_SCORE, time(15, 0), time(16, 0), 20),
)


def _site(name: str, address: str, kind: str) -> Site:
    site, _created = Site.objects.get_or_create(
        name=name, defaults={"kind": kind, "address": address}
    )
    return site


def _working_days(start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if workdays.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@transaction.atomic
def demo_sessions_create(*, actor: User | None = None, days: int = 10) -> list[Session]:
    """Sessions for the next `days` working days (inspections from tomorrow, exams from day 10).
    Returns the sessions made on this run."""
    today = clock.today()
    station = _site(*STATION, AppointmentKind.INSPECTION)
    exam_site = _site(*EXAM_SITE, AppointmentKind.EXAM)
    made: list[Session] = []

    def ensure(site: Site, day: date, start: time, end: time, capacity: int, subject: str) -> None:
        session, created = Session.objects.get_or_create(
            site=site,
            day=day,
            start_time=start,
            subject=subject,
            defaults={"kind": site.kind, "end_time": end, "capacity": capacity, "created_by": None},
        )
        if created:
            made.append(session)

    for day in _working_days(today + timedelta(days=1), days):
        for start, end, capacity in INSPECTION_SLOTS:
            ensure(station, day, start, end, capacity, "")
    first_exam = today + timedelta(days=checks.EXAM_PLAN_DAYS_AHEAD)
    for day in _working_days(first_exam, days):
        for subject, start, end, capacity in EXAM_SLOTS:
            ensure(exam_site, day, start, end, capacity, subject)
    return made
