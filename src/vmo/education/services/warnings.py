"""Targeted early warnings: set-based rules over the records, one notice per dedup key.

Each rule is one grouped query returning (person, subject, context); the hit is stored under a
dedup key (kind + subject + period) and notified in the same transaction, so a scan run twice,
or by two workers at once, sends nothing twice. Thresholds are settings with defaults [U].
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, QuerySet, Sum
from django.urls import reverse

from vmo.accounts import selectors as account_selectors
from vmo.core import clock
from vmo.notices.services import notify
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry
from vmo.registry.choices import LicenceStatus
from vmo.violations import selectors as violation_selectors
from vmo.violations.choices import HandlingStatus

from .. import notice_kinds
from ..choices import WarningRule
from ..models import WarningHit
from ..rules import setting

if TYPE_CHECKING:
    pass

KIND: dict[str, str] = {
    WarningRule.VEHICLE_UNHANDLED: notice_kinds.WARN_VEHICLE_UNHANDLED,
    WarningRule.DRIVER_POINTS: notice_kinds.WARN_DRIVER_POINTS,
    WarningRule.INSPECTION_OVERDUE: notice_kinds.WARN_INSPECTION_OVERDUE,
    WarningRule.LICENCE_OVERDUE: notice_kinds.WARN_LICENCE_OVERDUE,
    WarningRule.SAME_PLACE: notice_kinds.WARN_SAME_PLACE,
}
CANCELLED = registry.letters_q(*registry.VEHICLE_CANCELLED)


@dataclass(frozen=True)
class Hit:
    rule: str
    person_id: int
    subject_id: int
    period: str
    context: dict[str, Any]
    per_person: bool = False  # a company's vehicle: each person acting for it is warned once

    @property
    def dedup_key(self) -> str:
        key = f"{KIND[self.rule]}:{self.subject_id}:{self.period}"
        return f"{key}:p{self.person_id}" if self.per_person else key


def _whom(queryset: QuerySet[Any, Any], vehicle: str, today: date) -> Iterator[tuple]:
    """``queryset`` once per way a vehicle's warning reaches a person: (query, path to the
    person's id, whether the person acts for the owning company). The owner of a person's
    vehicle; for a company's, everyone who acts for it today (registry.company_selectors's
    rule, one query per way of acting, the filter and the path sharing their join)."""
    yield (
        queryset.filter(**{f"{vehicle}owner_person__isnull": False}),
        f"{vehicle}owner_person_id",
        False,
    )
    for acting, person in registry.people_acting_paths(f"{vehicle}owner_company", on=today):
        company = {f"{vehicle}owner_company__isnull": False}
        yield queryset.filter(acting, **company), f"{person}_id", True


def _record_whom(records: QuerySet[Any, Any], today: date) -> Iterator[tuple]:
    """As `_whom`, for violation records: whoever answers for each record, the owner at the
    time of the offence (violations.selectors.owner_person_paths, owner_company_paths), so
    after a sale the seller's records warn the seller, not the buyer."""
    for kept, owner in violation_selectors.owner_person_paths():
        yield records.filter(kept), f"{owner}_id", False
    for kept, company in violation_selectors.owner_company_paths():
        for acting, person in registry.people_acting_paths(company, on=today):
            yield records.filter(kept, acting), f"{person}_id", True


def action_link(*, rule: str) -> str:
    """Where the citizen resolves it."""
    if rule in (WarningRule.VEHICLE_UNHANDLED, WarningRule.SAME_PLACE):
        return reverse("violations:list")
    if rule == WarningRule.DRIVER_POINTS:
        return reverse("education:index")
    if rule == WarningRule.INSPECTION_OVERDUE:
        return reverse("catalog:detail", args=["V10"])
    return reverse("catalog:detail", args=["D02"])


def vehicles_unhandled(*, today: date) -> Iterator[Hit]:
    least = setting("VMO_WARN_UNHANDLED_MIN", 3)
    records = violation_selectors.violations().filter(handling_status=HandlingStatus.UNHANDLED)
    rows = [
        (row, per_person)
        for query, person, per_person in _record_whom(records, today)
        for row in query.values("vehicle_id", who=F(person))
        .annotate(n=Count("id", distinct=True))
        .filter(n__gte=least)
        .order_by()
    ]
    plates = registry.plate_labels([r["vehicle_id"] for r, _ in rows])
    for r, per_person in rows:
        # Once a month while it lasts.
        yield Hit(
            WarningRule.VEHICLE_UNHANDLED,
            r["who"],
            r["vehicle_id"],
            f"{today:%Y-%m}",
            {"plate": plates.get(r["vehicle_id"], ""), "count": r["n"]},
            per_person,
        )


def drivers_points(*, today: date) -> Iterator[Hit]:
    least = setting("VMO_WARN_POINTS_MIN", 9)
    # Sums per licence and cycle for cycles that may still be running; only the current one counts.
    rows = (
        registry.points_entries()
        .filter(cycle_start__gt=today - timedelta(days=366))
        .values("licence_id", "cycle_start", "licence__holder_id", "licence__first_issue_date")
        .annotate(total=Sum("points"))
        .filter(total__gte=least, total__lt=registry_rules.FULL_SCORE)
    )
    for r in rows:
        start = registry_rules.cycle_start(r["licence__first_issue_date"], today)
        if start != r["cycle_start"]:
            continue
        yield Hit(
            WarningRule.DRIVER_POINTS,
            r["licence__holder_id"],
            r["licence_id"],
            start.isoformat(),
            {
                "points": r["total"],
                "cycle_end": registry_rules.cycle_end(start).isoformat(),
            },
        )


