"""The applicant's reads: their applications, one of them by reference (anyone else's is not
found), and everything one page needs in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vmo.accounts.permissions import officer_can
from vmo.catalog.businesses import BUSINESSES, Business
from vmo.catalog.spec import Condition, Facts, FormField, Material
from vmo.core import clock
from vmo.core.selectors import events_for
from vmo.core.services import data_access_record
from vmo.registry import selectors as registry

from .choices import FINAL_STATUSES, DeliveryMethod
from .models import Application, ApplicationFile, CorrectionItem, Delivery, Document
from .permissions import Action, allowed_actions, fee_payable

if TYPE_CHECKING:
    from vmo.core.models import Event
    from vmo.registry.models import Vehicle


# ----- lists ---------------------------------------------------------------------------------


def applications_of(user: Any) -> QuerySet[Application]:
    """The applicant's applications, newest first; what the list shows and nothing more."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("vehicle")
        .prefetch_related(registry.active_plate_prefetch("vehicle__plates"))
        .defer("data_json")
        .order_by("-created_at", "-pk")
    )


def application_of(user: Any, reference: str) -> Application:
    """One of the applicant's own applications; Application.DoesNotExist for anyone else's."""
    if not getattr(user, "is_citizen", False):
        raise Application.DoesNotExist
    return (
        Application.objects.select_related("vehicle", "licence", "person")
        .prefetch_related(registry.active_plate_prefetch("vehicle__plates"))
        .get(applicant=user, reference=reference)
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
    return Step(label, "warn", _("Withdrawn: nothing more to do."))


# ----- eligibility before starting -------------------------------------------------------------


class _Recording(Mapping[str, Any]):
    """Empty form answers that remember being read: a condition that reads them is about the
    answers, not the records, and can only be judged once the form is filled in."""

    def __init__(self) -> None:
        self.read = False

    def __getitem__(self, key: str) -> Any:
        self.read = True
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read = True
        return default

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass(frozen=True)
class ConditionResult:
    condition: Condition
    # True met, False not met, None: depends on the answers in the form.
    met: bool | None

    @property
    def message(self) -> str:
        if self.met is False:
            return str(self.condition.problem or self.condition.text)
        return str(self.condition.text)


def eligibility(business: Business, person: Any, vehicle: Any = None) -> list[ConditionResult]:
    """The business's conditions against the person's (and the vehicle's) records now."""
    licence = getattr(person, "licence", None) if person is not None else None
    results = []
    for condition in business.conditions:
        answers = _Recording()
        facts = Facts(
            today=clock.today(), person=person, licence=licence, vehicle=vehicle, data=answers
        )
        met = bool(condition.test(facts))
        results.append(ConditionResult(condition, None if answers.read else met))
    return results


def vehicles_of(person: Any) -> list[Vehicle]:
    """Vehicles the person owns or whose owning company they represent, with their plates."""
    return list(registry.vehicles_acted_for(person))


def startable(code: str) -> Business | None:
    business = BUSINESSES.get((code or "").strip().upper())
    return business if business is not None and business.via_engine else None


# ----- one application's page --------------------------------------------------------------


@dataclass
class MaterialRow:
    material: Material
    current: ApplicationFile | None
    versions: int

    @property
    def accepted(self) -> str:
        return ", ".join(str(kind.label) for kind in self.material.kinds)

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
        "application.counter": _("Moved to the service hall"),
        "application.delivery": _("Delivery updated"),
    }


def timeline(application: Application) -> list[TimelineRow]:
    """The history in the applicant's words. The office's internal steps (who claimed it) and
    officers' names are not shown: the office acts as one."""
    words = _action_words()
    rows = []
    events: QuerySet[Event] = events_for(application).filter(action__in=list(words))
    for event in events.only("occurred_at", "action", "actor_id"):
        if event.actor_id == application.applicant_id:
            who = _("You")
        elif event.actor_id:
            who = _("The office")
        else:
            who = _("The system")
        rows.append(TimelineRow(clock.local(event.occurred_at), words[event.action], who))
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


# ----- files ---------------------------------------------------------------------------------


def _readable(user: Any, reference: str) -> tuple[Application, bool]:
    """The application if the user may read its files, and whether an officer reads it: its
    applicant, or a verified officer who checks applications. Else DoesNotExist."""
    application = Application.objects.filter(reference=reference).first()
    if application is None:
        raise Application.DoesNotExist
    if getattr(user, "is_citizen", False) and application.applicant_id == user.pk:
        return application, False
    if officer_can(user, "application.check"):
        return application, True
    raise Application.DoesNotExist


def _looked_at(user: Any, application: Application, screen: str) -> None:
    # The person can see which officer looked at their papers, and why.
    if application.person_id is not None:
        data_access_record(
            officer=user,
            person_id=application.person_id,
            screen=screen,
            purpose=application.reference,
        )


def file_for(user: Any, reference: str, file_id: int) -> ApplicationFile:
    """A material file (any version) of an application the user may read."""
    application, officer = _readable(user, reference)
    try:
        found = application.files.get(pk=file_id)
    except ApplicationFile.DoesNotExist:
        raise Application.DoesNotExist from None
    if officer:
        _looked_at(user, application, "office.application")
    return found


def document_for(user: Any, reference: str, document_id: int) -> Document:
    application, officer = _readable(user, reference)
    try:
        found = application.documents.get(pk=document_id)
    except Document.DoesNotExist:
        raise Application.DoesNotExist from None
    if officer:
        _looked_at(user, application, "office.application")
    return found


def reservation_of(user: Any, pk: str) -> Any:
    """The user's active plate reservation with this id, or None (first registration starts
    from it)."""
    from vmo.plates.models import Reservation

    if not pk.isdigit():
        return None
    return Reservation.objects.filter(pk=int(pk), user=user, status="active").first()
