"""Alteration, transfer, mortgage and cancellation (V13-V17)."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from tests.factories import CitizenFactory, VehicleFactory
from tests.violations.online_factories import camera_violation
from vmo.applications import services
from vmo.core import clock
from vmo.registry.models import Plate
from vmo.violations.models import VehicleBinding

from .conftest import start
from .helpers import fill, problems, run, submit_paid

pytestmark = pytest.mark.django_db


def car(user, **kwargs):
    return VehicleFactory(owner_person=user.person, **kwargs)


def test_colour_change(citizen, clerk, reviewer):
    vehicle = car(citizen, colour="A")
    app = run(
        citizen,
        "V13",
        clerk,
        reviewer,
        data={"alteration": "colour", "new_colour": "J"},
        vehicle_id=vehicle.pk,
    )
    assert app.status == "completed"
    vehicle.refresh_from_db()
    assert vehicle.colour == "J"


def test_engine_change_needs_the_check_record(citizen, clerk, reviewer):
    vehicle = car(citizen)
    app = start(citizen, "V13", vehicle_id=vehicle.pk)
    from .conftest import photo

    services.material_upload(
        actor=citizen, application=app, material_code="vehicle_photo", upload=photo()
    )
    services.application_update(
        actor=citizen,
        application=app,
        data={"alteration": "engine", "new_engine_number": "E99"},
        delivery={"method": "pickup"},
    )
    app = submit_paid(citizen, app)
    assert problems(app) == {"condition:alteration_complete"}


def _transfer(seller, buyer, vehicle):
    app = start(seller, "V14", vehicle_id=vehicle.pk)
    fill(
        seller,
        app,
        {"buyer_name": buyer.person.name, "buyer_id_number": buyer.person.id_number},
    )
    app.refresh_from_db()
    return app


def test_transfer_needs_the_buyers_confirmation(citizen, clerk, reviewer):
    buyer = CitizenFactory()
    vehicle = car(citizen)
    binding = VehicleBinding.objects.create(
        person=CitizenFactory().person, vehicle=vehicle, bound_at=clock.now()
    )
    app = _transfer(citizen, buyer, vehicle)
    assert app.counterparty == buyer
    assert buyer.messages.filter(kind="applications.confirm_request").exists()
    early = submit_paid(citizen, app)
    assert problems(early) == {"condition:buyer_confirmed"}
    # Someone else cannot confirm a transfer meant for the buyer.
    with pytest.raises(Http404):
        services.application_confirm_counterparty(actor=CitizenFactory(), application=app)
    services.application_confirm_counterparty(actor=buyer, application=app)
    app = submit_paid(citizen, early)
    services.application_pass_check(actor=clerk, application=app)
    services.application_approve(actor=reviewer, application=app)
    services.application_complete(actor=reviewer, application=app)
    vehicle.refresh_from_db()
    assert vehicle.owner_person == buyer.person
    assert Plate.objects.get(vehicle=vehicle, status="active")  # the number is kept [U]
    binding.refresh_from_db()
    assert binding.ended_at is not None  # the seller's consent does not pass to the buyer
    for user in (citizen, buyer):
        assert user.messages.filter(kind="vehicle.transferred").exists()


def test_transfer_of_a_mortgaged_vehicle_is_refused_with_the_reason(citizen, clerk, reviewer):
    buyer = CitizenFactory()
    vehicle = car(citizen, mortgagee="昌吉农村商业银行", mortgaged_on=date(2025, 1, 1))
    app = _transfer(citizen, buyer, vehicle)
    services.application_confirm_counterparty(actor=buyer, application=app)
    app = submit_paid(citizen, app)
    assert problems(app) == {"condition:not_mortgaged"}


def test_transfer_with_unhandled_violations_is_refused(citizen, clerk, reviewer):
    buyer = CitizenFactory()
    vehicle = car(citizen)
    camera_violation(vehicle)
    app = _transfer(citizen, buyer, vehicle)
    services.application_confirm_counterparty(actor=buyer, application=app)
    app = submit_paid(citizen, app)
    assert "condition:no_unhandled_violations" in problems(app)


def test_mortgage_and_release_notify_the_owner(citizen, clerk, reviewer):
    from tests.factories import CompanyFactory

    lender = CompanyFactory()
    vehicle = car(citizen)
    app = run(
        citizen,
        "V15",
        clerk,
        reviewer,
        data={"lender_name": lender.name, "lender_uscc": lender.uscc},
        vehicle_id=vehicle.pk,
    )
    assert app.status == "completed"
    vehicle.refresh_from_db()
    assert vehicle.mortgagee == lender.name
    alert = citizen.messages.filter(kind="vehicle.mortgaged")
    assert alert.filter(channel="sms").exists()
    run(citizen, "V16", clerk, reviewer, vehicle_id=vehicle.pk)
    vehicle.refresh_from_db()
    assert vehicle.mortgagee == ""
    assert citizen.messages.filter(kind="vehicle.mortgage_released").exists()


def test_mortgage_needs_a_valid_lender_code(citizen, clerk, reviewer):
    vehicle = car(citizen)
    app = run(
        citizen,
        "V15",
        clerk,
        reviewer,
        data={"lender_name": "某银行", "lender_uscc": "91652301MA0000000X"},
        vehicle_id=vehicle.pk,
    )
    assert problems(app) == {"condition:lender_valid"}


def test_cancellation_voids_plates_and_licence(citizen, clerk, reviewer):
    vehicle = car(citizen)
    app = run(
        citizen, "V17", clerk, reviewer, data={"cancel_reason": "scrapped"}, vehicle_id=vehicle.pk
    )
    assert app.status == "completed"
    vehicle.refresh_from_db()
    assert "E" in vehicle.status
    assert not Plate.objects.filter(vehicle=vehicle, status="active").exists()
    assert not vehicle.vehicle_licences.filter(is_valid=True).exists()


def test_cancellation_refused_while_mortgaged(citizen, clerk, reviewer):
    vehicle = car(citizen, mortgagee="某银行", mortgaged_on=date(2025, 1, 1))
    app = run(
        citizen, "V17", clerk, reviewer, data={"cancel_reason": "exported"}, vehicle_id=vehicle.pk
    )
    assert problems(app) == {"condition:not_mortgaged"}
