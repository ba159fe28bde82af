"""Learner permits lapse (R162 Art 41): valid three years; the daily scan closes a learner whose
permit ended, the subjects passed lapse with it, and nothing is booked on it afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from vmo.appointments import services
from vmo.appointments.choices import LearnerStatus
from vmo.appointments.permits import learner_permits_lapse
from vmo.core.models import Event
from vmo.notices.models import Message
from vmo.notices.scans import scans_run

from .helpers import TODAY, exam_session, learner_with_permit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _learner(valid_until):
    learner = learner_with_permit(
        issued_days_ago=400, subject2_passed_on=TODAY - timedelta(days=30)
    )
    learner.permit_valid_until = valid_until
    learner.save()
    return learner


@pytest.mark.parametrize(
    ("valid_until", "lapsed"),
    [
        (TODAY - timedelta(days=1), True),  # ended yesterday
        (TODAY, False),  # valid through today
        (TODAY + timedelta(days=1), False),
    ],
)
def test_the_scan_lapses_ended_permits_and_their_passes_r162_art_41(valid_until, lapsed):
    learner = _learner(valid_until)
    assert scans_run(day=TODAY, codes=["appointments.permit_lapsed"]) == {
        "appointments.permit_lapsed": int(lapsed)
    }
    learner.refresh_from_db()
    assert (learner.status == LearnerStatus.LAPSED) is lapsed
    assert (learner.subject1_passed_on is None and learner.subject2_passed_on is None) is lapsed
    assert Message.objects.filter(kind="appointments.permit_lapsed").exists() is lapsed
    assert Event.objects.filter(action="appointments.permit_lapsed").count() == int(lapsed)
    # Twice is harmless.
    assert learner_permits_lapse(day=TODAY) == 0


@pytest.mark.parametrize(("exam_after_end", "ok"), [(-1, True), (0, True), (1, False)])
def test_no_exam_after_the_permit_ends_r162_art_41(exam_after_end, ok):
    end = TODAY + timedelta(days=20)
    learner = _learner(end)
    session = exam_session("3", day=end + timedelta(days=exam_after_end))
    user = learner.person.account
    if ok:
        services.booking_create(actor=user, person=learner.person, session=session)
        return
    with pytest.raises(ValidationError) as exc:
        services.booking_create(actor=user, person=learner.person, session=session)
    assert {e.code for e in exc.value.error_dict["__all__"]} == {"permit"}


def test_a_lapsed_permit_books_nothing_and_says_why_r162_art_41():
    learner = _learner(TODAY - timedelta(days=1))
    learner_permits_lapse(day=TODAY)
    session = exam_session("3")
    with pytest.raises(ValidationError) as exc:
        services.booking_create(
            actor=learner.person.account, person=learner.person, session=session
        )
    assert {e.code for e in exc.value.error_dict["__all__"]} == {"learner_status"}
