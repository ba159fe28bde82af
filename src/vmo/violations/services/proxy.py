"""The anti-proxy list (DOMAIN §4, the platform's rule against handling records for money):
within a year, one driver who handled records of three or more different vehicles that are not
their own, or one vehicle whose records three or more drivers other than its owner handled, is
listed; online handling is suspended for that driver or vehicle until an officer clears it.
And a named driver who never answers: the nomination expires and the record is the owner's
again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vmo.accounts import selectors as account_selectors
from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.core.services import event_record
from vmo.notices.services import notify
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry

from ..choices import DecisionChannel, NominationStatus, ProxyKind
from ..models import DriverNomination, PenaltyDecision, ProxySuspect
from ..selectors import company_at_the_time, owner_at_the_time, owner_from
from .common import _fail

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Person, Vehicle

    from ..models import Violation

PROXY_MONTHS = 12  # "within a year"; the day a year back is still within (以内 includes it)


def _proxy_window_start(today: date) -> datetime:
    """The first moment of the year that counts: the same date a year back, at midnight."""
    start = registry_rules.add_months(today, -PROXY_MONTHS)
    return datetime.combine(start, time.min, tzinfo=clock.OFFICE_TZ)


def _since(*, kind: str, person: Person | None = None, vehicle: Vehicle | None = None) -> datetime:
    """The year back, or the last clearing if later: an officer's clearing covers what was seen."""
    since = _proxy_window_start(clock.today())
    cleared = ProxySuspect.objects.filter(kind=kind, cleared_at__isnull=False)
    cleared = (
        cleared.filter(person=person)
        if kind == ProxyKind.DRIVER
        else cleared.filter(vehicle=vehicle)
    )
    last = cleared.order_by("-cleared_at").values_list("cleared_at", flat=True).first()
    return max(since, last) if last else since


def _non_own_rows(decisions: QuerySet[PenaltyDecision]) -> list[tuple[int, int, str]]:
    """(holder, vehicle, number) of the decisions on vehicles the holder did not own when the
    record was entered (`visibility.owner_from`). Filtered in Python: a company's vehicle has
    no owner person, and SQL's NULL would drop it from a negated comparison. A person's or a
    vehicle's year holds few decisions."""
    rows = []
    for holder, vehicle, kept_person, kept_company, vehicle_person, number in decisions.values_list(
        "licence__holder_id",
        "violation__vehicle_id",
        "violation__owner_person_id",
        "violation__owner_company_id",
        "violation__vehicle__owner_person_id",
        "number",
    ):
        owner = owner_from(
            kept_person=kept_person, kept_company=kept_company, vehicle_person=vehicle_person
        )
        if vehicle is not None and holder != owner:
            rows.append((holder, vehicle, number))
    return rows


@dataclass(frozen=True)
class ProxyCount:
    """What the year shows for a driver or a vehicle, against the office's limit."""

    kind: str
    distinct: list[int]  # vehicle pks (driver kind) or holder person pks (vehicle kind)
    decisions: list[str]
    limit: int

    @property
    def reached(self) -> bool:
        return self.limit > 0 and len(self.distinct) >= self.limit


def proxy_count_driver(*, person: Person) -> ProxyCount:
    since = _since(kind=ProxyKind.DRIVER, person=person)
    decisions = PenaltyDecision.objects.filter(
        licence__holder=person, channel=DecisionChannel.ONLINE, decided_at__gte=since
    ).order_by("decided_at")
    rows = _non_own_rows(decisions)
    vehicles = list(dict.fromkeys(vehicle for _holder, vehicle, _n in rows))
    return ProxyCount(
        kind=ProxyKind.DRIVER,
        distinct=vehicles,
        decisions=[number for *_rest, number in rows],
        limit=office_config().proxy_vehicles_per_driver,
    )


def proxy_count_vehicle(*, vehicle: Vehicle) -> ProxyCount:
    since = _since(kind=ProxyKind.VEHICLE, vehicle=vehicle)
    decisions = PenaltyDecision.objects.filter(
        violation__vehicle=vehicle, channel=DecisionChannel.ONLINE, decided_at__gte=since
    ).order_by("decided_at")
    rows = _non_own_rows(decisions)
    drivers = list(dict.fromkeys(holder for holder, _vehicle, _n in rows))
    return ProxyCount(
        kind=ProxyKind.VEHICLE,
        distinct=drivers,
        decisions=[number for *_rest, number in rows],
        limit=office_config().proxy_drivers_per_vehicle,
    )


