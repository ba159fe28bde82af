"""The holder's mDL download and the public IACA root. Thin: the service issues."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vmo.accounts.permissions import citizen_required
from vmo.mdl import crl, keys, services
from vmo.registry import selectors as registry

# 18013-5 defines no file type for a stored Document; it is plain CBOR (RFC 8949).
MDOC_CONTENT_TYPE = "application/cbor"


def _person(request: HttpRequest) -> Any:
    person = getattr(request.user, "person", None)
    assert person is not None  # citizen_required lets only citizens with a person through
    return person


@citizen_required
def mdoc_page(request: HttpRequest) -> HttpResponse:
    licence = registry.licence_of(_person(request))
    response = render(request, "mdl/mdoc.html", {"licence": licence})
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
@require_GET
def mdoc_file(request: HttpRequest) -> HttpResponse:
    # Only the signed-in holder's own licence: there is no identifier in the URL to tamper with.
    try:
        document = services.issue_document(person=_person(request))
    except services.NoLicence:
        raise Http404 from None
    response = HttpResponse(document, content_type=MDOC_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="driving-licence.mdoc"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def iaca_pem(request: HttpRequest) -> HttpResponse:
    keys.ensure_embedded_keys()
    cert, _ = keys.root()
    response = HttpResponse(
        cert.public_bytes(serialization.Encoding.PEM), content_type="application/x-pem-file"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def iaca_crl(request: HttpRequest) -> HttpResponse:
    """The revocation list every certificate names as its CRL distribution point."""
    keys.ensure_embedded_keys()
    try:
        data = crl.crl_der()
    except keys.KeyError_:
        raise Http404 from None  # no IACA root yet: there is nothing to revoke
    response = HttpResponse(data, content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=3600"
    return response
