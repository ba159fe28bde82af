"""Binding a vehicle that is not one's own (W03): the owner's one-time code is the consent."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.notices.kinds import sms_text
from vmo.notices.services import notify, sms_send
from vmo.registry import selectors as registry
from vmo.registry.choices import CompanyRole

from ..models import (
    BindingCode,
    VehicleBinding,
)
from .common import _fail, _person_of

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Person, Vehicle

CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_MIN_INTERVAL = timedelta(seconds=60)
CODE_HOURLY_LIMIT = 5


def _owner_phone(vehicle: Vehicle) -> str:
    """Where the owner's consent code goes: the owner, or a company's legal representative."""
    if vehicle.owner_person is not None:
        return vehicle.owner_person.phone
    if vehicle.owner_company_id is None:
        return ""
    representative = (
        registry.persons()
        .filter(
            company_roles__company_id=vehicle.owner_company_id,
            company_roles__role=CompanyRole.LEGAL_REPRESENTATIVE,
        )
        .exclude(phone="")
        .first()
    )
    return representative.phone if representative else ""


def _binding_problems(*, person: Person, vehicle: Vehicle) -> list[str]:
    config = office_config()
    problems = []
    if vehicle.owner_person_id == person.pk:
        problems.append(_("This vehicle is your own: its records are yours to handle already."))
    if VehicleBinding.objects.filter(
        person=person, vehicle=vehicle, ended_at__isnull=True
    ).exists():
        problems.append(_("This vehicle is already bound to you."))
    mine = VehicleBinding.objects.filter(person=person, ended_at__isnull=True).count()
    if mine >= config.non_own_vehicle_limit:
        problems.append(
            ngettext(
                "You already have %(count)d vehicle bound, the most allowed.",
                "You already have %(count)d vehicles bound, the most allowed.",
                mine,
            )
            % {"count": mine}
        )
    theirs = VehicleBinding.objects.filter(vehicle=vehicle, ended_at__isnull=True).count()
    if theirs >= config.non_owner_users_per_vehicle:
        problems.append(
            _("This vehicle already has %(count)d drivers bound to it, the most allowed.")
            % {"count": theirs}
        )
    if not registry.has_licence(person):
        problems.append(_("There is no driver's licence on record for you."))
    if not _owner_phone(vehicle):
        problems.append(
            _("The owner has no mobile phone on record to confirm; bind the vehicle at a counter.")
        )
    return problems


@transaction.atomic
def binding_code_send(*, person: Person, vehicle: Vehicle) -> BindingCode:
    """Send the owner a one-time code; giving it to the driver is the owner's consent."""
    problems = _binding_problems(person=person, vehicle=vehicle)
    now = clock.now()
    recent = BindingCode.objects.filter(
        person=person, vehicle=vehicle, created_at__gt=now - timedelta(hours=1)
    ).order_by("-created_at")
    latest = recent.first()
    if latest is not None and now - latest.created_at < CODE_MIN_INTERVAL:
        problems.append(_("A code was sent less than a minute ago; please wait."))
    elif recent.count() >= CODE_HOURLY_LIMIT:
        problems.append(_("Too many codes were asked for this vehicle; try again in an hour."))
    if problems:
        raise _fail(*problems)
    code = f"{secrets.randbelow(10**6):06d}"
    row = BindingCode.objects.create(
        person=person,
        vehicle=vehicle,
        code_hash=make_password(code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    plate = registry.plate_label(vehicle)
    context = {"name": str(person), "plate": plate, "code": code}
    sms_send(
        phone=_owner_phone(vehicle),
        body=str(sms_text("violation.binding_code").sms) % context,
        kind="violation.binding_code",
        one_time_code=True,
        # Template providers (Alibaba, Tencent) are sent these values for the approved template.
        context=context,
        dedup_key=f"violations.binding_code:{row.pk}",
    )
    event_record(
        actor=None, subject=vehicle, action="binding.code_sent", after={"person": person.pk}
    )
    return row


def _code_problem(row: BindingCode | None, code: str) -> str | None:
    if row is None:
        return _("No code was sent for this vehicle. Ask for one first.")
    if row.used_at is not None or clock.now() >= row.expires_at:
        return _("This code has expired. Ask for a new one.")
    if row.attempts >= CODE_MAX_ATTEMPTS:
        return _("Too many wrong codes were entered. Ask for a new one.")
    code = code.strip()
    if len(code) == 6 and code.isdigit() and check_password(code, row.code_hash):
        return None
    # Counted outside the caller's transaction would be lost with its rollback: saved here and
    # the caller raises only after this commit point (see binding_create).
    row.attempts += 1
    row.save(update_fields=["attempts"])
    return _("The code is wrong.")


def binding_create(*, person: Person, vehicle: Vehicle, owner_code: str) -> VehicleBinding:
    """Bind the vehicle with the owner's code. A wrong code counts against the code even though
    nothing else is written."""
    with transaction.atomic():
        # Person then vehicle: the same order everywhere, so two bindings never deadlock.
        registry.person_for_update(pk=person.pk)
        vehicle = registry.vehicle_for_update(pk=vehicle.pk)
        row = (
            BindingCode.objects.select_for_update()
            .filter(person=person, vehicle=vehicle)
            .order_by("-created_at", "-id")
            .first()
        )
        problems = _binding_problems(person=person, vehicle=vehicle)
        code_problem = _code_problem(row, owner_code)
        if code_problem is None and not problems:
            assert row is not None
            now = clock.now()
            row.used_at = now
            row.save(update_fields=["used_at"])
            binding = VehicleBinding.objects.create(person=person, vehicle=vehicle, bound_at=now)
            event_record(
                actor=None,
                subject=binding,
                action="binding.create",
                after={"person": person.pk, "vehicle": vehicle.pk},
            )
            owner_account = (
                getattr(vehicle.owner_person, "account", None) if vehicle.owner_person_id else None
            )
            if owner_account is not None:
                notify(
                    kind="violation.bound",
                    context={"name": str(person)},
                    dedup_key=f"violation.bound:{binding.pk}",
                    user=owner_account,
                )
            return binding
    errors: dict[str, list[str]] = {}
    if problems:
        errors[NON_FIELD_ERRORS] = problems
    if code_problem:
        errors["code"] = [code_problem]
    raise ValidationError(errors)


@transaction.atomic
def binding_end(*, binding: VehicleBinding, actor: User) -> VehicleBinding:
    """The driver or the owner ends a binding; records after it are no longer the driver's."""
    person = _person_of(actor)
    binding = (
        VehicleBinding.objects.select_for_update(of=("self",))
        .select_related("vehicle")
        .get(pk=binding.pk)
    )
    if person.pk not in (binding.person_id, binding.vehicle.owner_person_id):
        raise _fail(_("Only the driver or the owner can end this binding."))
    if binding.ended_at is not None:
        raise _fail(_("This binding has already ended."))
    binding.ended_at = clock.now()
    binding.save(update_fields=["ended_at"])
    event_record(actor=actor, subject=binding, action="binding.end")
    return binding


@transaction.atomic
def bindings_end_on_transfer(*, vehicle: Vehicle, actor: User | None) -> int:
    """A transfer of ownership ends the vehicle's bindings: each was made with the seller's
    consent (the owner's code), which the buyer never gave. Records from the transfer on are no
    longer the drivers'; those before it stay the seller's (the owner at the time). Called in
    the transfer's transaction; returns how many ended."""
    now = clock.now()
    bindings = list(
        VehicleBinding.objects.select_for_update().filter(vehicle=vehicle, ended_at__isnull=True)
    )
    for binding in bindings:
        binding.ended_at = now
        binding.save(update_fields=["ended_at"])
        event_record(
            actor=actor, subject=binding, action="binding.end", after={"cause": "transfer"}
        )
    return len(bindings)


def binding_codes_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete owners' consent codes a day past their expiry: only their hashes, but no use kept."""
    deleted, _by_model = BindingCode.objects.filter(
        expires_at__lt=clock.now() - older_than
    ).delete()
    return deleted
