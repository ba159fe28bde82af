"""Every write of online handling: penalty decisions, nominated drivers, bound vehicles, fines
and the points cycle. Each service is one transaction and writes history; the rules are in
rules.py, and every problem is reported at once before anything is written."""

from __future__ import annotations

import calendar
import logging
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vmo.accounts.models import User
from vmo.core import clock, workdays
from vmo.core.masking import mask_file_number
from vmo.core.money import format_fen
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.notices.services import notify, sms_send
from vmo.payments import selectors as payment_selectors
from vmo.payments import services as payments
from vmo.payments.gateways.base import GatewayError
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry
from vmo.registry import validators
from vmo.registry.choices import CompanyRole, PointsKind
from vmo.registry.models import DriverLicence, Person, PointsEntry, Vehicle, id_lookup_hash
from vmo.registry.selectors import points_in_cycle
from vmo.registry.services import (
    licence_recompute_status,
    points_record,
    vehicle_set_flags,
)

from . import rules
from .choices import HandlingStatus, NominationStatus, PaymentStatus
from .models import (
    BindingCode,
    DecisionCounter,
    DriverNomination,
    PenaltyDecision,
    VehicleBinding,
    Violation,
)

logger = logging.getLogger(__name__)

# PointsEntry.source_type of a violation's points (the demo seed uses it too). Carried entries
# keep it, with the new cycle in the id ("123@2025-06-01"), so a fine can be followed across
# cycles and each carry is written once (the ledger's unique source constraint).
POINTS_SOURCE = "violation"
OTHER_POINTS_SOURCE = "points.cycle"  # the non-violation remainder carried past a full score
FINE_PURPOSE = "fine"
DECISION_SUBJECT = "violations.penaltydecision"
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_MIN_INTERVAL = timedelta(seconds=60)
CODE_HOURLY_LIMIT = 5


