"""Status queries for the signed-in citizen: the same PersonStatus as the "My status" page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from vmo.core.selectors import data_accesses_for_person
from vmo.status.selectors import PersonStatus, status_for_person

from .auth import AUTH, citizen_person, user_throttle
from .pagination import BoundedPagination
from .schemas import DataAccessOut, ErrorOut, PersonStatusOut

if TYPE_CHECKING:
    from vmo.core.models import DataAccess

router = Router(tags=["my status"], auth=AUTH, throttle=user_throttle())

REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}


@router.get(
    "/status",
    response={200: PersonStatusOut, **REFUSALS},
    summary="My licence, vehicles and next steps",
)
def my_status(request: HttpRequest) -> PersonStatus:
    """Licence status in words with points in the current cycle and due dates; each vehicle's
    status, inspection, insurance and mortgage; unhandled violations and fines; pending
    applications; and what to do next, each with the business that does it."""
    return status_for_person(citizen_person(request))


@router.get(
    "/data-access", response={200: list[DataAccessOut], **REFUSALS}, summary="Who viewed my data"
)
@paginate(BoundedPagination)
def my_data_access(request: HttpRequest) -> QuerySet[DataAccess]:
    """Every time an officer opened your records: when, who, on which screen, and why. Newest first."""
    return data_accesses_for_person(citizen_person(request).pk)
