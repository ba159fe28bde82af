"""Drive an application through the engine the way the pages do."""

from __future__ import annotations

from datetime import date
from typing import Any

from vmo.applications import services
from vmo.applications.checks import Incomplete
from vmo.catalog.spec import FileKind, Review
from vmo.payments import services as payments
from vmo.payments.gateways.sandbox import checkout_pay
from vmo.payments.models import SandboxCheckout

from .conftest import pdf, photo, start


def fill(user, application, data: dict[str, Any] | None = None):
    business = application.business
    for material in business.materials:
        upload = photo() if FileKind.PDF not in material.kinds else pdf()
        services.material_upload(
            actor=user,
            application=application,
            material_code=material.code,
            upload=upload,
            issued_on=date(2026, 11, 1) if material.issued_within_months else None,
        )
    delivery = {"method": "pickup"} if business.issues else None
    return services.application_update(
        actor=user, application=application, data=data or {}, delivery=delivery
    )


def submit_paid(user, application):
    """Submit and pay. An incomplete application is refused with every problem and stays as
    it was: the problems are kept on the instance (``refused``) for ``problems()``."""
    try:
        application = services.application_submit(actor=user, application=application)
    except Incomplete as exc:
        application.refresh_from_db()
        application.refused = exc.problems
        return application
    if (
        application.status in ("submitted", "resubmitted")
        and application.fee_fen
        and not application.paid_at
    ):
        pay(services.fee_order(actor=user, application=application))
        application.refresh_from_db()
    return application


def pay(order) -> None:
    """Pay at the sandbox gateway, its callback delivered as after a commit."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        payments.order_start(order=order, return_url="http://testserver/back/")
        checkout_pay(token=SandboxCheckout.objects.get(order_reference=order.reference).token)


def run(user, code, clerk, reviewer, data=None, **start_kwargs):
    """Start, fill, submit, pay and (for officer review) check, approve and complete."""
    application = start(user, code, **start_kwargs)
    fill(user, application, data)
    application = submit_paid(user, application)
    if getattr(application, "refused", None) is not None:
        return application
    if application.business.review == Review.OFFICER:
        services.application_pass_check(actor=clerk, application=application)
        services.application_approve(actor=reviewer, application=application)
        application = services.application_complete(actor=reviewer, application=application)
    application.refresh_from_db()
    return application


def problems(application) -> set[str]:
    """What the submission was refused with, or what the office's last notice asked for."""
    if getattr(application, "refused", None) is not None:
        return {p.item for p in application.refused}
    return set(
        application.corrections.filter(round=application.correction_round).values_list(
            "item", flat=True
        )
    )
