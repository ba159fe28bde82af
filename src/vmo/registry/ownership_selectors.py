"""Who owned a vehicle at a moment: the owner a later transfer ended (`PastOwner`), else the
owner now. Read by violations, whose records are the owner's at the time of the offence (RTSL
Art 114) however late they arrive."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from django.db.models import QuerySet

from .models import Company, PastOwner

# (person id, company id) of an owner: one of them is set.
Owner = tuple[int | None, int | None]
# A vehicle's past owners, earliest transfer first: (until, person id, company id).
History = Sequence[tuple[datetime, int | None, int | None]]


def past_owners() -> QuerySet[PastOwner]:
    """For a query that joins them itself (the intake's set-based load)."""
    return PastOwner.objects.all()


def past_owners_of(vehicle_ids: Collection[int]) -> dict[int, History]:
    """Each vehicle's past owners, earliest transfer first (for `owner_when`); one query."""
    found: dict[int, list[tuple[datetime, int | None, int | None]]] = {}
    for vehicle_id, until, person, company in (
        PastOwner.objects.filter(vehicle_id__in=vehicle_ids)
        .order_by("vehicle_id", "until", "pk")
        .values_list("vehicle_id", "until", "owner_person_id", "owner_company_id")
    ):
        found.setdefault(vehicle_id, []).append((until, person, company))
    return dict(found)


def owner_when(history: History, *, at: datetime, now: Owner) -> Owner:
    """The owner at the moment: the first past owner whose ownership ended after it, else the
    owner now (``now``)."""
    for until, person, company in history:
        if until > at:
            return person, company
    return now


def companies() -> QuerySet[Company]:
    return Company.objects.all()