def _fail(*messages: str, field: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({field: list(messages)})


def _person_of(actor: Any) -> Person:
    person = getattr(actor, "person", None)
    if person is None or not getattr(actor, "is_citizen", False):
        raise _fail(_("Only a citizen's own account can do this."))
    return person


def violation_day(violation: Violation) -> date:
    return clock.local(violation.occurred_at).date()


def decision_payment_due(decided_on: date) -> date:
    """15 natural days (rules.payment_due); a deadline on a holiday moves to the next working day."""
    return workdays.next_working_day_on_or_after(rules.payment_due(decided_on))


# --- Who may handle a record ----------------------------------------------------------------


def handler_role(*, violation: Violation, person: Person) -> str | None:
    """'owner', 'bound' (a binding made before the violation, W03) or None."""
    vehicle = violation.vehicle
    if vehicle is None:
        return None
    if vehicle.owner_person_id == person.pk:
        return "owner"
    bound = VehicleBinding.objects.filter(
        person=person,
        vehicle=vehicle,
        ended_at__isnull=True,
        bound_at__lt=violation.occurred_at,
    ).exists()
    return "bound" if bound else None


def handling_problems(
    *, violation: Violation, licence: DriverLicence | None, points_now: int
) -> list[rules.Problem]:
    """The rule set of rules.py for this record and this licence, plus the checks on dates."""
    config = office_config()
    vehicle = violation.vehicle
    problems = rules.online_handling_problems(
        source=violation.source,
        code_online=violation.code.online_handleable,
        fine_fen=violation.fine_fen,
        points=violation.points,
        driver_points_now=points_now,
        licence_status=licence.status if licence else None,
        licence_valid_to=licence.valid_to if licence else None,
        licence_classes=licence.class_list if licence else [],
        vehicle_type=vehicle.vehicle_type if vehicle else "",
        today=clock.today(),
        fine_limit_fen=config.online_fine_limit_fen,
    )
    if licence is not None and violation_day(violation) < licence.first_issue_date:
        problems.append(
            rules.Problem(
                "before_licence",
                _("The violation happened before your licence was first issued."),
            )
        )
    return problems


def _points_before(licence: DriverLicence, violation: Violation) -> int:
    """Points already in the cycle these would go into (the cycle of the violation's date)."""
    return points_in_cycle(licence, on=violation_day(violation))


def _next_decision_number(year: int) -> str:
    try:
        with transaction.atomic():
            DecisionCounter.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # made by a concurrent decision a moment ago
    counter = DecisionCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = (office_config().region_code_list or ["6523"])[0][:4]
    return f"{prefix}{year}{counter.last:08d}"


def _clear_vehicle_flag_if_done(vehicle: Vehicle | None, *, actor: Any) -> None:
    if vehicle is None:
        return
    # Locked before looking: a delivery adding a record (and G) waits for us or we for it, so
    # G is never taken off a vehicle that has just received a new record.
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if Violation.objects.filter(vehicle=vehicle, handling_status=HandlingStatus.UNHANDLED).exists():
        return
    if "G" in vehicle.flags:
        vehicle_set_flags(vehicle=vehicle, actor=actor, remove="G", reason="all violations handled")


def _decide(
    *, violation: Violation, actor: Any, licence: DriverLicence, role: str
) -> PenaltyDecision:
    """The record is locked and the handler entitled: check the rules, decide, record points."""
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    problems = handling_problems(
        violation=violation, licence=licence, points_now=_points_before(licence, violation)
    )
    if problems:
        # Each reason keeps its code, so API clients can tell them apart.
        raise ValidationError(
            {NON_FIELD_ERRORS: [ValidationError(str(p), code=p.code) for p in problems]}
        )
    now = clock.now()
    today = now.date()
    decision = PenaltyDecision.objects.create(
        number=_next_decision_number(today.year),
        violation=violation,
        licence=licence,
        decided_by=actor,
        decided_at=now,
        points=violation.points,
        fine_fen=violation.fine_fen,
        payment_due=decision_payment_due(today),
    )
    if violation.points:
        # R163 Art 13: the points are given with the decision, in the cycle of the violation.
        points_record(
            licence=licence,
            actor=actor,
            points=violation.points,
            kind=PointsKind.VIOLATION,
            occurred_on=violation_day(violation),
            source_type=POINTS_SOURCE,
            source_id=str(violation.pk),
            note=violation.code.code,
        )
        _points_notices(licence=licence, violation=violation, decision=decision)
    before = {"handling_status": violation.handling_status}
    violation.handling_status = HandlingStatus.HANDLED
    fields = ["handling_status"]
    if violation.fine_fen == 0:
        violation.payment_status = PaymentStatus.NOT_DUE
        fields.append("payment_status")
    violation.save(update_fields=fields)
    event_record(
        actor=actor,
        subject=violation,
        action="violation.handle",
        before=before,
        after={
            "handling_status": violation.handling_status,
            "decision": decision.number,
            "licence": licence.pk,
            "role": role,
        },
    )
    event_record(
        actor=actor,
        subject=decision,
        action="decision.create",
        after={
            "number": decision.number,
            "points": decision.points,
            "fine_fen": decision.fine_fen,
            "payment_due": decision.payment_due.isoformat(),
        },
    )
    _clear_vehicle_flag_if_done(violation.vehicle, actor=actor)
    notify(
        kind="violation.decision",
        context={
            "plate": violation.plate_number,
            "number": decision.number,
            "points": decision.points,
            "fine": format_fen(decision.fine_fen),
            "due": decision.payment_due.isoformat(),
        },
        dedup_key=f"violation.decision:{decision.pk}",
        user=actor,
    )
    return decision


def _points_notices(
    *, licence: DriverLicence, violation: Violation, decision: PenaltyDecision
) -> None:
    """Tell the holder the points recorded (the full score is told from the status history:
    vmo.notices.scans, letter B)."""
    holder = User.objects.filter(person_id=licence.holder_id).select_related("person").first()
    day = violation_day(violation)
    total = points_in_cycle(licence, on=day)
    code = violation.code
    file = mask_file_number(licence.file_number)
    phone = None if holder is not None else licence.holder.phone
    notify(
        kind="licence.points_recorded",
        context=lambda language: {
            "file": file,
            "points": decision.points,
            "total": total,
            "decision": decision.number,
            "offence": code.description_en if language == "en" else code.description_zh,
        },
        dedup_key=f"licence.points_recorded:{decision.pk}",
        user=holder,
        phone=phone,
    )


@transaction.atomic
def violation_handle(
    *, violation: Violation, actor: Any, licence: DriverLicence | None = None
) -> PenaltyDecision:
    """The owner, or a driver who bound the vehicle before the violation, handles it on their
    own licence. Every problem is reported at once; nothing is written unless all pass."""
    person = _person_of(actor)
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("code", "vehicle")
        .get(pk=violation.pk)
    )
    errors: list[str] = []
    if violation.handling_status != HandlingStatus.UNHANDLED:
        errors.append(_("This record has already been handled."))
    role = handler_role(violation=violation, person=person)
    if role is None:
        errors.append(
            _(
                "You can handle only records of your own vehicles, of vehicles bound to you"
                " (from the binding date on), or records you were named as the driver of."
            )
        )
    if violation.nominations.filter(status=NominationStatus.PENDING).exists():
        errors.append(_("A named driver has not answered yet; wait for their answer."))
    own = DriverLicence.objects.filter(holder=person).first()
    if licence is not None and (own is None or licence.pk != own.pk):
        errors.append(_("A record can be handled only on your own driver's licence."))
    if errors:
        raise _fail(*errors)
    if own is None:
        raise _fail(
            *[str(p) for p in handling_problems(violation=violation, licence=None, points_now=0)]
        )
    return _decide(violation=violation, actor=actor, licence=own, role=role or "")