def inspections_overdue(*, today: date) -> Iterator[Hit]:
    before = today - timedelta(days=setting("VMO_WARN_INSPECTION_OVERDUE_DAYS", 90))
    vehicles = registry.vehicles().filter(inspection_valid_until__lt=before).exclude(CANCELLED)
    rows = [
        (row, per_person)
        for query, person, per_person in _whom(vehicles, "", today)
        for row in query.values("id", "inspection_valid_until", who=F(person)).order_by()
    ]
    plates = registry.plate_labels([r["id"] for r, _ in rows])
    for r, per_person in rows:
        until = r["inspection_valid_until"]
        yield Hit(
            WarningRule.INSPECTION_OVERDUE,
            r["who"],
            r["id"],
            until.isoformat(),
            {"plate": plates.get(r["id"], ""), "until": until.isoformat()},
            per_person,
        )


def licences_overdue(*, today: date) -> Iterator[Hit]:
    before = today - timedelta(days=setting("VMO_WARN_LICENCE_OVERDUE_DAYS", 90))
    rows = (
        registry.licences()
        .filter(valid_to__lt=before)
        .exclude(registry.letters_q(LicenceStatus.CANCELLED, LicenceStatus.REVOKED))
        # Overdue that long with no deferral holding: a deferral (D04) ended since `before`
        # made the renewal due again only on its end (the registry's one rule).
        .exclude(registry.renewal_deferral_in_force_q(on=before))
        .values("id", "holder_id", "valid_to")
    )
    for r in rows:
        yield Hit(
            WarningRule.LICENCE_OVERDUE,
            r["holder_id"],
            r["id"],
            str(r["valid_to"]),
            {"until": str(r["valid_to"])},
        )


def same_place(*, today: date) -> Iterator[Hit]:
    days = setting("VMO_WARN_SAME_PLACE_DAYS", 90)
    since = clock.now() - timedelta(days=days)
    records = (
        violation_selectors.violations()
        .filter(occurred_at__gte=since)
        .exclude(handling_status=HandlingStatus.DELETED)
    )
    rows = [
        (row, per_person)
        for query, person, per_person in _record_whom(records, today)
        for row in query.values("vehicle_id", "place", who=F(person))
        .annotate(n=Count("id", distinct=True), first=Min("occurred_at"))
        .filter(n__gte=setting("VMO_WARN_SAME_PLACE_MIN", 2))
        .order_by()
    ]
    plates = registry.plate_labels([r["vehicle_id"] for r, _ in rows])
    for r, per_person in rows:
        place = r["place"]
        yield Hit(
            WarningRule.SAME_PLACE,
            r["who"],
            r["vehicle_id"],
            f"{today:%Y-%m}:{_place_key(place)}",
            {
                "plate": plates.get(r["vehicle_id"], ""),
                "count": r["n"],
                "place": place,
                "since": clock.local(r["first"]).date().isoformat(),
            },
            per_person,
        )


def _place_key(place: str) -> str:
    return hashlib.sha256(place.encode()).hexdigest()[:12]


RULES = (vehicles_unhandled, drivers_points, inspections_overdue, licences_overdue, same_place)


def warnings_scan(*, today: date | None = None) -> dict[str, int]:
    """Run every rule; returns new warnings per rule."""
    today = today or clock.today()
    counts: dict[str, int] = {}
    for rule in RULES:
        # A person both legal representative and agent of a company is found twice: once.
        hits = list({hit.dedup_key: hit for hit in rule(today=today)}.values())
        if not hits:
            continue
        known = set(
            WarningHit.objects.filter(dedup_key__in=[h.dedup_key for h in hits]).values_list(
                "dedup_key", flat=True
            )
        )
        fresh = [h for h in hits if h.dedup_key not in known]
        accounts = dict(
            account_selectors.users()
            .filter(person_id__in={h.person_id for h in fresh}, is_active=True)
            .values_list("person_id", "pk")
        )
        users = {u.pk: u for u in account_selectors.users().filter(pk__in=accounts.values())}
        for hit in fresh:
            user = users.get(accounts.get(hit.person_id, 0))
            counts[hit.rule] = counts.get(hit.rule, 0) + int(_raise(hit, user))
    return counts


def _raise(hit: Hit, user: Any) -> bool:
    try:
        with transaction.atomic():
            WarningHit.objects.create(
                rule=hit.rule,
                person_id=hit.person_id,
                subject_id=hit.subject_id,
                dedup_key=hit.dedup_key,
                context=hit.context,
                found_at=clock.now(),
            )
            if user is not None:
                notify(
                    kind=KIND[hit.rule],
                    context=hit.context,
                    dedup_key=hit.dedup_key,
                    user=user,
                    link=action_link(rule=hit.rule),
                )
    except IntegrityError:  # another scan stored it first
        return False
    return True
