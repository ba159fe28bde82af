"""The officers' side of camera records: finding them, voiding one entered in error (RP Art 22),
and keeping the code table. Reads first, then the writes (each one transaction, with history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vmo.core import clock
from vmo.core.selectors import events_for
from vmo.core.services import event_record
from vmo.registry import selectors as registry
from vmo.registry import validators
from vmo.registry.choices import VehicleStatus
from vmo.registry.services import vehicle_set_flags

from .choices import HandlingStatus, NominationStatus, PaymentStatus
from .models import DriverNomination, IntakeBatch, IntakeRejection, Violation, ViolationCode

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.core.models import Event

LEGAL_POINTS = (0, 1, 3, 6, 9, 12)  # R163 Art 8-12: the only point values an offence carries
REASON_MAX = 500


class VoidGround(models.TextChoices):
    """RP Art 22: the grounds on which a camera record is erased within 3 days of verification."""

    EMERGENCY = "1", gettext_lazy("emergency vehicle on an urgent task (Art 22(1))")
    STOLEN_OR_CLONED = "2", gettext_lazy("vehicle stolen or plate used by others (Art 22(2))")
    NECESSITY = "3", gettext_lazy("rescue or emergency avoidance (Art 22(3))")
    HANDLED_ON_SITE = "4", gettext_lazy("already handled on the spot by an officer (Art 22(4))")
    SIGNALS = "5", gettext_lazy("conflicting traffic signals (Art 22(5))")
    UNCLEAR = (
        "6",
        gettext_lazy("record does not clearly show vehicle, time, place or fact (Art 22(6))"),
    )
    WRONG_PLATE = "7", gettext_lazy("plate read wrongly (Art 22(7))")
    OTHER = "8", gettext_lazy("other ground for erasure (Art 22(8))")


# --- Reads ---------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.OFFICE_TZ)


def violations_search(
    *,
    plate: str = "",
    record_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    code: ViolationCode | None = None,
    handling_status: int | None = None,
) -> QuerySet[Violation]:
    """Records matching every criterion given, newest first (exact plate and record id; dates
    are office days, both ends included)."""
    rows = Violation.objects.select_related("code")
    if plate:
        rows = rows.filter(plate_number=validators.normalise_plate(plate))
    if record_id:
        rows = rows.filter(record_id=record_id.strip())
    if date_from is not None:
        rows = rows.filter(occurred_at__gte=_day_start(date_from))
    if date_to is not None:
        rows = rows.filter(occurred_at__lt=_day_start(date_to + timedelta(days=1)))
    if code is not None:
        rows = rows.filter(code=code)
    if handling_status is not None:
        rows = rows.filter(handling_status=handling_status)
    return rows.order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class ViolationFile:
    violation: Violation
    events: list[Event]
    other_unhandled: int  # the vehicle's other unhandled records
    vehicle_statuses: list[tuple[str, str]]  # its status letters, each with its label


def violation_file(pk: int) -> ViolationFile:
    """One record with its vehicle, owner, batch and history, in a fixed number of queries."""
    violation = Violation.objects.select_related(
        "code", "batch", "vehicle", "vehicle__owner_person", "vehicle__owner_company"
    ).get(pk=pk)
    other = 0
    if violation.vehicle_id is not None:
        other = (
            Violation.objects.filter(
                vehicle_id=violation.vehicle_id, handling_status=HandlingStatus.UNHANDLED
            )
            .exclude(pk=violation.pk)
            .count()
        )
    return ViolationFile(
        violation=violation,
        events=list(events_for(violation).order_by("occurred_at", "id")),
        other_unhandled=other,
        vehicle_statuses=(
            registry.status_labels(violation.vehicle.status, VehicleStatus)
            if violation.vehicle
            else []
        ),
    )


def intake_batches() -> QuerySet[IntakeBatch]:
    return IntakeBatch.objects.select_related("client", "submitted_by").order_by(
        "-received_at", "-id"
    )


def intake_batch(pk: int) -> IntakeBatch:
    return intake_batches().get(pk=pk)


def batch_rejections(batch: IntakeBatch) -> QuerySet[IntakeRejection]:
    return IntakeRejection.objects.filter(batch=batch).order_by("line", "id")


# --- Writes --------------------------------------------------------------------------------


@transaction.atomic
def violation_void(
    *, violation: Violation, actor: User, reason: str, ground: str = "8"
) -> Violation:
    """Erase a record entered in error (RP Art 22): it stays on file as deleted (-1), with the
    ground and the reason in its history; the vehicle's G letter goes when nothing else is
    unhandled. Only an unhandled record can be voided: a decided one is changed by revising
    its decision, not by erasing the record."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [
            _("Give the reason for voiding this record: it is kept in its history.")
        ]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [
            _("The reason is at most %(limit)s characters.") % {"limit": REASON_MAX}
        ]
    if ground not in VoidGround.values:
        errors["ground"] = [_("Choose the ground in RP Article 22 that applies.")]
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    if violation.handling_status != HandlingStatus.UNHANDLED:
        errors.setdefault("__all__", []).append(
            _("Only an unhandled record can be voided; this one is %(status)s.")
            % {"status": violation.get_handling_status_display()}
        )
    if errors:
        raise ValidationError(errors)
    before = {
        "handling_status": violation.handling_status,
        "payment_status": violation.payment_status,
    }
    violation.handling_status = HandlingStatus.DELETED
    violation.payment_status = PaymentStatus.NOT_DUE
    violation.save(update_fields=["handling_status", "payment_status"])
    # A driver can no longer confirm a nomination for an erased record.
    now = clock.now()
    DriverNomination.objects.filter(violation=violation, status=NominationStatus.PENDING).update(
        status=NominationStatus.EXPIRED, decided_at=now
    )
    event_record(
        actor=actor,
        subject=violation,
        action="violation.void",
        before=before,
        after={
            "handling_status": violation.handling_status,
            "payment_status": violation.payment_status,
            "ground": ground,
        },
        reason=reason,
    )
    vehicle = violation.vehicle
    if (
        vehicle is not None
        and VehicleStatus.VIOLATIONS_UNHANDLED in vehicle.flags
        and not Violation.objects.filter(
            vehicle=vehicle, handling_status=HandlingStatus.UNHANDLED
        ).exists()
    ):
        vehicle_set_flags(
            vehicle=vehicle,
            actor=actor,
            remove=VehicleStatus.VIOLATIONS_UNHANDLED,
            reason=f"record {violation.record_id} voided; no unhandled record left",
        )
    return violation