# --- Naming the driver ----------------------------------------------------------------------


@transaction.atomic
def nomination_create(
    *, violation: Violation, actor: Any, driver_id_number: str
) -> DriverNomination:
    """The owner names who drove; the driver confirms from their own account (then it is
    handled on their licence) or declines."""
    person = _person_of(actor)
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("vehicle")
        .get(pk=violation.pk)
    )
    errors: dict[str, list[str]] = {}
    if violation.vehicle is None or violation.vehicle.owner_person_id != person.pk:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("Only the owner of the vehicle can name the driver.")
        )
    if violation.handling_status != HandlingStatus.UNHANDLED:
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("This record has already been handled."))
    if violation.nominations.filter(status=NominationStatus.PENDING).exists():
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("A driver has already been named for this record and has not answered yet.")
        )
    driver = None
    try:
        validators.validate_id_number(driver_id_number)
    except ValidationError as exc:
        errors.setdefault("driver_id_number", []).extend(exc.messages)
    else:
        driver = Person.objects.filter(id_hash=id_lookup_hash(driver_id_number)).first()
        if driver is not None and driver.pk == person.pk:
            errors.setdefault("driver_id_number", []).append(
                _("That is your own ID number: handle the record yourself instead.")
            )
        elif driver is None or not DriverLicence.objects.filter(holder=driver).exists():
            errors.setdefault("driver_id_number", []).append(
                _("No driver's licence is on record for this ID number.")
            )
    if errors:
        raise ValidationError(errors)
    assert driver is not None
    nomination = DriverNomination.objects.create(
        violation=violation, nominated_by=actor, driver=driver, created_at=clock.now()
    )
    event_record(
        actor=actor,
        subject=violation,
        action="violation.nominate",
        after={"nomination": nomination.pk, "driver": driver.pk},
    )
    notify(
        kind="violation.nominated",
        context={
            "plate": violation.plate_number,
            "place": violation.place,
            "time": clock.local(violation.occurred_at).strftime("%Y-%m-%d %H:%M"),
        },
        dedup_key=f"violation.nominated:{nomination.pk}",
        user=getattr(driver, "account", None),
        phone=driver.phone,
    )
    return nomination


