"""The holder's e-licence pages, the public verifier and the published key set and status lists.
Thin: a selector reads, a service signs, the template renders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from vmo.accounts import services as account_services
from vmo.accounts.permissions import citizen_required
from vmo.core import clock
from vmo.core.client_address import client_ip

from . import keys, pdfs, selectors, services
from .forms import VerifyForm
from .qr import qr_svg
from .verify import verify_text

if TYPE_CHECKING:
    from vmo.registry.models import Person

    from .selectors import LicenceCard, VehicleCard


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    assert person is not None  # citizen_required lets only citizens with a person through
    return person


def _licence(request: HttpRequest) -> LicenceCard:
    card = selectors.licence_card(_person(request))
    if card is None:
        raise Http404
    return card


def _vehicle(request: HttpRequest, pk: int) -> VehicleCard:
    card = selectors.vehicle_card(_person(request), pk=pk)
    if card is None:
        raise Http404  # someone else's vehicle looks exactly like one that does not exist
    return card


def _qr_context(text: str) -> dict[str, object]:
    return {
        "credential": text,
        "qr": qr_svg(text),
        "refreshed": clock.now(),
        "lifetime_minutes": services.credential_lifetime().seconds // 60,
    }


def _qr_json(text: str) -> JsonResponse:
    response = JsonResponse(
        {"text": text, "svg": qr_svg(text), "refreshed": clock.now().isoformat()}
    )
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
@require_GET
def licence(request: HttpRequest) -> HttpResponse:
    card = _licence(request)
    text = services.credential_issue_licence(card=card)
    response = render(request, "credentials/licence.html", {"card": card, **_qr_context(text)})
    response["Cache-Control"] = "no-store"  # a cached page would show an expired QR
    return response


@citizen_required
@require_GET
def licence_qr(request: HttpRequest) -> HttpResponse:
    return _qr_json(services.credential_issue_licence(card=_licence(request)))


@citizen_required
@require_GET
def licence_pdf(request: HttpRequest) -> HttpResponse:
    return pdfs.licence_pdf(_licence(request))


@citizen_required
@require_GET
def vehicle(request: HttpRequest, pk: int) -> HttpResponse:
    card = _vehicle(request, pk)
    text = services.credential_issue_vehicle(card=card)
    response = render(request, "credentials/vehicle.html", {"card": card, **_qr_context(text)})
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
@require_GET
def vehicle_qr(request: HttpRequest, pk: int) -> HttpResponse:
    return _qr_json(services.credential_issue_vehicle(card=_vehicle(request, pk)))


@citizen_required
@require_GET
def vehicle_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return pdfs.vehicle_pdf(_vehicle(request, pk))


# Each check costs a signature check, a photo also an image decode and a QR search: counted
# per client address (the accounts' address limits), as the API's verify operation is.
VERIFY_ACTION = "verify"


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone holding a QR can check it here; nothing is stored."""
    verdict, throttled = None, False
    if request.method == "POST" and not account_services.address_attempt_record(
        action=VERIFY_ACTION, client_ip=client_ip(request)
    ):
        form, throttled = VerifyForm(), True  # the upload is not even opened
    elif request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = verify_text(
                form.cleaned_data["credential"],
                keys.public_jwks(),
                now=clock.now(),
                revoked=selectors.revoked_online,
            )
    else:
        form = VerifyForm()
    status = 422 if request.method == "POST" and (verdict is None or not verdict.valid) else 200
    context = {
        "form": form,
        "verdict": verdict,
        "throttled": throttled,
        "lifetime_minutes": services.credential_lifetime().seconds // 60,
    }
    response = render(
        request, "credentials/verify.html", context, status=429 if throttled else status
    )
    if request.method == "POST":
        # The answer names a holder: not for a shared desk's browser history.
        response["Cache-Control"] = "no-store"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest) -> HttpResponse:
    keys.signing_key()  # the embedded default makes its first key here, so the set is never empty
    return JsonResponse(keys.public_jwks())


@require_GET
@cache_control(public=True, max_age=selectors.STATUS_LIST_SECONDS)
def status_list(request: HttpRequest, name: str) -> HttpResponse:
    if name not in (selectors.LICENCE_LIST, selectors.VEHICLE_LIST):
        raise Http404(_("No such status list."))
    return JsonResponse(selectors.status_list(name))
