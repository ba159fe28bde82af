"""The officers' changes: claim and release, the check, corrections, the decision, completion,
counter handling and the delivery of documents. Each checks its guard in permissions.py first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock

from .. import notify
from ..checks import Problem, all_problems, item_versions
from ..choices import DeliveryMethod, DeliveryStatus
from ..models import Application, Delivery, RefusalReason
from ..permissions import Action, require
from ._engine import _ask_correction, _complete, _event, _lock, _refund_if_paid

if TYPE_CHECKING:
    from vmo.accounts.models import User


@transaction.atomic
def application_claim(*, actor: User, application: Application) -> Application:
    application = _lock(application)
    require(actor, application, Action.CLAIM)
    application.claimed_by = actor
    application.claimed_at = clock.now()
    application.save(update_fields=["claimed_by", "claimed_at"])
    _event(actor, application, "claim")
    return application


@transaction.atomic
def application_release(*, actor: User, application: Application) -> Application:
    application = _lock(application)
    require(actor, application, Action.RELEASE)
    application.claimed_by = None
    application.claimed_at = None
    application.save(update_fields=["claimed_by", "claimed_at"])
    _event(actor, application, "release")
    return application


def _take(actor: User, application: Application, action: Action) -> Application:
    """Lock, check the action's guard, and hold the application for the acting officer."""
    application = _lock(application)
    require(actor, application, action)
    application.claimed_by = actor
    application.claimed_at = application.claimed_at or clock.now()
    return application


@transaction.atomic
def application_pass_check(*, actor: User, application: Application) -> Application:
    """The clerk found the materials complete and correct: on to the reviewer."""
    application = _take(actor, application, Action.CHECK)
    application.pass_check()
    application.checked_by = actor
    # The reviewer claims it next.
    application.claimed_by = None
    application.claimed_at = None
    application.save()
    _event(actor, application, "check")
    return application


@transaction.atomic
def application_request_correction(
    *, actor: User, application: Application, items: list[dict[str, str]]
) -> Application:
    """Ask for everything at once. An item asked about before and unchanged since needs a
    reason, which is recorded."""
    application = _take(actor, application, Action.CORRECT)
    errors: list[str] = []
    if not items:
        errors.append(_("List at least one thing to correct."))
    versions = item_versions(application)
    # The engine's words for each failing item, as the form offered them: an item sent with
    # them unchanged is kept as their message id and values, not as the officer's language.
    offered: dict[str, str] = {}
    for found in all_problems(application):
        offered.setdefault(found.item, found.message)
    asked = {
        (c.item, c.item_version) for c in application.corrections.all().only("item", "item_version")
    }
    problems, reasons = [], {}
    for n, raw in enumerate(items, start=1):
        item, message = raw.get("item", "").strip(), raw.get("message", "").strip()
        if not item or not message:
            errors.append(_("Item %(n)s: say what is wrong and what to do.") % {"n": n})
            continue
        version = versions.get(item, 0)
        repeat = raw.get("repeat_reason", "").strip()
        if (item, version) in asked and not repeat:
            errors.append(
                _(
                    "Item %(n)s was already asked for and has not changed since: give the reason"
                    " for asking again."
                )
                % {"n": n}
            )
        said = offered.get(item)
        if said is not None and message == str(said).strip():
            message = said
        problems.append(Problem(item, message, raw.get("basis", "").strip(), version))
        if repeat:
            reasons[item] = repeat
    if errors:
        raise ValidationError(errors)
    _ask_correction(application, problems, actor=actor, reasons=reasons)
    return application


@transaction.atomic
def application_approve(*, actor: User, application: Application) -> Application:
    application = _take(actor, application, Action.APPROVE)
    application.approve()
    application.decided_by = actor
    application.decided_at = clock.now()
    application.save()
    _event(actor, application, "approve")
    notify.approved(application)
    return application


@transaction.atomic
def application_complete(*, actor: User, application: Application) -> Application:
    """Apply the business's effect to the records and issue its documents."""
    application = _take(actor, application, Action.COMPLETE)
    _complete(application, actor=actor)
    return application


@transaction.atomic
def application_refuse(
    *, actor: User, application: Application, reasons: list[dict[str, str]]
) -> Application:
    """Refuse in writing: each reason with its legal basis; the letter is kept with it."""
    application = _take(actor, application, Action.REFUSE)
    errors: list[str] = []
    clean = []
    for n, raw in enumerate(reasons, start=1):
        reason, basis = raw.get("reason", "").strip(), raw.get("basis", "").strip()
        if not reason and not basis:
            continue
        if not reason or not basis:
            errors.append(_("Reason %(n)s needs both the reason and its legal basis.") % {"n": n})
        clean.append((reason, basis))
    if not clean and not errors:
        errors.append(_("Give at least one reason, with its legal basis."))
    if errors:
        raise ValidationError(errors)
    application.refuse()
    application.decided_by = actor
    application.decided_at = clock.now()
    application.save()
    RefusalReason.objects.bulk_create(
        RefusalReason(application=application, reason=r, basis=b) for r, b in clean
    )
    from ..letters import refusal_letter_store

    refusal_letter_store(application)
    _event(actor, application, "refuse", reasons=len(clean))
    _refund_if_paid(application, actor=actor, reason="refused")
    notify.refused(application, clean)
    return application


@transaction.atomic
def application_to_counter(*, actor: User, application: Application, reason: str) -> Application:
    """R164 Art 74: a suspicious online application is completed in person, with the reason."""
    application = _take(actor, application, Action.COUNTER)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for counter handling.")]})
    application.counter_reason = reason.strip()[:300]
    application.save()
    _event(actor, application, "counter", reason=application.counter_reason)
    notify.counter(application)
    return application


@transaction.atomic
def delivery_update(
    *, actor: User, application: Application, status: str, tracking_number: str = ""
) -> Delivery:
    delivery = Delivery.objects.select_for_update().filter(application=application).first()
    require(actor, application, Action.DELIVER)
    assert delivery is not None  # the guard found it
    allowed = {
        DeliveryMethod.PICKUP: {DeliveryStatus.READY, DeliveryStatus.COLLECTED},
        DeliveryMethod.MAIL: {DeliveryStatus.MAILED, DeliveryStatus.DELIVERED},
    }[DeliveryMethod(delivery.method)]
    errors = []
    if status not in allowed:
        errors.append(_("That step does not belong to this way of delivery."))
    if status == DeliveryStatus.MAILED and not tracking_number.strip():
        errors.append(_("Give the tracking number of the posted documents."))
    if errors:
        raise ValidationError(errors)
    delivery.status = status
    delivery.tracking_number = tracking_number.strip()[:40] or delivery.tracking_number
    delivery.updated_at = clock.now()
    delivery.save()
    _event(actor, application, "delivery", delivery=status)
    notify.delivery(application, delivery)
    return delivery
