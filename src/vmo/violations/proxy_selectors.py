"""Reads of the anti-proxy list (DOMAIN §4): whether online handling is suspended for a driver
or a vehicle, and the officers' list of cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from . import rules
from .choices import ProxyKind
from .models import ProxySuspect

if TYPE_CHECKING:
    from vmo.registry.models import Person, Vehicle

__all__ = ["proxy_problems", "proxy_suspect_get", "proxy_suspects"]


PROXY_WHERE = gettext_lazy(
    "Handle the record at the service hall of the vehicle management office; an officer can"
    " also clear the suspicion there."
)


def proxy_problems(*, person: Person | None, vehicle: Vehicle | None) -> list[rules.Problem]:
    """The anti-proxy reasons a record cannot be handled online now (empty when none)."""
    problems = []
    open_cases = ProxySuspect.objects.filter(cleared_at__isnull=True)
    if person is not None and open_cases.filter(kind=ProxyKind.DRIVER, person=person).exists():
        problems.append(
            rules.Problem(
                "proxy_driver",
                gettext_lazy(
                    "You handled the records of several vehicles that are not yours within a"
                    " year: you are on the list of suspected handling for others, and online"
                    " handling is suspended until an officer clears it."
                ),
                PROXY_WHERE,
            )
        )
    if vehicle is not None and open_cases.filter(kind=ProxyKind.VEHICLE, vehicle=vehicle).exists():
        problems.append(
            rules.Problem(
                "proxy_vehicle",
                gettext_lazy(
                    "Several drivers handled this vehicle's records within a year: the vehicle"
                    " is on the list of suspected handling for others, and its records cannot be"
                    " handled online until an officer clears it."
                ),
                PROXY_WHERE,
            )
        )
    return problems


def proxy_suspects(*, open_only: bool = True) -> QuerySet[ProxySuspect]:
    """The officers' list: open cases first, newest listing first."""
    rows = ProxySuspect.objects.select_related("person", "vehicle", "cleared_by")
    if open_only:
        rows = rows.filter(cleared_at__isnull=True)
    return rows.prefetch_related("vehicle__plates").order_by("cleared_at", "-listed_at", "-pk")


def proxy_suspect_get(*, pk: int) -> ProxySuspect | None:
    return ProxySuspect.objects.filter(pk=pk).first()
