"""The steps the applicant's and the officers' services share: the history event, the lock,
acceptance, the automatic decision once paid, the one-time notice, completion and refunds."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from vmo.catalog.spec import Review
from vmo.core import clock
from vmo.core.phrases import Phrase
from vmo.core.services import event_record
from vmo.core.workdays import add_working_days
from vmo.notices import values

from .. import notify
from ..checks import Problem
from ..choices import CHECKABLE, CLOSABLE, ClosedReason, DeliveryMethod
from ..models import Application, CorrectionItem, Delivery

if TYPE_CHECKING:
    from vmo.accounts.models import User

FEE_PURPOSE = "application"
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_reference() -> str:
    return f"SQ{clock.today():%Y%m%d}" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))


def _event(
    actor: User | None, application: Application, action: str, reason: str = "", **after: Any
) -> None:
    event_record(
        actor=actor,
        subject=application,
        action=f"application.{action}",
        after={"status": application.status, **after},
        reason=reason,
    )


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _accept(application: Application) -> None:
    # Time spent correcting is not the office's: the limit runs from this acceptance (R164 Art 6).
    application.accepted_at = clock.now()
    limit = application.business.time_limit_days
    application.due_on = add_working_days(clock.today(), limit) if limit else clock.today()
    application.save(update_fields=["accepted_at", "due_on"])
    # The engine accepts once every check passes: the history credits the system, not the
    # applicant who pressed submit.
    _event(None, application, "accept", due_on=str(application.due_on))
    notify.received(application)
    if application.fee_fen == 0:
        _proceed_when_paid(application)


def _proceed_when_paid(application: Application) -> None:
    if application.business.review == Review.AUTOMATIC and application.status in CHECKABLE:
        application.pass_check()
        application.approve()
        application.decided_at = clock.now()
        application.save()
        _event(None, application, "approve", automatic=True)
        _complete(application, actor=None)


def _ask_correction(
    application: Application,
    problems: list[Problem],
    *,
    actor: User | None,
    reasons: dict[str, str] | None = None,
) -> None:
    application.ask_correction()
    application.correction_round += 1
    application.save()
    now = clock.now()
    CorrectionItem.objects.bulk_create(
        CorrectionItem(
            application=application,
            round=application.correction_round,
            item=p.item,
            message=str(p.message),
            # The engine's own words are kept as data, to be said in their reader's language.
            message_values=values.encode({"message": p.message})
            if isinstance(p.message, Phrase)
            else "",
            basis=p.basis,
            item_version=p.version,
            repeat_reason=(reasons or {}).get(p.item, ""),
            raised_by=actor,
            raised_at=now,
        )
        for p in problems
    )
    _event(actor, application, "correction", items=[p.item for p in problems])
    notify.correction(application, [p.message for p in problems])


def _complete(application: Application, *, actor: User | None) -> None:
    from ..effects import apply_effect

    result = apply_effect(application, actor=actor)
    application.complete()
    application.completed_at = clock.now()
    application.save()
    _event(actor, application, "complete", result=result)
    if application.business.issues:
        Delivery.objects.get_or_create(
            application=application,
            defaults={"method": DeliveryMethod.PICKUP, "updated_at": clock.now()},
        )
    notify.completed(application, result)
    close_not_needed(after=application)


def close_not_needed(*, after: Application) -> list[Application]:
    """Once ``after`` changed the records, the other undecided applications on the same
    licence or vehicle that the records no longer allow are closed (moot), with the reason in
    their history and a paid fee refunded: an old renewal must not keep asking for its fee."""
    from ..selectors import eligibility, other_open_applications

    closed = []
    for other in other_open_applications(after):
        if other.status not in CLOSABLE:
            continue
        results = eligibility(other.business, other.person, other.vehicle)
        if all(r.met is not False for r in results):
            continue
        close_for(application=other, reason=ClosedReason.MOOT, by=after.reference)
        _refund_if_paid(other, actor=None, reason="closed")
        closed.append(other)
    return closed


def close_for(*, application: Application, reason: ClosedReason, **after: str) -> None:
    """The engine closes an application no longer needed (the transition only the engine
    takes), with the reason in its history; the caller holds its row lock."""
    before = application.status
    application.close()
    application.closed_reason = reason
    application.claimed_by = None
    application.save()
    event_record(
        actor=None,
        subject=application,
        action="application.close",
        before={"status": before},
        after={"status": application.status, "reason": reason, **after},
    )


def _refund_if_paid(application: Application, *, actor: User | None, reason: str) -> None:
    if application.paid_at is None:
        return
    from vmo.payments.refunds import refund_create
    from vmo.payments.selectors import order_for_subject

    order = order_for_subject(
        subject_type="application",
        subject_id=str(application.pk),
        purpose=FEE_PURPOSE,
        paid_only=True,
    )
    if order is not None:
        refund_create(order=order, amount_fen=order.amount_fen, reason=reason, actor=actor)