def _code_problems(code: ViolationCode) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not code.code.isdigit() or not 4 <= len(code.code) <= 5:
        errors["code"] = [_("A violation code has 4 or 5 digits.")]
    if code.points not in LEGAL_POINTS:
        errors["points"] = [_("Points are 0, 1, 3, 6, 9 or 12 (R163 Articles 8 to 12).")]
    if code.fine_min_fen > code.fine_max_fen:
        errors["fine_max_fen"] = [_("The highest fine cannot be below the lowest fine.")]
    return errors


_CODE_FIELDS = [
    "code",
    "description_zh",
    "description_en",
    "points",
    "fine_min_fen",
    "fine_max_fen",
    "legal_basis",
    "online_handleable",
    "speed_required",
]


@transaction.atomic
def violation_code_save(*, code: ViolationCode, actor: User, reason: str = "") -> ViolationCode:
    """Add or change a code of the table (administrators). Records already entered keep the
    points and fine they were entered with; the change applies to records entered after it."""
    errors = _code_problems(code)
    if errors:
        raise ValidationError(errors)
    before: dict[str, Any] = {}
    if code.pk is not None:
        old = ViolationCode.objects.select_for_update().get(pk=code.pk)
        before = {name: getattr(old, name) for name in _CODE_FIELDS}
    code.full_clean()
    code.save()
    after = {name: getattr(code, name) for name in _CODE_FIELDS}
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    event_record(
        actor=actor,
        subject=code,
        action="violation_code.update" if before else "violation_code.create",
        before={k: before[k] for k in changed if k in before},
        after=changed,
        reason=reason,
    )
    return code
