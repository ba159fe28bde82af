"""The application engine: every change of an application, with its permission check, history
and notice in one transaction. Views and the API call these and nothing else."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from vmo.catalog.businesses import BUSINESSES
from vmo.catalog.spec import Review, Subject
from vmo.core import clock
from vmo.core.services import event_record
from vmo.core.workdays import add_working_days
from vmo.payments import services as payments
from vmo.registry.models import Vehicle

from . import notify
from .checks import Problem, all_problems, field_errors, item_versions
from .choices import CHECKABLE, DeliveryMethod, DeliveryStatus
from .models import Application, ApplicationFile, CorrectionItem, Delivery, RefusalReason
from .permissions import Action, require
from .uploads import UploadRefused, check_upload

FEE_PURPOSE = "application"
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_reference() -> str:
    return f"SQ{clock.today():%Y%m%d}" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))


def _event(
    actor: Any, application: Application, action: str, reason: str = "", **after: Any
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


def _vehicle_of(actor: Any, vehicle_id: int | None) -> Vehicle:
    """A vehicle the applicant owns, or whose owning company they represent; 404 otherwise."""
    from django.db.models import Q

    person = actor.person
    vehicle = (
        Vehicle.objects.filter(pk=vehicle_id)
        .filter(Q(owner_person=person) | Q(owner_company__representatives__person=person))
        .first()
        if vehicle_id
        else None
    )
    if vehicle is None:
        raise Http404
    return vehicle


# ----- the applicant -------------------------------------------------------------------------


@transaction.atomic
def application_start(
    *,
    actor: Any,
    business_code: str,
    idempotency_key: str,
    vehicle_id: int | None = None,
    initial: dict[str, str] | None = None,
) -> Application:
    """A draft for one business and its record. The same key returns the same draft.
    ``initial`` pre-fills answers (checked, like all answers, when saved and submitted)."""
    business = BUSINESSES.get(business_code)
    if business is None or not business.via_engine:
        raise Http404
    if not getattr(actor, "is_citizen", False) or actor.person is None:
        raise PermissionDenied
    existing = Application.objects.filter(applicant=actor, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    licence = vehicle = None
    errors: dict[str, list[str]] = {}
    if business.subject == Subject.LICENCE:
        licence = getattr(actor.person, "licence", None)
        if licence is None:
            errors["licence"] = [_("You have no driving licence on record with this office.")]
    elif business.subject == Subject.VEHICLE:
        vehicle = _vehicle_of(actor, vehicle_id)
    if errors:
        raise ValidationError(errors)
    if len(idempotency_key) < 16:
        raise ValidationError({"idempotency_key": [_("The form has expired; open it again.")]})
    try:
        with transaction.atomic():
            application = Application.objects.create(
                reference=_new_reference(),
                business_code=business.code,
                applicant=actor,
                person=actor.person,
                company=vehicle.owner_company if vehicle else None,
                licence=licence,
                vehicle=vehicle,
                fee_fen=business.fee_fen,
                idempotency_key=idempotency_key,
                data_json=json.dumps(
                    {
                        f.name: str((initial or {})[f.name])
                        for f in business.fields
                        if f.name in (initial or {})
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            )
    except IntegrityError:
        return Application.objects.get(applicant=actor, idempotency_key=idempotency_key)
    _event(actor, application, "start", business=business.code)
    return application


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: Application,
    data: dict[str, Any],
    delivery: dict[str, str] | None = None,
) -> Application:
    """Save the form answers (and the delivery choice). Every problem raised at once."""
    application = _lock(application)
    require(actor, application, Action.EDIT)
    business = application.business
    clean = {f.name: str(data.get(f.name, "") or "").strip() for f in business.fields}
    errors = field_errors(business, clean)
    delivery_fields: dict[str, str] = {}
    if business.issues:
        delivery_fields, delivery_errors = _clean_delivery(delivery or {})
        errors.update(delivery_errors)
    if errors:
        raise ValidationError(errors)
    if clean != application.data:
        party_changed = business.counterparty_field and clean.get(
            business.counterparty_field
        ) != application.data.get(business.counterparty_field)
        application.data_json = json.dumps(clean, ensure_ascii=False, sort_keys=True)
        application.data_version += 1
        application.save(update_fields=["data_json", "data_version"])
        _event(actor, application, "update", version=application.data_version)
        if party_changed:
            _counterparty_set(application, clean[business.counterparty_field])
    if delivery_fields:
        Delivery.objects.update_or_create(
            application=application, defaults={**delivery_fields, "updated_at": clock.now()}
        )
    return application


def _clean_delivery(raw: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    from vmo.registry.validators import normalise_phone, validate_mobile_phone

    method = (raw.get("method") or "").strip()
    errors: dict[str, list[str]] = {}
    if method not in DeliveryMethod.values:
        return {}, {"delivery_method": [_("Choose how to receive the documents.")]}
    fields = {"method": method, "recipient": "", "phone": "", "address": ""}
    if method == DeliveryMethod.MAIL:
        for name, label in (
            ("recipient", _("The recipient's name")),
            ("phone", _("The recipient's mobile number")),
            ("address", _("The postal address")),
        ):
            value = (raw.get(name) or "").strip()
            if not value:
                errors[f"delivery_{name}"] = [_("%(field)s is required.") % {"field": label}]
            fields[name] = value[:200]
        if fields["phone"]:
            try:
                validate_mobile_phone(fields["phone"])
                fields["phone"] = normalise_phone(fields["phone"])
            except ValidationError:
                errors["delivery_phone"] = [_("The recipient's mobile number is not valid.")]
    return fields, errors


def _counterparty_set(application: Application, id_number: str) -> None:
    """Find the other party's account by ID number; they are asked to confirm. A change of the
    number withdraws an earlier confirmation."""
    from vmo.accounts.models import User
    from vmo.registry.models import id_lookup_hash

    try:
        key = id_lookup_hash(id_number)
    except ValidationError:
        key = ""
    party = (
        User.objects.filter(kind="citizen", is_active=True, person__id_hash=key).first()
        if key
        else None
    )
    application.counterparty = party
    application.counterparty_confirmed_at = None
    application.save(update_fields=["counterparty", "counterparty_confirmed_at"])
    if party is not None and party.pk != application.applicant_id:
        notify.confirm_request(application)


@transaction.atomic
def application_confirm_counterparty(*, actor: Any, application: Application) -> Application:
    """The buyer confirms a transfer meant for them; anyone else finds nothing (404)."""
    application = _lock(application)
    require(actor, application, Action.CONFIRM)
    application.counterparty_confirmed_at = clock.now()
    application.save(update_fields=["counterparty_confirmed_at"])
    _event(actor, application, "confirm")
    return application


@transaction.atomic
def material_upload(
    *,
    actor: Any,
    application: Application,
    material_code: str,
    upload: Any,
    issued_on: Any = None,
) -> ApplicationFile:
    """Store a checked version of one material; the previous version stays, superseded."""
    application = _lock(application)
    require(actor, application, Action.EDIT)
    material = next((m for m in application.business.materials if m.code == material_code), None)
    if material is None:
        raise Http404
    problems: list[str] = []
    if material.issued_within_months and issued_on is None:
        problems.append(_("Give the date on the certificate."))
    try:
        checked = check_upload(upload, material)
    except UploadRefused as refused:
        problems += refused.messages
    if problems:
        raise ValidationError({"file": problems})
    previous = application.files.filter(material=material.code, current=True).first()
    version = 1
    if previous is not None:
        version = previous.version + 1
        ApplicationFile.objects.filter(pk=previous.pk).update(current=False)
    stored = ApplicationFile(
        application=application,
        material=material.code,
        version=version,
        content_type=checked.content_type,
        extension=checked.extension,
        size=len(checked.content),
        sha256=checked.sha256,
        issued_on=issued_on,
        uploaded_at=clock.now(),
    )
    stored.file.save("upload", ContentFile(checked.content), save=False)
    stored.save()
    _event(actor, application, "material", material=material.code, version=version)
    return stored


@transaction.atomic
def application_submit(*, actor: Any, application: Application) -> Application:
    """Run every check. Problems: one notice listing all (needs correction). None: accepted,
    the fee asked for, and an automatic business completed once paid. A second press of the
    button, or a retried request, is refused (NotAllowed): the first one counted."""
    application = _lock(application)
    require(actor, application, Action.SUBMIT)
    first = application.status == "draft"
    application.submit() if first else application.resubmit()
    application.submitted_at = clock.now()
    application.save()
    _event(actor, application, "submit")
    problems = all_problems(application)
    if problems:
        _ask_correction(application, problems, actor=None)
        return application
    _accept(application, actor)
    return application


def _accept(application: Application, actor: Any) -> None:
    # Time spent correcting is not the office's: the limit runs from this acceptance (R164 Art 6).
    application.accepted_at = clock.now()
    limit = application.business.time_limit_days
    application.due_on = add_working_days(clock.today(), limit) if limit else clock.today()
    application.save(update_fields=["accepted_at", "due_on"])
    _event(actor, application, "accept", due_on=str(application.due_on))
    notify.received(application)
    if application.fee_fen == 0:
        _proceed_when_paid(application)


def fee_order(*, actor: Any, application: Application, return_to: str = "") -> Any:
    """The one call between an application and payments: the order for its fee."""
    require(actor, application, Action.PAY)
    return payments.order_create(
        payer=actor,
        purpose=FEE_PURPOSE,
        subject_type="application",
        subject_id=str(application.pk),
        amount_fen=application.fee_fen,
        description=f"{application.business.term_zh} {application.reference}",
        return_to=return_to,
    )


@transaction.atomic
def fee_paid(order: Any) -> None:
    """payments.hooks.on_paid("application"), inside the crediting transaction."""
    application = Application.objects.select_for_update().get(pk=int(order.subject_id))
    if application.paid_at is not None:
        return
    application.paid_at = clock.now()
    application.save(update_fields=["paid_at"])
    _event(order.payer, application, "paid", order=order.reference)
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
    actor: Any,
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
            message=p.message,
            basis=p.basis,
            item_version=p.version,
            repeat_reason=(reasons or {}).get(p.item, ""),
            raised_by=actor,
            raised_at=now,
        )
        for p in problems
    )
    _event(actor, application, "correction", items=[p.item for p in problems])
    notify.correction(application, problems)


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    application = _lock(application)
    require(actor, application, Action.WITHDRAW)
    application.withdraw()
    application.save()
    _event(actor, application, "withdraw")
    _refund_if_paid(application, actor, reason="withdrawn")
    notify.withdrawn(application)
    return application


def _refund_if_paid(application: Application, actor: Any, *, reason: str) -> None:
    if application.paid_at is None:
        return
    from vmo.payments.models import PaymentOrder
    from vmo.payments.refunds import refund_create

    order = (
        PaymentOrder.objects.filter(
            purpose=FEE_PURPOSE, subject_type="application", subject_id=str(application.pk)
        )
        .filter(status="paid")
        .first()
    )
    if order is not None:
        refund_create(order=order, amount_fen=order.amount_fen, reason=reason, actor=actor)


# ----- the officers --------------------------------------------------------------------------


@transaction.atomic
def application_claim(*, actor: Any, application: Application) -> Application:
    application = _lock(application)
    require(actor, application, Action.CLAIM)
    application.claimed_by = actor
    application.claimed_at = clock.now()
    application.save(update_fields=["claimed_by", "claimed_at"])
    _event(actor, application, "claim")
    return application


@transaction.atomic
def application_release(*, actor: Any, application: Application) -> Application:
    application = _lock(application)
    require(actor, application, Action.RELEASE)
    application.claimed_by = None
    application.claimed_at = None
    application.save(update_fields=["claimed_by", "claimed_at"])
    _event(actor, application, "release")
    return application


def _take(actor: Any, application: Application, action: Action) -> Application:
    """Lock, check the action's guard, and hold the application for the acting officer."""
    application = _lock(application)
    require(actor, application, action)
    application.claimed_by = actor
    application.claimed_at = application.claimed_at or clock.now()
    return application


