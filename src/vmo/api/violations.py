"""The citizen's violations: records, online handling, naming the driver, fines, bound vehicles.

Thin handlers over vmo.violations.selectors and services. What a citizen may see is decided by
selectors.violations_visible_to: anyone else's record is a 404 (ObjectDoesNotExist becomes one
in errors.install), never a hint. Officers are refused (403): this is the citizens' own view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from ninja import Body, Router
from ninja.pagination import paginate

from vmo.registry import selectors as registry
from vmo.registry.selectors import plate_label
from vmo.registry.validators import normalise_id_number
from vmo.violations import selectors, services
from vmo.violations.forms import BindingConfirmForm, BindingStartForm
from vmo.violations.pdf import decision_pdf

from .auth import AUTH, citizen_person, user_throttle
from .errors import ApiError
from .pagination import BoundedPagination
from .schemas import ErrorOut
from .violation_schemas import (
    BindingCodeIn,
    BindingCodeOut,
    BindingIn,
    BindingOut,
    DecisionOut,
    HandleIn,
    HandleOut,
    NominationOut,
    PayIn,
    PaymentStartOut,
    ViolationDetailOut,
    ViolationOut,
    binding_item,
    decision_item,
    nomination_item,
    violation_detail_item,
    violation_item,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Vehicle

router = Router(tags=["violations"], auth=AUTH, throttle=user_throttle())

REFUSALS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
FOUND = {**REFUSALS, 404: ErrorOut}
ACTION = {**FOUND, 422: ErrorOut}


def _actor(request: HttpRequest) -> User:
    # Signed in: the router's authentication (AUTH) lets no one else through.
    return cast("User", request.user)


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's field names as this API calls them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


def _vehicle(plate_number: str, *, owner_code: str | None = None) -> Vehicle:
    """The vehicle by its plate, checking the owner's code's form too, so that every problem
    is named at once. The pages' forms clean both: one definition for page and API."""
    errors: dict[str, Any] = {}
    form = BindingStartForm({"plate_number": plate_number})
    vehicle = None
    if not form.is_valid():
        errors.update(form.errors.as_data())
    else:
        vehicle = registry.vehicle_by_plate(form.cleaned_data["plate_number"])
    if owner_code is not None:
        code_form = BindingConfirmForm({"code": owner_code})
        if not code_form.is_valid():
            errors["owner_code"] = code_form.errors.as_data()["code"]
    if errors:
        raise ValidationError(errors)
    if vehicle is None:
        # A well-formed plate that is on no record: the vehicle does not exist (404).
        raise ApiError(
            404,
            "not_found",
            _("No vehicle with this plate number is on record."),
            field="plate_number",
        )
    return vehicle


# --- Records --------------------------------------------------------------------------------


@router.get(
    "/violations",
    response={200: list[ViolationOut], **REFUSALS},
    summary="My violation records",
    url_name="violation_list",
)
@paginate(BoundedPagination)
def violation_list(request: HttpRequest) -> selectors.AssessedRecords:
    """Records of your vehicles, of vehicles bound to you (those after the binding date),
    those you were named the driver of, and those of the vehicles of companies you act for today
    (role `company`); newest first. Each says whether it can be handled online
    and, if not, every reason and where to go instead. A fixed number of queries however many records."""
    return selectors.AssessedRecords(citizen_person(request), each=violation_item)


@router.get(
    "/violations/{violation_id}",
    response={200: ViolationDetailOut, **FOUND},
    summary="One violation record, with the amount owed today",
    url_name="violation_detail",
)
def violation_detail(request: HttpRequest, violation_id: int) -> dict[str, Any]:
    """The record, what you may do with it, and the amount owed today with its calculation
    (fine, days late, late fee of 3 % a day, capped at the fine). While a payment is under way
    the gateway is asked first, so a paid fine shows paid as soon as you are back."""
    person = citizen_person(request)
    detail = selectors.violation_detail(request.user, violation_id)
    decision, order = detail.row.decision, detail.order
    if decision is not None and decision.paid_at is None and order and not order.is_settled:
        services.fine_payment_refresh(decision=decision)
        detail = selectors.violation_detail(request.user, violation_id)
    return violation_detail_item(detail, person_id=person.pk)


