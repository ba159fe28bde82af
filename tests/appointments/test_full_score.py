"""The full-score exam (R163 Arts 21-23): booked only after the study, passing clears the points."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory
from vmo.appointments import services
from vmo.appointments.results import result_record
from vmo.core import clock
from vmo.education.models import FullScoreStudy
from vmo.registry.selectors import points_in_cycle
from vmo.registry.services import licence_set_flags, points_record

from .helpers import TODAY, exam_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _full_score_licence():
    user = CitizenFactory()
    licence = LicenceFactory(holder=user.person)
    points_record(
        licence=licence,
        actor=None,
        points=12,
        kind="violation",
        occurred_on=TODAY - timedelta(days=20),
    )
    licence_set_flags(licence=licence, actor=None, add="U", reason="withheld at full score")
    licence.refresh_from_db()
    assert "B" in licence.status
    return user, licence


def _study(licence, done: bool) -> FullScoreStudy:
    # The education app's own record of the study (its selector reads it).
    return FullScoreStudy.objects.create(
        licence=licence,
        cycle_start=TODAY - timedelta(days=100),
        occurrence=1,
        points=12,
        required_days=7,
        online_days_required=5,
        assigned_at=clock.now() - timedelta(days=15),
        completed_at=clock.now() if done else None,
    )


def test_study_first_then_pass_clears_points_and_returns_the_licence():
    user, licence = _full_score_licence()
    study = _study(licence, done=False)
    session = exam_session("full", day=TODAY + timedelta(days=12))
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=user, person=user.person, session=session)
    assert {e.code for e in exc.value.error_dict["__all__"]} == {"study"}
    session.refresh_from_db()
    assert session.booked == 0

    FullScoreStudy.objects.filter(pk=study.pk).update(completed_at=clock.now())
    booking = services.booking_create(actor=user, person=user.person, session=session)
    assert booking.licence == licence

    booking.session.day = TODAY  # the exam day has come
    booking.session.save()
    result_record(actor=OfficerFactory(), booking=booking, result="passed", score=96)
    licence.refresh_from_db()
    assert points_in_cycle(licence, on=TODAY) == 0
    assert "B" not in licence.status and "U" not in licence.status


def test_a_failed_full_score_exam_waits_ten_days(frozen):
    user, licence = _full_score_licence()
    _study(licence, done=True)
    session = exam_session("full", day=TODAY)
    from vmo.appointments.models import Booking

    booking = Booking.objects.create(
        session=session, kind="exam", subject="full", person=user.person, licence=licence
    )
    result_record(actor=OfficerFactory(), booking=booking, result="failed", score=60)
    later = exam_session("full", day=TODAY + timedelta(days=20))
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=user, person=user.person, session=later)
    assert {e.code for e in exc.value.error_dict["__all__"]} == {"waiting"}
    frozen.move_to("2026-03-20 09:00+08:00")  # exam day + 10, a Friday
    services.booking_create(actor=user, person=user.person, session=later)