def _lock_pending_nomination(nomination: DriverNomination, person: Person) -> DriverNomination:
    locked = DriverNomination.objects.select_for_update().get(pk=nomination.pk)
    errors = []
    if locked.driver_id != person.pk:
        errors.append(_("Only the named driver can answer."))
    if locked.status != NominationStatus.PENDING:
        errors.append(_("This nomination has already been answered."))
    if errors:
        raise _fail(*errors)
    return locked


def _nomination_answered(nomination: DriverNomination, *, actor: Any, status: str) -> None:
    nomination.status = status
    nomination.decided_at = clock.now()
    nomination.save(update_fields=["status", "decided_at"])
    event_record(
        actor=actor,
        subject=nomination.violation,
        action=f"violation.nomination_{status}",
        after={"nomination": nomination.pk},
    )
    notify(
        kind=f"violation.nomination_{status}",
        context={"plate": nomination.violation.plate_number},
        dedup_key=f"violation.nomination_{status}:{nomination.pk}",
        user=nomination.nominated_by,
    )


@transaction.atomic
def nomination_confirm(*, nomination: DriverNomination, actor: Any) -> PenaltyDecision:
    """The named driver confirms: the record is handled on their licence, all rules applying."""
    person = _person_of(actor)
    nomination = _lock_pending_nomination(nomination, person)
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("code", "vehicle")
        .get(pk=nomination.violation_id)
    )
    if violation.handling_status != HandlingStatus.UNHANDLED:
        raise _fail(_("This record has already been handled."))
    licence = DriverLicence.objects.filter(holder=person).first()
    if licence is None:
        raise _fail(
            *[str(p) for p in handling_problems(violation=violation, licence=None, points_now=0)]
        )
    nomination.violation = violation
    _nomination_answered(nomination, actor=actor, status=NominationStatus.CONFIRMED)
    return _decide(violation=violation, actor=actor, licence=licence, role="nominated")


@transaction.atomic
def nomination_decline(*, nomination: DriverNomination, actor: Any) -> DriverNomination:
    person = _person_of(actor)
    nomination = _lock_pending_nomination(nomination, person)
    _nomination_answered(nomination, actor=actor, status=NominationStatus.DECLINED)
    return nomination


# --- Binding a vehicle that is not one's own (W03) ---------------------------------------


