"""A full-score exam found falsified after it was passed (R163 Art 31 para 1): its result is
void, so the points it cleared (Art 23) come back with the full score's letter B and the exams
are taken again; the cycle's count of full scores and its accumulated points (Art 22) do not
change. Each change is in the history."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import translation

from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.appointments import checks
from vmo.appointments.choices import BookingStatus
from vmo.appointments.results import result_record
from vmo.core import clock
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


def _at(day):
    return datetime.combine(day, time(10), tzinfo=clock.OFFICE_TZ)


def _void_on(day, user, licence, study):
    """A pass on TODAY, a finding on ``day``: returns the booking and the licence after."""
    booking = _passed(user, licence, study)
    assert "U" not in licence.flags
    booking.refresh_from_db()
    assert booking.flags_lifted == "U"  # the pass lifted the withheld letter (Art 23)
    with time_machine.travel(_at(day), tick=False):
        full_score_cheating_record(study=study, actor=OfficerFactory(), kind="exam", reason="代考")
    booking.refresh_from_db()
    licence.refresh_from_db()
    return booking, licence


def test_a_pass_found_falsified_the_day_after_reads_void_and_u_is_set_again_r163_art_31():
    """R163 Art 31 para 1: found the day after the pass, the booking reads void (in both
    languages) and the letter U its pass lifted (Art 23) is set again, with B."""
    user, licence = _full_score_licence()
    study = _study(licence, done=True)
    booking, licence = _void_on(TODAY + timedelta(days=1), user, licence, study)
    assert booking.status == BookingStatus.VOIDED
    assert "U" in licence.flags and "B" in licence.status
    with translation.override("en"):
        assert str(booking.get_status_display()) == "passed, void (falsified)"
    with translation.override("zh-hans"):
        assert str(booking.get_status_display()) == "合格，已作废（作弊）"
    event = Event.objects.get(action="appointments.result_void", subject_id=str(booking.pk))
    assert event.before == {"status": "passed"} and "R163 Art 31" in event.reason


def test_a_pass_found_falsified_the_same_day_reads_void_r163_art_31():
    """R163 Art 31 para 1: the finding's own day is among the days whose results are void."""
    user, licence = _full_score_licence()
    study = _study(licence, done=True)
    booking, licence = _void_on(TODAY, user, licence, study)
    assert booking.status == BookingStatus.VOIDED and "U" in licence.flags


def test_a_pass_the_day_after_the_finding_stays_passed_r163_art_31():
    """R163 Art 31 para 1: a finding made the day before the exam voids nothing of it."""
    user, licence = _full_score_licence()
    study = _study(licence, done=True)
    with time_machine.travel(_at(TODAY - timedelta(days=1)), tick=False):
        full_score_cheating_record(study=study, actor=OfficerFactory(), kind="exam", reason="作弊")
    from vmo.education.models import FullScoreStudy

    FullScoreStudy.objects.filter(pk=study.pk).update(completed_at=clock.now())
    booking = _passed(user, licence, study)
    booking.refresh_from_db()
    licence.refresh_from_db()
    assert booking.status == BookingStatus.PASSED and "U" not in licence.flags


def test_the_void_pass_reads_void_on_the_pages_and_in_the_api_r163_art_31(client):
    """R163 Art 31 para 1: the citizen's bookings page, the API, the public results and the
    officer's session page say the pass is void."""
    user, licence = _full_score_licence()
    study = _study(licence, done=True)
    booking, _ = _void_on(TODAY, user, licence, study)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "passed, void (falsified)" in client.get("/appointments/").content.decode()
    api = client.get("/api/v1/appointments/bookings").json()
    item = next(i for i in api["items"] if i["id"] == booking.pk)
    assert item["status"] == "voided" and item["status_label"] == "passed, void (falsified)"
    public = client.get(f"/appointments/results/exams/?day={TODAY:%Y-%m-%d}").content.decode()
    assert "passed, void (falsified)" in public
    sign_in_verified(client, OfficerFactory(role="supervisor"))
    url = f"/office/appointments/sessions/{booking.session_id}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "合格，已作废（作弊）" in page


def test_a_finding_on_an_earlier_full_score_leaves_a_later_one_alone_r163_art_31():
    """The exam found falsified is the one of the study's own full score: its pass reads void
    and its clearing is undone, even when the licence reached 12 points again since; the later
    full score's clearing (another exam) is not this finding's to undo."""
    from vmo.registry.models import PointsEntry
    from vmo.registry.services import points_record

    user, licence = _full_score_licence()
    study = _study(licence, done=True)
    booking = _passed(user, licence, study)
    (first_clearing,) = PointsEntry.objects.filter(licence=licence, kind="cleared")
    later = TODAY + timedelta(days=40)
    with time_machine.travel(_at(later), tick=False):
        points_record(licence=licence, actor=None, points=12, kind="violation", occurred_on=later)
        assert FullScoreReached.objects.filter(licence=licence).count() == 2
        second_clearing = points_record(
            licence=licence,
            actor=None,
            points=-12,
            kind="cleared",
            occurred_on=later + timedelta(days=5),
            source_type="test",
            source_id="later exam",
        )
    assert registry.full_score_episode(licence, on=TODAY - timedelta(days=15)) == (
        TODAY - timedelta(days=20),
        later - timedelta(days=1),
    )
    with time_machine.travel(_at(later + timedelta(days=10)), tick=False):
        finding = full_score_cheating_record(
            study=study, actor=OfficerFactory(), kind="exam", reason="第一次满分考试代考"
        )
    assert finding.points_restored == 12
    undone = Event.objects.filter(action="points.clearing_void", subject_id=str(licence.pk))
    assert [e.before["entry"] for e in undone] == [first_clearing.pk]
    assert second_clearing.pk != first_clearing.pk
    booking.refresh_from_db()
    assert booking.status == BookingStatus.VOIDED
