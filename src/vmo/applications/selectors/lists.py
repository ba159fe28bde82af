"""The applicant's list of applications, one of them by reference, and its state in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vmo.registry import selectors as registry

from ..choices import FINAL_STATUSES, ClosedReason
from ..models import Application
from ..permissions import fee_payable

# ----- lists ---------------------------------------------------------------------------------


def visible_to(user: Any) -> Q:
    """The applications a citizen may see: their own that are for no company, and those of
    every company they act for today (registry.company_selectors), whoever applied. An agent's
    own application for a company is gone from them the moment their authorisation ends. A
    union of indexed lookups (an OR in one WHERE would read the whole table)."""
    mine: QuerySet[Any, Any] = Application.objects.filter(
        applicant=user, company__isnull=True
    ).values("pk")
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Q(pk__in=mine)
    legal, agent = registry.acting_paths(person_id, company_field="company_id")
    as_legal: QuerySet[Any, Any] = Application.objects.filter(legal).values("pk").order_by()
    as_agent: QuerySet[Any, Any] = Application.objects.filter(agent).values("pk").order_by()
    return Q(pk__in=mine.order_by().union(as_legal, as_agent))


def applications_of(user: Any) -> QuerySet[Application]:
    """The citizen's applications (visible_to), newest first; what the list shows."""
    return (
        Application.objects.filter(visible_to(user))
        .select_related("vehicle", "company")
        .prefetch_related(registry.active_plate_prefetch("vehicle__plates"))
        .defer("data_json")
        .order_by("-created_at", "-pk")
    )


def application_of(user: Any, reference: str) -> Application:
    """One application the citizen may see (visible_to); Application.DoesNotExist otherwise."""
    if not getattr(user, "is_citizen", False):
        raise Application.DoesNotExist
    return (
        Application.objects.filter(visible_to(user))
        .select_related("vehicle", "licence", "person", "company")
        .prefetch_related(registry.active_plate_prefetch("vehicle__plates"))
        .get(reference=reference)
    )


def is_known_key(user: Any, idempotency_key: str) -> bool:
    return Application.objects.filter(applicant=user, idempotency_key=idempotency_key).exists()


# ----- what the applicant is told about the state ---------------------------------------------


@dataclass(frozen=True)
class Step:
    status_label: str
    severity: str  # ok, warn, bad: the colour of the status word
    next_step: str


def next_step(application: Application) -> Step:
    """The status in words and what the applicant does next. Reads no other row."""
    status = application.status
    label = str(application.get_status_display())
    due = f"{application.due_on:%Y-%m-%d}" if application.due_on else ""
    if application.counter_reason and status not in FINAL_STATUSES:
        return Step(
            label,
            "warn",
            _("Complete this application at the service hall, with your ID: %(reason)s")
            % {"reason": application.counter_reason},
        )
    if status == "draft":
        return Step(label, "warn", _("Fill in the form, upload the materials and submit."))
    if status == "correction":
        return Step(label, "bad", _("Correct every item listed, then submit again."))
    if status in ("submitted", "resubmitted", "review"):
        if fee_payable(application):
            return Step(label, "warn", _("Pay the fee: the office starts once it is paid."))
        if due:
            return Step(
                label, "ok", _("The office is handling it; decision by %(due)s.") % {"due": due}
            )
        return Step(label, "ok", _("The office is handling it."))
    if status == "approved":
        return Step(label, "ok", _("Approved: the records are being updated."))
    if status == "completed":
        if application.business.issues:
            return Step(label, "ok", _("Completed: see below how you receive the documents."))
        return Step(label, "ok", _("Completed: nothing more to do."))
    if status == "refused":
        return Step(
            label,
            "bad",
            _("Refused: read the reasons and the written notice. You may apply again."),
        )
    if status == "closed":
        reason = ClosedReason(application.closed_reason or ClosedReason.MOOT).label
        return Step(
            label,
            "warn",
            _("Closed by the office: %(reason)s. Nothing more to do.") % {"reason": reason},
        )
    return Step(label, "warn", _("Withdrawn: nothing more to do."))
