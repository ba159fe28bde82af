"""Issue 15 finding 2, appointments: an exam's or an inspection's result reaches the booker in
the booker's language, whatever the examiner's. The result is kept as its code's label and the
next step as a Phrase (message id and values), and the in-app message is rendered again when
read; before, both were rendered in Chinese (the site default) whoever read them, and the
subject in the officer's language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import translation

from tests.factories import OfficerFactory
from vmo.appointments import services
from vmo.appointments.results import result_record
from vmo.notices.models import Message
from vmo.notices.selectors import shown

from .helpers import (
    TODAY,
    exam_session,
    inspection_session,
    learner_with_permit,
    owner_with_vehicle,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

HAN = re.compile(r"[\u3400-\u9fff]")


def _without(text: str, *names: str) -> str:
    for name in names:
        text = text.replace(name, "")
    return text


def test_an_english_examiners_failure_reads_in_chinese_and_in_english(frozen):
    learner = learner_with_permit()
    session = exam_session("2", day=TODAY + timedelta(days=12))
    booking = services.booking_create(actor=None, person=learner.person, session=session)
    frozen.move_to("2026-03-22 17:00+08:00")
    with translation.override("en"):
        result_record(actor=OfficerFactory(), booking=booking, result="failed", score=70)
    message = Message.objects.get(kind="appointments.exam_result", channel="inapp")
    rebook = (TODAY + timedelta(days=22)).isoformat()

    chinese = shown(message, "zh-hans")
    assert chinese.subject == "考试结果：科目二（场地驾驶技能） 不合格"
    assert f"您可于{rebook}起重新预约" in chinese.body
    assert not re.search(r"[a-z]{3,}", chinese.body), chinese.body
    # Sent in the booker's language too (the stored text and the SMS), not the examiner's.
    assert "You may book" not in message.body and "failed" not in message.subject
    sms = Message.objects.get(kind="appointments.exam_result", channel="sms")
    assert "不合格" in sms.body and "book" not in sms.body

    english = shown(message, "en")
    assert english.subject == "Exam result: Subject 2 (site driving) failed"
    assert f"You may book again from {rebook} (R162 Art 47)." in english.body
    assert not HAN.search(_without(english.body, session.site.name)), english.body


def test_a_chinese_officers_inspection_pass_reads_in_english(frozen):
    user, car = owner_with_vehicle()
    session = inspection_session(day=TODAY + timedelta(days=7))
    booking = services.booking_create(actor=None, person=user.person, session=session, vehicle=car)
    frozen.move_to("2026-03-17 17:00+08:00")
    with translation.override("zh-hans"):
        result_record(actor=OfficerFactory(), booking=booking, result="passed")
    message = Message.objects.get(user=user, kind="appointments.inspection_result", channel="inapp")
    car.refresh_from_db()
    english = shown(message, "en")
    assert english.subject.endswith(": passed")
    assert f"passed. Inspection valid until {car.inspection_valid_until.isoformat()}." in (
        english.body
    )
    assert "检验有效期" not in english.body and "合格" not in english.body
    assert (
        f"检验有效期至{car.inspection_valid_until.isoformat()}。" in shown(message, "zh-hans").body
    )
