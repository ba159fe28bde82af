from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import CitizenFactory
from vmo.applications import selectors, services
from vmo.applications.checks import Incomplete, all_problems
from vmo.applications.models import Application, CorrectionItem
from vmo.core.selectors import events_for
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


def test_an_incomplete_submission_is_refused_with_every_problem_and_changes_nothing(holder):
    """Issue 15 finding 3: what the applicant can see for themselves is listed before
    submission, not turned into an official one-time notice (no 待补正, no SMS, no round)."""
    app = start(holder, "D02")
    with pytest.raises(Incomplete) as refused:
        services.application_submit(actor=holder, application=app)
    assert {p.item for p in refused.value.problems} == {"material:photo", "material:medical"}
    assert set(refused.value.error_dict) == {"material:photo", "material:medical"}
    app.refresh_from_db()
    assert app.status == "draft" and app.correction_round == 0 and app.submitted_at is None
    assert not CorrectionItem.objects.filter(application=app).exists()
    assert not Message.objects.filter(user=holder).exists()
    assert not events_for(app).filter(action="application.submit").exists()


def test_the_refusal_is_the_check_pages_list(holder):
    """One copy of the checks: the page's problems are the ones the submission is refused with."""
    app = start(holder, "D02")
    services.material_upload(actor=holder, application=app, material_code="photo", upload=photo())
    shown = [p.message for p in selectors.answers_for(app, user=holder).problems]
    with pytest.raises(Incomplete) as refused:
        services.application_submit(actor=holder, application=app)
    assert (
        shown
        == [p.message for p in refused.value.problems]
        == [p.message for p in all_problems(app)]
    )
    assert [p.item for p in refused.value.problems] == ["material:medical"]


def test_a_complete_application_is_accepted_once(holder):
    app = start(holder, "D02")
    _fill_renewal(holder, app)
    assert selectors.answers_for(app, user=holder).complete
    app = services.application_submit(actor=holder, application=app)
    assert app.status == "submitted" and app.correction_round == 0
    with pytest.raises(ValidationError):
        services.application_submit(actor=holder, application=app)
    assert not selectors.answers_for(app, user=holder).submittable


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
