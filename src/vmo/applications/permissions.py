"""What may happen to an application, and who may make it happen: the one source.

Each action has one guard. It answers None (allowed) or the refusal to raise: Http404 when the
application is not the person's to see, PermissionDenied when their role lacks the capability,
``NotAllowed`` (a ValidationError, so forms and the API show its message) for everything else:
the state (django-fsm's ``can_proceed``), who holds it (claim), the counter, the fee and the
four-eyes rule. The services call ``require`` before they change anything; pages, templates and
the API show what ``allowed_actions`` answers, so a button shown is an action accepted (NetBox's
``get_permitted_actions``, per object).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from vmo.accounts.permissions import officer_can
from vmo.registry import selectors as registry

from .choices import EDITABLE, FINAL_STATUSES, OPEN, UNDECIDED, DeliveryStatus
from .models import Application, Delivery

if TYPE_CHECKING:
    from vmo.accounts.models import User


class Action(StrEnum):
    # The applicant's.
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    PAY = "pay"
    # A transfer's buyer.
    CONFIRM = "confirm"
    # The officers'.
    CLAIM = "claim"
    RELEASE = "release"
    CHECK = "check"
    CORRECT = "correct"
    APPROVE = "approve"
    COMPLETE = "complete"
    REFUSE = "refuse"
    COUNTER = "counter"
    DELIVER = "deliver"


APPLICANT_ACTIONS = frozenset({Action.EDIT, Action.SUBMIT, Action.WITHDRAW, Action.PAY})
OFFICER_ACTIONS = frozenset(Action) - APPLICANT_ACTIONS - {Action.CONFIRM}


class NotAllowed(ValidationError):
    """The action is not possible now; the message says why."""


Refusal = Exception | None
Guard = Callable[[Any, Application], Refusal]


def _not_now() -> NotAllowed:
    return NotAllowed(_("This action is not possible in the application's current state."))


def _transition(user: Any, application: Application, *names: str) -> bool:
    """One of the named django-fsm transitions may run now, and this user may take it."""
    return any(
        can_proceed(getattr(application, name))
        and has_transition_perm(getattr(application, name), user)
        for name in names
    )


def fee_payable(application: Application) -> bool:
    """The fee is asked for once the application is accepted, and until it is paid or ended."""
    return bool(
        application.fee_fen
        and application.accepted_at
        and not application.paid_at
        and application.status not in FINAL_STATUSES
        and not application.counter_reason
    )


def unpaid(application: Application) -> bool:
    return application.fee_fen > 0 and application.paid_at is None


# ----- the applicant ---------------------------------------------------------------------------


def _owner(user: Any, application: Application) -> Refusal:
    # Anyone else's application does not exist for them: no hint that the reference is right.
    # An application for a company's vehicle is its applicant's only while they act for the
    # company (an agent whose authorisation ended or was revoked: 404 at once).
    if not (getattr(user, "is_citizen", False) and application.applicant_id == user.pk):
        return Http404()
    if application.company_id is not None and not registry.acts_for(
        user.person_id, application.company_id
    ):
        return Http404()
    return None


def _edit(user: Any, application: Application) -> Refusal:
    if (refused := _owner(user, application)) is not None:
        return refused
    if not _transition(user, application, "submit", "resubmit") or application.counter_reason:
        return NotAllowed(_("This application can no longer be changed."))
    return None


def _withdraw(user: Any, application: Application) -> Refusal:
    if (refused := _owner(user, application)) is not None:
        return refused
    if not _transition(user, application, "withdraw"):
        return NotAllowed(_("A decided application cannot be withdrawn."))
    return None


def _pay(user: Any, application: Application) -> Refusal:
    if (refused := _owner(user, application)) is not None:
        return refused
    if not fee_payable(application):
        return NotAllowed(_("There is nothing to pay for this application."))
    return None


def _confirm(user: Any, application: Application) -> Refusal:
    if not (
        getattr(user, "is_citizen", False)
        and application.counterparty_id == user.pk
        and application.applicant_id != user.pk
    ):
        return Http404()
    if application.status not in EDITABLE or application.counterparty_confirmed_at is not None:
        return NotAllowed(_("This application can no longer be confirmed."))
    return None


# ----- the officers ----------------------------------------------------------------------------


def _officer(user: Any, capability: str) -> Refusal:
    return None if officer_can(user, capability) else PermissionDenied()


def _held_by_other(user: Any, application: Application) -> Refusal:
    """Two officers never work one application: the one who claimed it acts on it."""
    if application.claimed_by_id not in (None, user.pk):
        return NotAllowed(
            _("%(officer)s is working on this application.") % {"officer": application.claimed_by}
        )
    return None


def _actable(user: Any, application: Application, capability: str) -> Refusal:
    """The officer may act on it now: their role, nobody else holds it, not at the counter."""
    if (refused := _officer(user, capability)) is not None:
        return refused
    if (refused := _held_by_other(user, application)) is not None:
        return refused
    if application.counter_reason:
        return NotAllowed(_("This application is being handled at the counter."))
    return None


def _claim(user: Any, application: Application) -> Refusal:
    if (refused := _actable(user, application, "application.check")) is not None:
        return refused
    if application.claimed_by_id is not None or application.status not in OPEN:
        return _not_now()
    return None


def _release(user: Any, application: Application) -> Refusal:
    if (refused := _officer(user, "application.check")) is not None:
        return refused
    if application.claimed_by_id is None:
        return _not_now()
    if application.claimed_by_id != user.pk and not officer_can(user, "workbench.supervise"):
        return _held_by_other(user, application)
    return None


def _by_transition(capability: str, transition: str) -> Guard:
    def guard(user: Any, application: Application) -> Refusal:
        if (refused := _actable(user, application, capability)) is not None:
            return refused
        if not _transition(user, application, transition):
            return _not_now()
        return None

    return guard


def _check(user: Any, application: Application) -> Refusal:
    if (
        refused := _by_transition("application.check", "pass_check")(user, application)
    ) is not None:
        return refused
    if unpaid(application):
        return NotAllowed(_("The fee is not paid yet: the check can pass only after payment."))
    return None


def _approve(user: Any, application: Application) -> Refusal:
    if (refused := _by_transition("application.decide", "approve")(user, application)) is not None:
        return refused
    if application.checked_by_id == user.pk:
        return NotAllowed(_("The officer who checked an application may not also decide it."))
    return None


def _counter(user: Any, application: Application) -> Refusal:
    # R164 Art 74: possible while the office or the applicant still has it, before a decision.
    if (refused := _actable(user, application, "application.check")) is not None:
        return refused
    if application.status not in (*UNDECIDED, "correction"):
        return _not_now()
    return None


def _deliver(user: Any, application: Application) -> Refusal:
    if (refused := _officer(user, "application.check")) is not None:
        return refused
    if application.status != "completed":
        return _not_now()
    delivery = Delivery.objects.filter(application=application).only("status").first()
    if delivery is None:
        return Http404()
    if delivery.status in (DeliveryStatus.COLLECTED, DeliveryStatus.DELIVERED):
        return _not_now()
    return None


GUARDS: dict[Action, Guard] = {
    Action.EDIT: _edit,
    Action.SUBMIT: _edit,
    Action.WITHDRAW: _withdraw,
    Action.PAY: _pay,
    Action.CONFIRM: _confirm,
    Action.CLAIM: _claim,
    Action.RELEASE: _release,
    Action.CHECK: _check,
    Action.CORRECT: _by_transition("application.check", "ask_correction"),
    Action.APPROVE: _approve,
    Action.COMPLETE: _by_transition("application.decide", "complete"),
    Action.REFUSE: _by_transition("application.decide", "refuse"),
    Action.COUNTER: _counter,
    Action.DELIVER: _deliver,
}


def refusal(user: Any, application: Application, action: Action) -> Refusal:
    """Why the user may not take the action now, or None when they may."""
    return GUARDS[action](user, application)


def require(user: Any, application: Application, action: Action) -> None:
    """Raise the refusal, if any: the services' first step."""
    if (refused := refusal(user, application, action)) is not None:
        raise refused


def actor_of(request: HttpRequest) -> User:
    """The signed-in user the views pass to the services (their decorators let only those in)."""
    if not isinstance(request.user, get_user_model()):
        raise PermissionDenied
    return request.user


def allowed_actions(user: Any, application: Application) -> frozenset[Action]:
    """Everything the user may do to the application now; what pages and the API show."""
    if getattr(user, "is_citizen", False):
        candidates = APPLICANT_ACTIONS | {Action.CONFIRM}
    elif getattr(user, "is_officer", False):
        candidates = OFFICER_ACTIONS
    else:
        return frozenset()
    return frozenset(a for a in candidates if refusal(user, application, a) is None)
