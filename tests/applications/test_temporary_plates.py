"""Temporary plates (V12) through the engine: the checks name every problem at once, the
decision issues the plate on the record (R164 Arts 46-47). Frozen on 2026-11-24."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from tests.factories import CompanyFactory, VehicleFactory, make_vin
from tests.registry.agents import authorise
from vmo.applications import services
from vmo.core.models import Event
from vmo.registry.models import CompanyRepresentative, TemporaryPlate

from .conftest import pdf, start
from .helpers import problems, run, submit_paid

pytestmark = pytest.mark.django_db


def _data(vin, case="acquired", start_day="2026-11-24", end_day="2026-12-23", **more):
    return {
        "vin": vin,
        "temp_case": case,
        "valid_from": start_day,
        "valid_to": end_day,
        "insurance_valid_until": "2027-11-23",
        **more,
    }


def _dealer(user, authorised_until=None, *, authorised=True):
    """A company naming the user its agent; with the office's record of the authorisation
    (running until ``authorised_until``, a month by default) unless ``authorised`` is False."""
    company = CompanyFactory()
    CompanyRepresentative.objects.create(company=company, person=user.person, role="agent")
    if authorised:
        # Recorded while it still ran: the office records no authorisation already ended.
        with time_machine.travel("2026-10-01 10:00 +0800", tick=False):
            authorise(company, user.person, valid_until=authorised_until or date(2027, 1, 31))
    return company


def test_an_acquired_vehicle_gets_its_plate_on_the_record_r164_art_47(citizen, clerk, reviewer):
    vin = make_vin(8001)
    app = run(citizen, "V12", clerk, reviewer, data=_data(vin))
    assert app.status == "completed", problems(app)
    plate = TemporaryPlate.objects.get(vin=vin)
    assert plate.holder_person == citizen.person and plate.case == "acquired"
    assert (plate.valid_from, plate.valid_to) == (date(2026, 11, 24), date(2026, 12, 23))
    assert plate.application_reference == app.reference
    # The decision's sentence, kept in the history, names the plate.
    done = Event.objects.get(
        subject_type="applications.application",
        subject_id=str(app.pk),
        action="application.complete",
    )
    assert plate.number[2:] in json.dumps(done.after, ensure_ascii=False)


def test_a_dealer_applies_for_an_unsold_vehicle_r164_art_46(citizen, clerk, reviewer):
    company = _dealer(citizen)
    vin = make_vin(8002)
    app = run(citizen, "V12", clerk, reviewer, data=_data(vin, "unsold", company_uscc=company.uscc))
    assert app.status == "completed", problems(app)
    assert TemporaryPlate.objects.get(vin=vin).holder_company == company


def test_an_agent_whose_authorisation_ended_cannot_apply_r164_art_46(citizen, clerk, reviewer):
    company = _dealer(citizen, authorised_until=date(2026, 11, 23))
    app = run(
        citizen,
        "V12",
        clerk,
        reviewer,
        data=_data(make_vin(8003), "unsold", company_uscc=company.uscc),
    )
    assert problems(app) == {"condition:temp_company"}


def test_an_agent_the_office_never_authorised_cannot_apply_r164_art_46(citizen, clerk, reviewer):
    company = _dealer(citizen, authorised=False)
    app = run(
        citizen,
        "V12",
        clerk,
        reviewer,
        data=_data(make_vin(8004), "unsold", company_uscc=company.uscc),
    )
    assert problems(app) == {"condition:temp_company"}


@pytest.mark.parametrize(
    ("end_day", "ok"), [("2026-12-22", True), ("2026-12-23", True), ("2026-12-24", False)]
)
def test_thirty_days_day_before_at_and_after_r164_art_47(citizen, clerk, reviewer, end_day, ok):
    app = run(citizen, "V12", clerk, reviewer, data=_data(make_vin(8010), end_day=end_day))
    assert (app.status == "completed") is ok
    assert ("condition:temp_longest" in problems(app)) is not ok


def test_every_problem_is_named_at_once_r164_art_47(citizen):
    """An export applied for by a person, without its documents, too long, beyond the
    insurance, for a registered VIN: one refusal that names each."""
    app = start(citizen, "V12")
    services.material_upload(
        actor=citizen, application=app, material_code="insurance", upload=pdf()
    )
    data = _data(
        VehicleFactory().vin,
        "export",
        start_day="2026-11-23",
        end_day="2027-01-31",
        insurance_valid_until="2026-12-31",
    )
    services.application_update(
        actor=citizen, application=app, data=data, delivery={"method": "pickup"}
    )
    app = submit_paid(citizen, app)
    assert problems(app) == {
        "condition:temp_without_plate",
        "condition:temp_start",
        "condition:temp_longest",
        "condition:temp_insurance",
        "condition:temp_company",
        "condition:temp_document_safety_check",
        "condition:temp_document_export_proof",
    }
    assert app.status == "draft"
    assert not TemporaryPlate.objects.exists()


def test_the_fourth_issue_is_refused_at_submission_r164_art_47(citizen, clerk, reviewer):
    vin = make_vin(8020)
    periods = [
        ("2026-11-24", "2026-11-30"),
        ("2026-12-01", "2026-12-07"),
        ("2026-12-08", "2026-12-14"),
    ]
    for first, last in periods:
        app = run(citizen, "V12", clerk, reviewer, data=_data(vin, start_day=first, end_day=last))
        assert app.status == "completed", problems(app)
    fourth = run(
        citizen,
        "V12",
        clerk,
        reviewer,
        data=_data(vin, start_day="2026-12-15", end_day="2026-12-20"),
    )
    assert problems(fourth) == {"condition:temp_issues"}
    assert TemporaryPlate.objects.filter(vin=vin).count() == 3


def test_a_registered_vehicle_is_refused_r164_art_46(citizen, clerk, reviewer):
    """Replaces the former V12 test, which issued 'temporary plates' to registered vehicles
    (plate replacement, moving out): those plates come with V03/V04 and the transfer (R164 Arts
    27, 51), not with this business."""
    car = VehicleFactory(owner_person=citizen.person)
    app = run(citizen, "V12", clerk, reviewer, data=_data(car.vin))
    assert problems(app) == {"condition:temp_without_plate"}


def test_a_second_application_for_one_vin_is_refused_while_the_first_is_open_r164_art_47(
    citizen, clerk, reviewer
):
    """Two applications for one VIN: the second is refused at submission, naming the problem,
    while the first is with the office; the first is decided as if alone; nothing else changes.
    Once the first is decided, the rules on the record apply (the plate it issued)."""
    from vmo.applications.models import Application

    from .helpers import fill

    vin = make_vin(8100)
    first = start(citizen, "V12")
    fill(citizen, first, _data(vin))
    first = submit_paid(citizen, first)
    assert first.status == "submitted", problems(first)
    second = start(citizen, "V12")
    fill(citizen, second, _data(vin, start_day="2026-11-25"))
    events_before = Event.objects.count()
    second = submit_paid(citizen, second)
    assert problems(second) == {"condition:temp_one_application"}
    [problem] = second.refused  # said in the office's default language, Chinese
    assert problem.message.startswith(
        "该车辆（车辆识别代号）已有一份临时行驶车号牌申请正在车管所办理"
    )
    assert Application.objects.get(pk=second.pk).status == "draft"
    assert Event.objects.count() == events_before
    services.application_pass_check(actor=clerk, application=first)
    services.application_approve(actor=reviewer, application=first)
    first = services.application_complete(actor=reviewer, application=first)
    assert first.status == "completed"
    # Submitted again once the first is decided: the plate the first issued covers the days.
    second = submit_paid(citizen, second)
    assert problems(second) == {"condition:temp_without_plate"}
    assert TemporaryPlate.objects.filter(vin=vin).count() == 1


def test_an_application_corrected_to_another_vin_no_longer_holds_the_first_r164_art_47(
    citizen, clerk
):
    """Sent back for correction, the applicant corrects the VIN: the application no longer
    holds the VIN it no longer names, so another application for that VIN is judged by the
    one-application rule alone (it was refused by the database with a server error)."""
    from vmo.applications.models import Application

    from .helpers import fill

    first_vin, corrected = make_vin(8200), make_vin(8201)
    first = start(citizen, "V12")
    fill(citizen, first, _data(first_vin))
    first = submit_paid(citizen, first)
    assert first.held_vin == first_vin
    services.application_request_correction(
        actor=clerk,
        application=first,
        items=[{"item": "field:vin", "message": "The VIN does not match the invoice."}],
    )
    services.application_update(
        actor=citizen,
        application=Application.objects.get(pk=first.pk),
        data=_data(corrected),
        delivery={"method": "pickup"},
    )
    assert Application.objects.get(pk=first.pk).held_vin == ""
    other = start(citizen, "V12")
    fill(citizen, other, _data(first_vin, start_day="2026-11-25"))
    other = submit_paid(citizen, other)
    assert other.status == "submitted", problems(other)
