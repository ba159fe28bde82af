"""The holder's download is theirs only; the IACA root is public."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory, LicenceFactory
from vmo.mdl.verify import verify_document

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    for name in ("mdl:mdoc_page", "mdl:mdoc_file"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_holder_downloads_own_mdoc_only(client):
    mine = LicenceFactory(file_number="652311112222")
    other = LicenceFactory(file_number="652399998888")
    client.force_login(CitizenFactory(person=mine.holder))
    response = client.get(reverse("mdl:mdoc_file"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/cbor"
    assert response["Cache-Control"] == "no-store"
    root = client.get(reverse("mdl:iaca_pem")).content
    elements = verify_document(response.content, root).elements
    assert elements["document_number"] == "652311112222"
    assert other.file_number.encode() not in response.content


def test_citizen_without_licence_gets_404(client):
    client.force_login(CitizenFactory())
    assert client.get(reverse("mdl:mdoc_file")).status_code == 404
    page = client.get(reverse("mdl:mdoc_page"))
    assert page.status_code == 200 and reverse("mdl:mdoc_file").encode() not in page.content


def test_root_certificate_is_public(client):
    response = client.get("/mdl/iaca.pem")
    assert response.status_code == 200 and response.content.startswith(b"-----BEGIN CERTIFICATE")
