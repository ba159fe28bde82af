"""A full-score exam found falsified after it was passed (R163 Art 31 para 1): its result is
void, so the points it cleared (Art 23) come back with the full score's letter B and the exams
are taken again; the cycle's count of full scores and its accumulated points (Art 22) do not
change. Each change is in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import OfficerFactory
from vmo.appointments import checks
from vmo.appointments.results import result_record
from vmo.core.models import Event
from vmo.education.services.cheating import full_score_cheating_record
from vmo.notices.models import Message
from vmo.registry import selectors as registry
from vmo.registry.models import FullScoreReached
from vmo.registry.selectors import points_in_cycle

from .helpers import TODAY, exam_session
from .test_full_score import _full_score_licence, _study

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _passed(user, licence, study):
    from vmo.appointments import services

    session = exam_session("full", day=TODAY + timedelta(days=12))
    booking = services.booking_create(actor=user, person=user.person, session=session)
    booking.session.day = TODAY  # the exam day has come
    booking.session.save()
    result_record(actor=OfficerFactory(), booking=booking, result="passed", score=96)
    licence.refresh_from_db()
    assert points_in_cycle(licence, on=TODAY) == 0 and "B" not in licence.status
    return booking


def test_a_falsified_exam_passed_is_void_and_its_clearing_undone_r163_art_31():
    user, licence = _full_score_licence()
    study = _study(licence, done=True)
    _passed(user, licence, study)
    reached = registry.full_score_latest(licence)
    assert checks.full_score_passed(licence, reached.reached_on) == {"full"}

    finding = full_score_cheating_record(
        study=study, actor=OfficerFactory(), kind="exam", reason="考试由他人代考"
    )
    licence.refresh_from_db()
    assert finding.points_restored == 12
    assert points_in_cycle(licence, on=TODAY) == 12 and "B" in licence.status
    # The passed exam no longer counts: the full score's exams are taken again.
    assert checks.full_score_passed(licence, reached.reached_on) == set()
    # The same full score revived: no second one (Art 22), the cycle's 12 stays 12.
    assert FullScoreReached.objects.filter(licence=licence).count() == 1
    assert registry.cycle_points_accumulated(licence, cycle_start=reached.cycle_start) == 12
    void = Event.objects.get(action="points.clearing_void", subject_id=str(licence.pk))
    assert void.before["points"] == -12 and void.after["finding"] == finding.pk
    assert "R163 Art 31" in void.reason
    assert Event.objects.filter(action="study.cheating_found", subject_id=str(finding.pk)).exists()
    assert Message.objects.filter(kind="education.cheating_found", user=user).exists()

    # A second finding restores nothing more: the clearing is undone once.
    again = full_score_cheating_record(
        study=study, actor=OfficerFactory(), kind="exam", reason="同一次考试"
    )
    licence.refresh_from_db()
    assert again.points_restored == 0 and points_in_cycle(licence, on=TODAY) == 12


def test_an_exam_passed_after_the_finding_counts_r163_art_31():
    """The results void are those up to the finding's day; a later exam is the person's own."""
    user, licence = _full_score_licence()
    study = _study(licence, done=True)
    full_score_cheating_record(study=study, actor=OfficerFactory(), kind="exam", reason="作弊")
    reached = registry.full_score_latest(licence)
    assert checks.full_score_passed(licence, reached.reached_on) == set()
    from vmo.core import clock
    from vmo.education.models import CheatingFinding, FullScoreStudy

    CheatingFinding.objects.update(found_on=TODAY - timedelta(days=1))  # found yesterday
    # This study has no day records, so the finding's progress check found it incomplete; an
    # exam finding voids no study day, so it stands complete as it was.
    FullScoreStudy.objects.filter(pk=study.pk).update(completed_at=clock.now())
    _passed(user, licence, study)
    assert checks.full_score_passed(licence, reached.reached_on) == {"full"}
