"""The demo cases of issue 16's rules, made on their own (the whole city is seeded in
test_seed): each as its page shows it, and a second run changes nothing."""

from __future__ import annotations

import pytest

from vmo.appointments.models import Booking, Learner
from vmo.core import clock
from vmo.demo.law_cases_more import more_cases_ensure
from vmo.demo.seed import officers_ensure
from vmo.notices.models import Message
from vmo.registry import rules
from vmo.registry.models import Vehicle
from vmo.status.selectors import status_for_person
from vmo.violations.models import Violation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_issue_16_cases_r163_art_31_r162_arts_41_74_75_r164_art_41():
    officers_ensure()
    today = clock.today()
    people = dict(more_cases_ensure(today))
    assert len(people) == 7
    by_name = {p.name: p for p in people.values()}
    # R163 Art 31: the full-score exam passed and found falsified reads void; B and U are back.
    wu = by_name["吴志刚"]
    (booking,) = Booking.objects.filter(person=wu)
    assert booking.status == "voided" and booking.get_status_display() == (
        "passed, void (falsified)"
    )
    wu.licence.refresh_from_db()
    assert "B" in wu.licence.status and "U" in wu.licence.flags
    # R162 Art 75: the deferral ended yesterday, the expired licence reads M.
    zheng = by_name["郑丽"]
    assert [w.code for w in status_for_person(zheng).licence.statuses] == ["M"]
    assert zheng.licence.status == "M"
    # R164 Art 41(1): the truck's certificates declared void, status P.
    (truck,) = Vehicle.objects.filter(owner_person=by_name["冯德明"])
    assert truck.status == "P"
    # R162 Art 74: the holder turned 70 has a proof due, 30 days after the birthday.
    qian = by_name["钱守义"]
    qian.licence.refresh_from_db()
    assert qian.licence.physical_due == rules.senior_proof_due(qian.birth_date, today)
    assert qian.licence.physical_due > today
    # R162 Art 41: the lapsed permit, the learner told.
    he = by_name["何晓燕"]
    assert Learner.objects.get(person=he).status == "lapsed"
    assert Message.objects.filter(kind="appointments.permit_lapsed", user=he.account).exists()
    # R164 Art 47: the temporary-plate application with the office holds its VIN.
    from vmo.applications.models import Application

    (pending,) = Application.objects.filter(applicant=by_name["杨帆"].account, business_code="V12")
    assert pending.status == "submitted" and pending.held_vin
    # RTSL Art 114: the record of the seller's offence before the sale, arrived after it.
    from vmo.violations.selectors import visible_violation_ids

    sun = by_name["孙建华"]
    (late,) = Violation.objects.filter(record_id="DEMOSALE1")
    buyer = late.vehicle.owner_person
    assert buyer.name == "周敏" and late.owner_person_id == sun.pk
    assert set(visible_violation_ids(sun).values_list("pk", flat=True)) == {late.pk}
    assert not visible_violation_ids(buyer).exists()
    assert Message.objects.filter(kind="violation.new", user=sun.account).exists()
    assert not Message.objects.filter(kind="violation.new", user=buyer.account).exists()
    counts = (Message.objects.count(), Booking.objects.count(), Vehicle.objects.count())
    more_cases_ensure(today)  # a second run finds them
    assert (Message.objects.count(), Booking.objects.count(), Vehicle.objects.count()) == counts
