"""Duties that come with age (R162 as amended by Order 172, Arts 65 and 74): the holder of a
large or medium class is told, before turning 63, to exchange it for a small-car class within
30 days; a holder turning 70 gets the yearly physical-condition proof, due from the birth date
(the proof business D06 then moves it a year on). Set-based candidates, idempotent writes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

from vmo.notices.services import Recipient, notify_bulk
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry_selectors
from vmo.registry import services as registry_services
from vmo.registry.choices import LARGE_CLASSES

from . import notice_kinds

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence

# How long before the 63rd birthday the holder is told [U: the text says only "notify"].
EXCHANGE_NOTICE_DAYS = 90
_CANCELLED = ("E", "F", "G")


def _classes_q() -> Q:
    q = Q()
    for code in sorted(LARGE_CLASSES):
        q |= Q(classes__contains=code)
    return q


def _active() -> Q:
    q = Q()
    for letter in _CANCELLED:
        q |= Q(status__contains=letter)
    return ~q


def exchange_candidates(day: date) -> Iterator[tuple[DriverLicence, date]]:
    """Licences with a large or medium class whose holder turns 63 within the notice period, or
    turned 63 within the 30 days of the exchange (R162 Art 65)."""
    # Birth dates a day wider than needed (29 February); the exact day is checked per row.
    age = registry_rules.CLASS_EXCHANGE_AGE
    earliest = registry_rules.add_months(
        day - timedelta(days=registry_rules.EXCHANGE_DAYS + 1), -12 * age
    )
    latest = registry_rules.add_months(day + timedelta(days=EXCHANGE_NOTICE_DAYS + 1), -12 * age)
    rows = (
        registry_selectors.licences()
        .filter(_classes_q(), _active())
        .filter(holder__birth_date__gte=earliest, holder__birth_date__lte=latest)
        .select_related("holder__account")
        .order_by("pk")
    )
    for licence in rows.iterator(chunk_size=2000):
        if not set(licence.class_list) & LARGE_CLASSES:
            continue
        turns = registry_rules.class_exchange_day(licence.holder.birth_date)
        if (
            turns - timedelta(days=EXCHANGE_NOTICE_DAYS)
            <= day
            <= turns + timedelta(days=registry_rules.EXCHANGE_DAYS)
        ):
            yield licence, turns


def scan_class_exchange(*, day: date, publish: bool = True) -> int:
    """One notice per licence and 63rd birthday (R162 Art 65)."""

    def recipients() -> Iterator[Recipient]:
        for licence, turns in exchange_candidates(day):
            classes = "".join(c for c in licence.class_list if c in LARGE_CLASSES)
            yield Recipient(
                dedup_key=f"{notice_kinds.AGE_CLASS_EXCHANGE}:{licence.pk}:{turns.isoformat()}",
                context={
                    "classes": classes,
                    "date": turns.isoformat(),
                    "until": (turns + timedelta(days=registry_rules.EXCHANGE_DAYS)).isoformat(),
                },
                user_id=getattr(getattr(licence.holder, "account", None), "pk", None),
                phone=licence.holder.phone or "",
                link="/me/",
            )

    return notify_bulk(
        kind=notice_kinds.AGE_CLASS_EXCHANGE, recipients=recipients(), publish=publish
    )


def senior_proof_set(*, day: date, actor: User | None = None) -> int:
    """Give every holder who has turned 70 and has no proof due yet the first due date, from
    the birth date (R162 Art 74); returns the licences changed. The existing proof reminders
    (licence.physical_due, licence.physical_overdue) then tell them."""
    born_by = registry_rules.add_months(day, -12 * registry_rules.SENIOR_PROOF_AGE)
    rows = (
        registry_selectors.licences()
        .filter(_active(), physical_due__isnull=True, holder__birth_date__lte=born_by)
        .select_related("holder")
    )
    changed = 0
    for licence in rows.order_by("pk").iterator(chunk_size=2000):
        due = registry_rules.senior_proof_due(licence.holder.birth_date, day)
        if due is None:  # 29 February births: turned 70 by the month count, not the day
            continue
        registry_services.licence_update_dates(
            licence=licence,
            actor=actor,
            reason="R162 Art 74: holder aged 70, yearly physical-condition proof",
            physical_due=due,
        )
        changed += 1
    return changed