@router.post(
    "/violations/{violation_id}/handle",
    response={201: HandleOut, 202: HandleOut, **ACTION},
    summary="Handle a record myself, or name the driver",
    url_name="violation_handle",
)
def violation_handle(
    request: HttpRequest, violation_id: int, payload: Body[HandleIn | None] = None
) -> tuple[int, dict[str, Any]]:
    """Without `driver_id_number` the record is handled on your own licence and a penalty
    decision is issued (201). With it and `driver_name`, that driver is asked to confirm from
    their own account (202); the owner, or someone acting for the company that owns the
    vehicle, only. A name and ID number that do not match a licence holder are refused (422)
    with one message that does not say which part did not match; after 10 such misses in an
    hour an account is refused (422) until the hour has passed. A record that cannot be handled
    online is refused (422) with every reason at once."""
    violation = selectors.violations_visible_to(citizen_person(request)).get(pk=violation_id)
    if payload is not None and payload.driver_id_number:
        nomination = services.nomination_create(
            violation=violation,
            actor=_actor(request),
            driver_id_number=normalise_id_number(payload.driver_id_number),
            driver_name=payload.driver_name or "",
        )
        return 202, {"decision": None, "nomination": nomination_item(nomination)}
    decision = services.violation_handle(violation=violation, actor=_actor(request))
    return 201, {"decision": decision_item(decision), "nomination": None}


@router.post(
    "/violations/{violation_id}/pay",
    response={200: PaymentStartOut, **ACTION},
    summary="Start paying the fine (and any late fee)",
    url_name="violation_pay",
)
def violation_pay(request: HttpRequest, violation_id: int, payload: PayIn) -> dict[str, str]:
    """The payment page of the gateway for what is owed today. Open `payment_url` in a
    browser; afterwards the gateway sends the payer to `return_url`, a page of this site.
    Only the person who handled the record, the owner or someone acting for the owning company
    can pay; a paid fine cannot be paid again (422)."""
    violation = selectors.violations_visible_to(citizen_person(request)).get(pk=violation_id)
    host = request.get_host()
    if not url_has_allowed_host_and_scheme(
        payload.return_url, allowed_hosts={host}, require_https=request.is_secure()
    ):
        # The gateway redirects there: a foreign address would make our payment page a
        # springboard to anywhere.
        raise ValidationError(
            {"return_url": [_("Give an address on this site to come back to after paying.")]}
        )
    decision = getattr(violation, "decision", None)
    if decision is None:
        raise ApiError(
            422, "not_handled", _("This record has not been handled yet: there is no fine to pay.")
        )
    url = services.fine_pay_start(
        decision=decision,
        actor=_actor(request),
        return_url=request.build_absolute_uri(payload.return_url),
    )
    return {"payment_url": request.build_absolute_uri(url)}