def _list(
    count: ProxyCount, *, person: Person | None, vehicle: Vehicle | None
) -> ProxySuspect | None:
    try:
        with transaction.atomic():
            suspect = ProxySuspect.objects.create(
                kind=count.kind,
                person=person,
                vehicle=vehicle,
                listed_at=clock.now(),
                evidence={
                    "decisions": count.decisions,
                    "vehicles" if count.kind == ProxyKind.DRIVER else "drivers": count.distinct,
                },
            )
    except IntegrityError:
        return None  # already open (a concurrent decision listed it a moment ago)
    event_record(
        actor=None,
        subject=suspect,
        action="proxy.list",
        after={"kind": count.kind, "count": len(count.distinct), "limit": count.limit},
    )
    if person is not None:
        who = getattr(person, "account", None)
        phone = person.phone
        plate = ""
    else:
        assert vehicle is not None
        owner = vehicle.owner_person
        who = getattr(owner, "account", None) if owner is not None else None
        phone = owner.phone if owner is not None else ""
        plate = registry.plate_label(vehicle)
    notify(
        kind=f"violation.proxy_{count.kind}",
        context={"count": len(count.distinct), "plate": plate},
        dedup_key=f"violation.proxy:{suspect.pk}",
        user=who,
        phone=phone or None,
    )
    return suspect


def proxy_check_after(*, decision: PenaltyDecision, violation: Violation) -> list[ProxySuspect]:
    """After an online decision on a vehicle not the holder's: list the driver or the vehicle
    if the year now reaches the limit. Called in the decision's transaction."""
    vehicle = violation.vehicle
    holder = decision.licence.holder
    if vehicle is None or owner_at_the_time(violation) == holder.pk:
        return []
    listed = []
    open_cases = ProxySuspect.objects.filter(cleared_at__isnull=True)
    if not open_cases.filter(kind=ProxyKind.DRIVER, person=holder).exists():
        count = proxy_count_driver(person=holder)
        if count.reached and (row := _list(count, person=holder, vehicle=None)):
            listed.append(row)
    if not open_cases.filter(kind=ProxyKind.VEHICLE, vehicle=vehicle).exists():
        count = proxy_count_vehicle(vehicle=vehicle)
        if count.reached and (row := _list(count, person=None, vehicle=vehicle)):
            listed.append(row)
    return listed


@transaction.atomic
def proxy_suspect_clear(*, suspect: ProxySuspect, actor: User, reason: str) -> ProxySuspect:
    """An officer who checked the case clears it: online handling opens again, and the year
    counts afresh from now. The permission is checked by the view (violations.proxy_clear)."""
    suspect = ProxySuspect.objects.select_for_update().get(pk=suspect.pk)
    problems = []
    if suspect.cleared_at is not None:
        problems.append(_("This case has already been cleared."))
    if not reason.strip():
        problems.append(_("Give the reason for clearing: what you checked."))
    if problems:
        raise _fail(*problems)
    suspect.cleared_at = clock.now()
    suspect.cleared_by = actor
    suspect.clear_reason = reason.strip()
    suspect.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])
    event_record(
        actor=actor,
        subject=suspect,
        action="proxy.clear",
        before={"cleared": False},
        after={"cleared": True},
        reason=suspect.clear_reason,
    )
    return suspect


# --- Nominations the driver never answers -------------------------------------------------------


def nomination_answer_by(*, created_at: datetime) -> date:
    """The last day the named driver may answer: the office's number of natural days after the
    day of the nomination [U: local practice; the days are configuration]."""
    days = office_config().nomination_answer_days
    return clock.local(created_at).date() + timedelta(days=days)


def nomination_expired(*, nomination: DriverNomination, today: date | None = None) -> bool:
    return (today or clock.today()) > nomination_answer_by(created_at=nomination.created_at)


def nomination_outcome_notify(*, nomination: DriverNomination, kind: str) -> None:
    """Tell the owner's side how a nomination ended: the owner who named the driver or, for a
    company's vehicle, everyone who acts for the company today (registry's one rule), each once:
    an agent whose authorisation ended since is no longer told, the legal representative is."""
    violation = nomination.violation
    company = company_at_the_time(violation)
    if company is None:
        told = [(nomination.nominated_by, "")]
    else:
        people = registry.people_acting_for(company)
        told = [
            (u, f":p{u.person_id}") for u in account_selectors.users().filter(person__in=people)
        ]
    for user, part in told:
        notify(
            kind=kind,
            context={"plate": violation.plate_number},
            dedup_key=f"{kind}:{nomination.pk}{part}",
            user=user,
        )


def nominations_expire(*, today: date | None = None) -> int:
    """Daily: pending nominations past their last day expire; the owner is told and may handle
    the record or name someone else. Safe to run twice (only pending rows change)."""
    today = today or clock.today()
    days = office_config().nomination_answer_days
    # Created before the start of (today - days): their last day was yesterday or earlier.
    cutoff = datetime.combine(today - timedelta(days=days), time.min, tzinfo=clock.OFFICE_TZ)
    expired = 0
    ids = list(
        DriverNomination.objects.filter(
            status=NominationStatus.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            nomination = (
                DriverNomination.objects.select_for_update(of=("self",))
                .select_related("violation")
                .get(pk=pk)
            )
            if nomination.status != NominationStatus.PENDING:
                continue
            nomination.status = NominationStatus.EXPIRED
            nomination.decided_at = clock.now()
            nomination.save(update_fields=["status", "decided_at"])
            event_record(
                actor=None,
                subject=nomination.violation,
                action="violation.nomination_expired",
                after={"nomination": nomination.pk},
            )
            nomination_outcome_notify(nomination=nomination, kind="violation.nomination_expired")
            expired += 1
    return expired
