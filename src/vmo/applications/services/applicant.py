"""The applicant's changes: start, answer, upload, confirm (a transfer's buyer), submit, pay
and withdraw. Each checks its guard in permissions.py first."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vmo.catalog.businesses import BUSINESSES
from vmo.catalog.spec import Subject
from vmo.core import clock
from vmo.core.phrases import phrase
from vmo.core.text import check_plain_text
from vmo.payments import services as payments

from .. import notify, selectors, storage
from ..checks import Incomplete, all_problems, field_errors, held_vin
from ..choices import FINAL_STATUSES, DeliveryMethod
from ..models import Application, ApplicationFile, Delivery
from ..permissions import Action, require
from ..uploads import UploadRefused, check_upload
from ._engine import (
    FEE_PURPOSE,
    _accept,
    _event,
    _lock,
    _new_reference,
    _proceed_when_paid,
    _refund_if_paid,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User


@transaction.atomic
def application_start(
    *,
    actor: User,
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
        vehicle = selectors.vehicle_of(actor.person, vehicle_id)
        if vehicle is None:
            raise Http404
    if errors:
        raise ValidationError(errors)
    if len(idempotency_key) < 16:
        raise ValidationError({"idempotency_key": [_("The form has expired; open it again.")]})
    _refuse_if_open(business.code, licence=licence, vehicle=vehicle)
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
        # A retried request with the same key, or a second start racing the first: the
        # database's one-open-application constraint decides.
        found = Application.objects.filter(applicant=actor, idempotency_key=idempotency_key)
        if found.exists():
            return found.get()
        _refuse_if_open(business.code, licence=licence, vehicle=vehicle)
        raise
    _event(actor, application, "start", business=business.code)
    return application


def _refuse_if_open(business_code: str, *, licence: Any, vehicle: Any) -> None:
    """One open application per business and record (enforced by the database as well)."""
    open_one = selectors.open_application(business_code, licence=licence, vehicle=vehicle)
    if open_one is not None:
        raise ValidationError(
            {
                "open_application": [
                    ValidationError(
                        _(
                            "An application for this service and record is already open"
                            " (%(reference)s): continue it, or withdraw it first."
                        ),
                        code="open",
                        params={"reference": open_one.reference},
                    )
                ]
            }
        )


@transaction.atomic
def application_update(
    *,
    actor: User,
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
        if application.held_vin and held_vin(application) != application.held_vin:
            # Corrected to name another VIN: it no longer holds the old one, and holds the new
            # one when it is submitted again (where the one-application check runs).
            application.held_vin = ""
        application.save(update_fields=["data_json", "data_version", "held_vin"])
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
            elif name != "phone" and (unsafe := check_plain_text(value, field=label)):
                errors[f"delivery_{name}"] = [unsafe]
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
    party = selectors.citizen_by_id_number(id_number)
    application.counterparty = party
    application.counterparty_confirmed_at = None
    application.save(update_fields=["counterparty", "counterparty_confirmed_at"])
    if party is not None and party.pk != application.applicant_id:
        notify.confirm_request(application)


@transaction.atomic
def application_confirm_counterparty(*, actor: User, application: Application) -> Application:
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
    actor: User,
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
    if previous is not None and (previous.sha256, previous.issued_on) == (
        checked.sha256,
        issued_on,
    ):
        return previous  # the same file sent again: no new version, nothing stored
    storage.quota_check(application, checked)
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
    copy = storage.same_content(application, checked.sha256)
    if copy is not None:
        stored.file.name = copy.file.name  # stored once: this row names the same copy
    else:
        stored.file.save("upload", ContentFile(checked.content), save=False)
    stored.save()
    _event(actor, application, "material", material=material.code, version=version)
    return stored


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Run every check (checks.all_problems, the same list the check-your-answers page shows).
    Anything missing or wrong: refused with every problem at once (Incomplete) and nothing
    changes: no correction round, no notice; the applicant fixes it on their page. Otherwise
    accepted, the fee asked for, and an automatic business completed once paid. A second press
    of the button, or a retried request, is refused (NotAllowed): the first one counted."""
    application = _lock(application)
    require(actor, application, Action.SUBMIT)
    problems = all_problems(application)
    if problems:
        raise Incomplete(problems)
    first = application.status == "draft"
    application.submit() if first else application.resubmit()
    application.submitted_at = clock.now()
    application.held_vin = held_vin(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Another submission for the same VIN passed the check at the same instant and
        # committed first: the database's one-pending-application-per-VIN constraint decided.
        # The refusal is the check's own, which now sees it; nothing changes.
        problems = all_problems(application)
        if not problems:
            raise
        raise Incomplete(problems) from None
    _event(actor, application, "submit")
    _accept(application)
    return application


def fee_order(*, actor: User, application: Application, return_to: str = "") -> Any:
    """The one call between an application and payments: the order for its fee."""
    require(actor, application, Action.PAY)
    return payments.order_create(
        payer=actor,
        purpose=FEE_PURPOSE,
        subject_type="application",
        subject_id=str(application.pk),
        amount_fen=application.fee_fen,
        # Kept as data: each reader reads it in their language, the gateway in the office's.
        description=phrase(gettext_noop("Fee for %(business)s (%(reference)s)"))
        % {"business": application.business.name, "reference": application.reference},
        return_to=return_to,
    )


@transaction.atomic
def fee_paid(*, order: Any) -> None:
    """payments.hooks.on_paid("application"), inside the crediting transaction."""
    application = Application.objects.select_for_update().get(pk=int(order.subject_id))
    if application.paid_at is not None:
        return
    application.paid_at = clock.now()
    application.save(update_fields=["paid_at"])
    _event(order.payer, application, "paid", order=order.reference)
    if application.status in FINAL_STATUSES:
        # Paid on an order opened before it lapsed or was withdrawn: nothing to pay for.
        _refund_if_paid(application, actor=None, reason="closed")
        return
    _proceed_when_paid(application)


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    application = _lock(application)
    require(actor, application, Action.WITHDRAW)
    application.withdraw()
    application.save()
    _event(actor, application, "withdraw")
    _refund_if_paid(application, actor=actor, reason="withdrawn")
    notify.withdrawn(application)
    return application