@router.get(
    "/violations/{violation_id}/decision.pdf",
    response={200: None, **FOUND},
    summary="The penalty decision as a PDF",
    url_name="violation_decision_pdf",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The penalty decision.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def violation_decision_pdf(request: HttpRequest, violation_id: int) -> HttpResponse:
    """For the person who handled the record (or on whose licence it was decided) and the
    vehicle's owner, in the request's language."""
    person = citizen_person(request)
    decision = selectors.decision_for(person, violation_id)
    if not selectors.may_read_decision(request.user, decision):
        raise ApiError(
            403,
            "not_handler",
            _("Only the person who handled the record or the owner can download this decision."),
        )
    response = HttpResponse(decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{decision.number}.pdf"'
    return response


# --- Nominations addressed to me ------------------------------------------------------------


@router.get(
    "/nominations",
    response={200: list[NominationOut], **REFUSALS},
    summary="Records I was named the driver of",
    url_name="nomination_list",
)
@paginate(BoundedPagination)
def nomination_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Pending first. Confirm to have the record handled on your licence, or decline."""
    person = citizen_person(request)
    return [nomination_item(n, driver=person) for n in selectors.nominations_for(person)]


@router.post(
    "/nominations/{nomination_id}/confirm",
    response={201: DecisionOut, **ACTION},
    summary="Confirm that I was the driver",
    url_name="nomination_confirm",
)
def nomination_confirm(request: HttpRequest, nomination_id: int) -> tuple[int, dict[str, Any]]:
    """The record is handled on your licence, every rule of online handling applying, and a
    penalty decision is issued."""
    nomination = selectors.nominations_for(citizen_person(request)).get(pk=nomination_id)
    decision = services.nomination_confirm(nomination=nomination, actor=_actor(request))
    return 201, decision_item(decision)


@router.post(
    "/nominations/{nomination_id}/decline",
    response={200: NominationOut, **ACTION},
    summary="Decline: I was not the driver",
    url_name="nomination_decline",
)
def nomination_decline(request: HttpRequest, nomination_id: int) -> dict[str, Any]:
    person = citizen_person(request)
    nomination = selectors.nominations_for(person).get(pk=nomination_id)
    nomination = services.nomination_decline(nomination=nomination, actor=_actor(request))
    return nomination_item(nomination, driver=person)


# --- Bound vehicles (W03) -------------------------------------------------------------------


@router.get(
    "/bindings",
    response={200: list[BindingOut], **REFUSALS},
    summary="Vehicles bound to me",
    url_name="binding_list",
)
def binding_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Vehicles that are not yours, bound so that you can handle their records from the
    binding on; active first."""
    return [
        binding_item(b, plate_label(b.vehicle))
        for b in selectors.bindings_of(citizen_person(request))
    ]


@router.post(
    "/bindings/code",
    response={202: BindingCodeOut, **ACTION},
    summary="Ask for the owner's consent code",
    url_name="binding_code",
)
def binding_code(request: HttpRequest, payload: BindingCodeIn) -> tuple[int, dict[str, Any]]:
    """A one-time code goes by SMS to the owner; the owner gives it to you if they agree.
    Then bind with POST /bindings."""
    person = citizen_person(request)
    vehicle = _vehicle(payload.plate_number)
    row = services.binding_code_send(person=person, vehicle=vehicle)
    return 202, {
        "plate_number": plate_label(vehicle),
        "expires_at": row.expires_at,
    }


@router.post(
    "/bindings",
    response={201: BindingOut, **ACTION},
    summary="Bind a vehicle with the owner's code",
    url_name="binding_create",
)
def binding_create(request: HttpRequest, payload: BindingIn) -> tuple[int, dict[str, Any]]:
    """At most 3 vehicles that are not yours; their records from now on become yours to handle."""
    person = citizen_person(request)
    vehicle = _vehicle(payload.plate_number, owner_code=payload.owner_code)
    try:
        binding = services.binding_create(
            person=person, vehicle=vehicle, owner_code=payload.owner_code
        )
    except ValidationError as exc:
        raise _renamed(exc, {"code": "owner_code"}) from None
    return 201, binding_item(binding, plate_label(vehicle))


@router.delete(
    "/bindings/{binding_id}",
    response={200: BindingOut, **ACTION},
    summary="End a binding",
    url_name="binding_end",
)
def binding_end(request: HttpRequest, binding_id: int) -> dict[str, Any]:
    """The driver or the vehicle's owner ends it; later records are no longer the driver's."""
    binding = selectors.binding_of(citizen_person(request), binding_id)
    binding = services.binding_end(binding=binding, actor=_actor(request))
    return binding_item(binding, plate_label(binding.vehicle))
