"""Applications in given states, made through the engine's own services (the citizen's side
included), for the workbench tests."""

from __future__ import annotations

from datetime import date

from tests.factories import CitizenFactory, LicenceFactory
from vmo.applications import services
from vmo.applications.models import Application
from vmo.payments.hooks import run_paid

from .conftest import pdf, photo, start


def renewal_holder():
    """A citizen whose C1 licence expires in 30 days (as the `holder` fixture)."""
    citizen = CitizenFactory()
    LicenceFactory(
        holder=citizen.person,
        valid_from=date(2020, 12, 24),
        valid_to=date(2026, 12, 24),
        first_issue_date=date(2014, 12, 24),
    )
    citizen.person.refresh_from_db()
    return citizen


def fill_renewal(user, application, *, medical_on=date(2026, 11, 1)):
    services.material_upload(
        actor=user, application=application, material_code="photo", upload=photo()
    )
    services.material_upload(
        actor=user,
        application=application,
        material_code="medical",
        upload=pdf(),
        issued_on=medical_on,
    )
    services.application_update(
        actor=user, application=application, data={}, delivery={"method": "pickup"}
    )


def pay(user, application) -> Application:
    run_paid(services.fee_order(actor=user, application=application))
    application.refresh_from_db()
    return application


def submitted_renewal(user=None, *, paid=True) -> Application:
    """A renewal accepted (due the next working day) and, by default, paid: in the clerk's queue."""
    user = user or renewal_holder()
    application = start(user, "D02")
    fill_renewal(user, application)
    application = services.application_submit(actor=user, application=application)
    assert application.status == "submitted", application.status
    return pay(user, application) if paid else application


def checked_renewal(clerk, user=None) -> Application:
    application = submitted_renewal(user)
    return services.application_pass_check(actor=clerk, application=application)
