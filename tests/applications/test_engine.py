from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import CitizenFactory
from vmo.applications import services
from vmo.applications.models import Application, CorrectionItem
from vmo.notices.models import Message

from .conftest import pdf, photo, start

pytestmark = pytest.mark.django_db


def _fill_renewal(user, application):
    services.material_upload(
        actor=user, application=application, material_code="photo", upload=photo()
    )
    services.material_upload(
        actor=user,
        application=application,
        material_code="medical",
        upload=pdf(),
        issued_on=date(2026, 11, 1),
    )
    services.application_update(
        actor=user, application=application, data={}, delivery={"method": "pickup"}
    )


def test_renewal_end_to_end(holder, clerk, reviewer):
    app = start(holder, "D02")
    _fill_renewal(holder, app)
    app = services.application_submit(actor=holder, application=app)
    assert app.status == "submitted" and app.due_on == date(2026, 11, 25)
    order = services.fee_order(actor=holder, application=app)
    assert order.amount_fen == 1000
    from vmo.payments.hooks import run_paid

    run_paid(order)
    app.refresh_from_db()
    assert app.paid_at is not None
    services.application_pass_check(actor=clerk, application=app)
    services.application_approve(actor=reviewer, application=app)
    app = services.application_complete(actor=reviewer, application=app)
    assert app.status == "completed"
    licence = holder.person.licence
    licence.refresh_from_db()
    # 6 years without a full-score cycle: the renewed licence is valid 10 years.
    assert licence.valid_from == date(2026, 12, 25)
    assert licence.valid_to == date(2036, 12, 24)
    kinds = set(Message.objects.filter(user=holder).values_list("kind", flat=True))
    assert {"applications.received", "applications.approved", "applications.completed"} <= kinds


def test_submission_lists_every_problem_in_one_notice(holder):
    app = start(holder, "D02")
    app = services.application_submit(actor=holder, application=app)
    assert app.status == "correction"
    items = set(CorrectionItem.objects.filter(application=app).values_list("item", flat=True))
    assert items == {"material:photo", "material:medical"}
    notices = Message.objects.filter(user=holder, kind="applications.correction", channel="inapp")
    assert notices.count() == 1


def test_someone_elses_application_is_not_found(holder):
    app = start(holder, "D02")
    stranger = CitizenFactory()
    with pytest.raises(Http404):
        services.application_submit(actor=stranger, application=app)


def test_refusal_needs_a_reason_with_basis_and_stores_the_letter(holder, clerk, reviewer):
    app = start(holder, "D02")
    _fill_renewal(holder, app)
    app = services.application_submit(actor=holder, application=app)
    with pytest.raises(ValidationError):
        services.application_refuse(actor=reviewer, application=app, reasons=[])
    app = services.application_refuse(
        actor=reviewer,
        application=app,
        reasons=[{"reason": "照片与本人不符", "basis": "《机动车驾驶证申领和使用规定》第六十三条"}],
    )
    assert app.status == "refused"
    letter = app.documents.get()
    assert letter.file.read().startswith(b"%PDF")


def test_double_submit_creates_one_application(holder):
    first = services.application_start(actor=holder, business_code="D02", idempotency_key="k" * 32)
    again = services.application_start(actor=holder, business_code="D02", idempotency_key="k" * 32)
    assert first.pk == again.pk and Application.objects.count() == 1