def _owner_phone(vehicle: Vehicle) -> str:
    """Where the owner's consent code goes: the owner, or a company's legal representative."""
    if vehicle.owner_person is not None:
        return vehicle.owner_person.phone
    if vehicle.owner_company_id is None:
        return ""
    representative = (
        Person.objects.filter(
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
    if not DriverLicence.objects.filter(holder=person).exists():
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
    sms_send(
        phone=_owner_phone(vehicle),
        body=_(
            "%(name)s asks to bind your vehicle %(plate)s to handle its violations. If you agree,"
            " give them the code %(code)s (valid 10 minutes). If not, ignore this message."
        )
        % {"name": str(person), "plate": plate, "code": code},
        kind="violation.binding_code",
        one_time_code=True,
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
        Person.objects.select_for_update().get(pk=person.pk)
        vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
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
def binding_end(*, binding: VehicleBinding, actor: Any) -> VehicleBinding:
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


# --- Fines ------------------------------------------------------------------------------------


def decision_amount(decision: PenaltyDecision, *, on: date | None = None) -> rules.AmountDue:
    return rules.amount_due(
        fine_fen=decision.fine_fen, due=decision.payment_due, on=on or clock.today()
    )


def _amount_changes_on(decision: PenaltyDecision, today: date) -> date | None:
    """The next day the amount owed changes (the late fee grows), or None once it is capped."""
    if today <= decision.payment_due:
        return decision.payment_due + timedelta(days=1)
    if today >= rules.fee_growth_stops(fine_fen=decision.fine_fen, due=decision.payment_due):
        return None
    return today + timedelta(days=1)


def fine_pay_start(*, decision: PenaltyDecision, actor: Any, return_url: str) -> str:
    """The payment page for what is owed today (fine + late fee). Only the handler or the
    vehicle's owner may pay; a paid decision cannot be paid again."""
    person = _person_of(actor)
    # A payment made but not yet reported must be found before a second one is asked for.
    decision = fine_payment_refresh(decision=decision)
    decision = PenaltyDecision.objects.select_related("violation__vehicle").get(pk=decision.pk)
    owner_id = decision.violation.vehicle.owner_person_id if decision.violation.vehicle else None
    errors = []
    if actor.pk != decision.decided_by_id and person.pk != owner_id:
        errors.append(_("Only the person who handled the record or the owner can pay this fine."))
    if decision.paid_at is not None:
        errors.append(_("This fine has already been paid."))
    if decision.fine_fen == 0:
        errors.append(_("There is no fine to pay for this decision."))
    if errors:
        raise _fail(*errors)
    today = clock.today()
    owed = decision_amount(decision, on=today)
    changes_on = _amount_changes_on(decision, today)
    # The order must not outlive its amount: the late fee grows at midnight.
    expires_at = (
        datetime.combine(changes_on, time.min, tzinfo=clock.OFFICE_TZ) if changes_on else None
    )
    if expires_at is not None and expires_at - clock.now() > timedelta(hours=2):
        expires_at = None
    order = payments.order_create(
        payer=actor,
        purpose=FINE_PURPOSE,
        subject_type=DECISION_SUBJECT,
        subject_id=str(decision.pk),
        amount_fen=owed.total_fen,
        description=_("Traffic fine, decision %(number)s") % {"number": decision.number},
        expires_at=expires_at,
    )
    if order.is_settled:
        raise _fail(_("This fine has already been paid."))
    return payments.order_start(order=order, return_url=return_url)


def fine_payment_refresh(*, decision: PenaltyDecision) -> PenaltyDecision:
    """Back from the payment page: ask the gateway at once, so a paid fine shows paid now."""
    order = payment_selectors.order_for_subject(
        subject_type=DECISION_SUBJECT, subject_id=str(decision.pk), purpose=FINE_PURPOSE
    )
    if order is not None and not order.is_settled:
        try:
            payments.order_refresh(order=order)
        except GatewayError:
            logger.warning("violations.fine_refresh_failed decision=%s", decision.pk)
    return PenaltyDecision.objects.get(pk=decision.pk)


def fine_paid(order: Any) -> None:
    """payments.hooks.on_paid("fine"): runs inside the transaction that credits the order."""
    if order.subject_type != DECISION_SUBJECT:
        return
    decision = (
        PenaltyDecision.objects.select_for_update(of=("self",))
        .select_related("violation")
        .get(pk=int(order.subject_id))
    )
    if decision.paid_at is not None:
        return
    decision.paid_at = order.paid_at or clock.now()
    decision.paid_fen = order.paid_amount_fen
    decision.save(update_fields=["paid_at", "paid_fen"])
    violation = decision.violation
    violation.payment_status = PaymentStatus.PAID
    violation.save(update_fields=["payment_status"])
    event_record(
        actor=order.payer,
        subject=decision,
        action="decision.paid",
        after={"order": order.reference, "paid_fen": decision.paid_fen},
    )
    event_record(
        actor=order.payer,
        subject=violation,
        action="violation.paid",
        before={"payment_status": PaymentStatus.UNPAID},
        after={"payment_status": PaymentStatus.PAID, "order": order.reference},
    )
    notify(
        kind="violation.fine_paid",
        context={"amount": format_fen(decision.paid_fen), "number": decision.number},
        dedup_key=f"violation.fine_paid:{decision.pk}",
        user=order.payer,
    )


# --- The points cycle -------------------------------------------------------------------------


def _violation_id(entry: PointsEntry) -> int:
    return int(entry.source_id.split("@")[0])


@transaction.atomic
def points_cycle_rollover(*, licence: DriverLicence, on: date) -> list[PointsEntry]:
    """Close the cycle that ended before `on`'s cycle (R163 Art 15). Idempotent: what was carried
    once is not carried again. Returns the entries written now."""
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    first = licence.first_issue_date
    new_start = registry_rules.cycle_start(first, on)
    if new_start <= first:
        return []
    last_day = new_start - timedelta(days=1)
    old_start = registry_rules.cycle_start(first, last_day)
    by_violation: dict[int, int] = defaultdict(int)
    other = 0
    for entry in PointsEntry.objects.filter(licence=licence, cycle_start=old_start):
        if entry.source_type == POINTS_SOURCE and entry.source_id:
            by_violation[_violation_id(entry)] += entry.points
        else:
            other += entry.points
    end = datetime.combine(new_start, time.min, tzinfo=clock.OFFICE_TZ)
    decisions = {
        d.violation_id: d for d in PenaltyDecision.objects.filter(violation_id__in=by_violation)
    }
    statuses = dict(
        Violation.objects.filter(pk__in=by_violation).values_list("pk", "payment_status")
    )
    items = []
    for violation_id, points in by_violation.items():
        decision = decisions.get(violation_id)
        if decision is not None:
            # As it stood when the cycle ended: a later payment does not change the past.
            paid = decision.fine_fen == 0 or (
                decision.paid_at is not None and decision.paid_at < end
            )
            due = decision.payment_due
        else:
            paid = statuses.get(violation_id) != PaymentStatus.UNPAID
            due = None
        items.append(rules.CycleItem(violation_id, points, paid, due))
    carry, other_carry = rules.points_to_carry(items=items, other_points=other, last_day=last_day)
    suffix = f"@{new_start.isoformat()}"
    wanted = [(POINTS_SOURCE, f"{vid}{suffix}", pts) for vid, pts in sorted(carry.items())]
    if other_carry:
        wanted.append((OTHER_POINTS_SOURCE, f"{licence.pk}{suffix}", other_carry))
    done = set(
        PointsEntry.objects.filter(
            licence=licence, cycle_start=new_start, kind=PointsKind.CARRY_OVER
        ).values_list("source_type", "source_id")
    )
    written = [
        points_record(
            licence=licence,
            actor=None,
            points=points,
            kind=PointsKind.CARRY_OVER,
            occurred_on=new_start,
            source_type=source_type,
            source_id=source_id,
            note=f"carried from the cycle {old_start.isoformat()} – {last_day.isoformat()}",
        )
        for source_type, source_id, points in wanted
        if (source_type, source_id) not in done
    ]
    if written:
        event_record(
            actor=None,
            subject=licence,
            action="points.carry_over",
            after={
                "from_cycle": old_start.isoformat(),
                "to_cycle": new_start.isoformat(),
                "points": sum(e.points for e in written),
            },
            reason="R163 Art 15",
        )
    else:
        licence_recompute_status(licence=licence, reason="cycle ended")
    return written


def licences_starting_cycle(day: date) -> Any:
    """Licences whose new cycle starts on `day` and that have points on record (set-based)."""
    anniversary = Q(first_issue_date__month=day.month, first_issue_date__day=day.day)
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        # A licence first issued on 29 February starts its cycles on the 28th in common years.
        anniversary |= Q(first_issue_date__month=2, first_issue_date__day=29)
    with_points = PointsEntry.objects.values("licence_id")
    return DriverLicence.objects.filter(
        anniversary, first_issue_date__lt=day, pk__in=with_points
    ).order_by("pk")


def points_rollover_for_day(*, day: date) -> int:
    """Roll over every licence whose cycle started on `day`; one transaction per licence."""
    count = 0
    for licence in licences_starting_cycle(day).iterator(chunk_size=500):
        points_cycle_rollover(licence=licence, on=day)
        count += 1
    return count


def binding_codes_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete owners' consent codes a day past their expiry: only their hashes, but no use kept."""
    deleted, _by_model = BindingCode.objects.filter(
        expires_at__lt=clock.now() - older_than
    ).delete()
    return deleted
