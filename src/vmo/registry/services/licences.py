"""Writes of driver's licences: creation, status letters, the points ledger, dates and
reissues. Each service is one transaction and writes history."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record, events_record_bulk

from .. import rules
from ..choices import PointsKind
from ..deferrals import renewal_deferral_ended_q
from ..models import (
    DriverLicence,
    FullScoreReached,
    Person,
    PointsEntry,
)
from ..selectors import points_in_cycle

if TYPE_CHECKING:
    from vmo.accounts.models import User

from ._flags import _changed_flags, status_store


def _apply_licence_status(
    *, licence: DriverLicence, actor: User | None, reason: str
) -> DriverLicence:
    today = clock.today()
    status = rules.licence_status(
        flags=licence.flags,
        points=points_in_cycle(licence, on=today),
        valid_to=licence.valid_to,
        verification_due=licence.verification_due,
        renewal_deferred_until=licence.renewal_deferred_until,
        today=today,
    )
    status_store(record=licence, status=status, action="licence.status", actor=actor, reason=reason)
    return licence


@transaction.atomic
def licence_recompute_status(
    *, licence: DriverLicence, actor: User | None = None, reason: str = ""
) -> DriverLicence:
    """The one place a licence's status letters are derived from its facts."""
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    return _apply_licence_status(licence=licence, actor=actor, reason=reason)


@transaction.atomic
def licence_set_flags(
    *, licence: DriverLicence, actor: User | None, add: str = "", remove: str = "", reason: str
) -> DriverLicence:
    if not reason:
        raise ValidationError(
            _("A reason is required to change a licence's status."), code="reason_required"
        )
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    licence.flags = _changed_flags(
        licence.flags, add=add, remove=remove, derived=rules.LICENCE_DERIVED
    )
    return _apply_licence_status(licence=licence, actor=actor, reason=reason)


@transaction.atomic
def licence_create(
    *,
    actor: User | None,
    holder: Person,
    file_number: str,
    classes: str,
    first_issue_date: date,
    valid_from: date,
    valid_to: date | None,
    probation_until: date | None = None,
    verification_due: date | None = None,
    physical_due: date | None = None,
) -> DriverLicence:
    licence = DriverLicence(
        holder=holder,
        file_number=file_number,
        classes=classes,
        first_issue_date=first_issue_date,
        valid_from=valid_from,
        valid_to=valid_to,
        probation_until=probation_until,
        verification_due=verification_due,
        physical_due=physical_due,
    )
    licence.full_clean()
    licence.save()
    event_record(actor=actor, subject=licence, action="licence.create", after={"classes": classes})
    return _apply_licence_status(licence=licence, actor=actor, reason="issued")


@transaction.atomic
def points_record(
    *,
    licence: DriverLicence,
    actor: User | None,
    points: int,
    kind: str,
    occurred_on: date,
    source_type: str = "",
    source_id: str = "",
    note: str = "",
) -> PointsEntry:
    """Append to the points ledger in the cycle of the date, then re-derive the status."""
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    entry = PointsEntry.objects.create(
        licence=licence,
        cycle_start=rules.cycle_start(licence.first_issue_date, occurred_on),
        occurred_on=occurred_on,
        points=points,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        note=note,
    )
    event_record(
        actor=actor,
        subject=licence,
        action="points.record",
        after={"points": points, "kind": kind, "source": f"{source_type}:{source_id}"},
    )
    # A clearing undone (a falsified exam's result void, R163 Art 31) revives the full score it
    # had cleared: it is no second full score of the cycle (Art 22).
    if points > 0 and kind != PointsKind.CLEARED:
        _full_score_note(licence=licence, entry=entry, actor=actor)
    _apply_licence_status(licence=licence, actor=actor, reason=f"points {points:+d}")
    return entry