@transaction.atomic
def application_pass_check(*, actor: Any, application: Application) -> Application:
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
    *, actor: Any, application: Application, items: list[dict[str, str]]
) -> Application:
    """Ask for everything at once. An item asked about before and unchanged since needs a
    reason, which is recorded."""
    application = _take(actor, application, Action.CORRECT)
    errors: list[str] = []
    if not items:
        errors.append(_("List at least one thing to correct."))
    versions = item_versions(application)
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
        problems.append(Problem(item, message, raw.get("basis", "").strip(), version))
        if repeat:
            reasons[item] = repeat
    if errors:
        raise ValidationError(errors)
    _ask_correction(application, problems, actor=actor, reasons=reasons)
    return application


@transaction.atomic
def application_approve(*, actor: Any, application: Application) -> Application:
    application = _take(actor, application, Action.APPROVE)
    application.approve()
    application.decided_by = actor
    application.decided_at = clock.now()
    application.save()
    _event(actor, application, "approve")
    notify.approved(application)
    return application


@transaction.atomic
def application_complete(*, actor: Any, application: Application) -> Application:
    """Apply the business's effect to the records and issue its documents."""
    application = _take(actor, application, Action.COMPLETE)
    _complete(application, actor=actor)
    return application


def _complete(application: Application, *, actor: Any) -> None:
    from .effects import apply_effect

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


@transaction.atomic
def application_refuse(
    *, actor: Any, application: Application, reasons: list[dict[str, str]]
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
    from .letters import refusal_letter_store

    refusal_letter_store(application)
    _event(actor, application, "refuse", reasons=len(clean))
    _refund_if_paid(application, actor, reason="refused")
    notify.refused(application, clean)
    return application


@transaction.atomic
def application_to_counter(*, actor: Any, application: Application, reason: str) -> Application:
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
    *, actor: Any, application: Application, status: str, tracking_number: str = ""
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
