"""Everything one application's page shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vmo.catalog.businesses import Business
from vmo.catalog.spec import FormField, Material
from vmo.core import clock
from vmo.core.selectors import events_for
from vmo.core.text import join_items
from vmo.registry import selectors as registry

from ..choices import DeliveryMethod
from ..models import Application, ApplicationFile, CorrectionItem, Delivery, Document
from ..permissions import Action, allowed_actions
from .lists import Step, next_step

if TYPE_CHECKING:
    from vmo.core.models import Event

# ----- one application's page --------------------------------------------------------------


@dataclass
class MaterialRow:
    material: Material
    current: ApplicationFile | None
    versions: int

    @property
    def accepted(self) -> str:
        return join_items(kind.label for kind in self.material.kinds)

    @property
    def max_mb(self) -> str:
        return f"{self.material.max_bytes / 1024 / 1024:g}"


@dataclass
class TimelineRow:
    occurred_at: Any
    what: str
    who: str


@dataclass
class Page:
    application: Application
    business: Business
    plate: str
    step: Step
    materials: list[MaterialRow]
    corrections: list[CorrectionItem]
    refusal_reasons: list[Any]
    documents: list[Document]
    delivery: Delivery | None
    timeline: list[TimelineRow]
    # What the reader may do now (permissions.allowed_actions): the page shows these only.
    actions: frozenset[Action]
    fields: tuple[FormField, ...] = field(default=())

    @property
    def editable(self) -> bool:
        return Action.EDIT in self.actions

    @property
    def submittable(self) -> bool:
        return Action.SUBMIT in self.actions

    @property
    def withdrawable(self) -> bool:
        return Action.WITHDRAW in self.actions

    @property
    def payable(self) -> bool:
        return Action.PAY in self.actions

    @property
    def correction_links(self) -> list[tuple[CorrectionItem, str]]:
        """Each item of the one-time notice with the part of the page where it is corrected."""
        rows = []
        for item in self.corrections:
            kind, _sep, name = item.item.partition(":")
            anchor = {"material": f"material-{name}", "field": f"answer-{name}"}.get(kind, "")
            rows.append((item, anchor))
        return rows

    @property
    def items_to_correct(self) -> set[str]:
        if self.application.status != "correction":
            return set()
        return {c.item.partition(":")[2] for c in self.corrections}


def _action_words() -> dict[str, str]:
    return {
        "application.start": _("Application started"),
        "application.update": _("Form answers saved"),
        "application.material": _("Material uploaded"),
        "application.submit": _("Submitted"),
        "application.correction": _("Corrections asked for (one-time notice)"),
        "application.accept": _("Accepted; the time limit runs"),
        "application.paid": _("Fee paid"),
        "application.check": _("Materials checked"),
        "application.approve": _("Approved"),
        "application.complete": _("Completed; the records were updated"),
        "application.refuse": _("Refused in writing"),
        "application.withdraw": _("Withdrawn"),
        "application.close": _("Closed: no longer needed"),
        "application.close:unpaid": _("Closed: the fee was not paid in time"),
        "application.counter": _("Moved to the service hall"),
        "application.delivery": _("Delivery updated"),
    }


def timeline(application: Application) -> list[TimelineRow]:
    """The history in the applicant's words. The office's internal steps (who claimed it) and
    officers' names are not shown: the office acts as one."""
    words = _action_words()
    rows = []
    events: QuerySet[Event] = events_for(application).filter(action__in=list(words))
    for event in events.only("occurred_at", "action", "actor_id", "after"):
        if event.actor_id == application.applicant_id:
            who = _("You")
        elif event.actor_id:
            who = _("The office")
        else:
            who = _("The system")
        # A closing says why where the reason has its own words (the reason is kept as a code).
        word = words.get(f"{event.action}:{(event.after or {}).get('reason')}", words[event.action])
        rows.append(TimelineRow(clock.local(event.occurred_at), word, who))
    return rows


def page_for(application: Application, *, user: Any) -> Page:
    """Everything the application's page shows to this user, in a fixed number of queries."""
    business = application.business
    files = list(application.files.order_by("material", "-version"))
    current = {f.material: f for f in files if f.current}
    counts: dict[str, int] = {}
    for f in files:
        counts[f.material] = counts.get(f.material, 0) + 1
    materials = [
        MaterialRow(m, current.get(m.code), counts.get(m.code, 0)) for m in business.materials
    ]
    corrections = (
        list(application.corrections.filter(round=application.correction_round))
        if application.correction_round
        else []
    )
    delivery = Delivery.objects.filter(application=application).first()
    return Page(
        application=application,
        business=business,
        plate=registry.plate_label(application.vehicle),
        step=next_step(application),
        materials=materials,
        corrections=corrections,
        refusal_reasons=list(application.refusal_reasons.all()),
        documents=list(application.documents.order_by("created_at", "pk")),
        delivery=delivery,
        timeline=timeline(application),
        actions=allowed_actions(user, application),
        fields=business.fields,
    )


def delivery_initial(delivery: Delivery | None) -> dict[str, str]:
    if delivery is None:
        return {"delivery_method": DeliveryMethod.PICKUP}
    return {
        "delivery_method": delivery.method,
        "delivery_recipient": delivery.recipient,
        "delivery_phone": delivery.phone,
        "delivery_address": delivery.address,
    }