def _full_score_note(*, licence: DriverLicence, entry: PointsEntry, actor: User | None) -> None:
    """Record the full score the entry completes: the cycle's total crossed 12 (R163 Art 17).
    After the exam clears the points (Art 23) the total starts again from zero, so a second
    crossing is the cycle's second full score (Art 22)."""
    total = int(
        PointsEntry.objects.filter(licence=licence, cycle_start=entry.cycle_start).aggregate(
            total=Sum("points")
        )["total"]
        or 0
    )
    if not total - entry.points < rules.FULL_SCORE <= total:
        return
    occurrence = (
        FullScoreReached.objects.filter(licence=licence, cycle_start=entry.cycle_start).count() + 1
    )
    reached = FullScoreReached.objects.create(
        licence=licence,
        cycle_start=entry.cycle_start,
        occurrence=occurrence,
        reached_on=entry.occurred_on,
        points=total,
    )
    event_record(
        actor=actor,
        subject=licence,
        action="points.full_score",
        after={"cycle_start": str(reached.cycle_start), "occurrence": occurrence},
        reason="R163 Art 17",
    )


LICENCE_DATES = (
    "valid_from",
    "valid_to",
    "verification_due",
    "physical_due",
    "probation_until",
    "renewal_deferred_until",
)


@transaction.atomic
def licence_update_dates(
    *, licence: DriverLicence, actor: User | None, reason: str, **changes: date | None
) -> DriverLicence:
    """Change a licence's validity or due dates (a renewal, a deferral, a proof submitted),
    with the history of before and after, then re-derive its status."""
    unknown = set(changes) - set(LICENCE_DATES)
    if unknown:
        raise ValueError(f"not a licence date: {sorted(unknown)}")
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    before = {name: str(getattr(licence, name)) for name in changes}
    for name, value in changes.items():
        setattr(licence, name, value)
    licence.full_clean(exclude=["holder"])
    licence.save()
    event_record(
        actor=actor,
        subject=licence,
        action="licence.dates",
        before=before,
        after={name: str(value) for name, value in changes.items()},
        reason=reason,
    )
    return _apply_licence_status(licence=licence, actor=actor, reason=reason)


@transaction.atomic
def licence_reissue(*, licence: DriverLicence, actor: User | None, reason: str) -> DriverLicence:
    """A new card for the same licence (replacement, exchange): the old card is void."""
    event_record(actor=actor, subject=licence, action="licence.reissue", reason=reason)
    return licence


DEFERRAL_ENDED_REASON = "R162 Art 75: the renewal deferral ended"


@transaction.atomic
def licences_deferral_ended_recompute(*, day: date | None = None) -> int:
    """The stored status of licences whose renewal deferral (N, D04) has ended drops the N
    (and an expired one reads M): the pages and the API derive it on every read, the officers'
    lists and the status lists read the stored letters. Run by the daily beat; set-based: one
    locking read of exactly those licences (their stored status still holds N), one UPDATE per
    resulting status, one INSERT of their ``licence.status`` events. A second run finds none.
    Returns the licences changed."""
    day = day or clock.today()
    rows = list(
        DriverLicence.objects.select_for_update(no_key=True)
        .filter(renewal_deferral_ended_q(on=day), status__contains="N")
        .order_by("pk")
        .values_list(
            "pk", "flags", "status", "valid_to", "verification_due", "renewal_deferred_until"
        )
    )
    groups: dict[str, list[int]] = {}
    changes = []
    for pk, flags, status, valid_to, verification_due, deferred_until in rows:
        # Only the deferral's end changed: the points' letter B is as the ledger last stored it.
        new = rules.licence_status(
            flags=flags,
            points=rules.FULL_SCORE if "B" in status else 0,
            valid_to=valid_to,
            verification_due=verification_due,
            today=day,
            renewal_deferred_until=deferred_until,
        )
        if new != status:
            groups.setdefault(new, []).append(pk)
            changes.append((DriverLicence(pk=pk), {"status": status}, {"status": new}))
    now = clock.now()
    for new, pks in groups.items():
        DriverLicence.objects.filter(pk__in=pks).update(status=new, updated_at=now)
    return events_record_bulk(
        actor=None, action="licence.status", changes=changes, reason=DEFERRAL_ENDED_REASON
    )
