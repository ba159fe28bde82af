from __future__ import annotations

import secrets
from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory, VehicleFactory
from tests.pdfs import MINIMAL_PDF
from vmo.applications import services

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        yield


def verified(officer):
    """An officer as the OTP middleware leaves them after the second factor."""
    officer.is_verified = lambda: True
    return officer


@pytest.fixture
def clerk():
    return verified(OfficerFactory(role="clerk"))


@pytest.fixture
def reviewer():
    return verified(OfficerFactory(role="reviewer"))


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def holder(citizen):
    """A citizen whose C1 licence expires in 30 days: renewal is open."""
    LicenceFactory(
        holder=citizen.person,
        valid_from=date(2020, 12, 24),
        valid_to=date(2026, 12, 24),
        first_issue_date=date(2014, 12, 24),
    )
    citizen.person.refresh_from_db()
    return citizen


@pytest.fixture
def owner(citizen):
    VehicleFactory(owner_person=citizen.person)
    return citizen


def photo(width=358, height=441, fmt="JPEG", name="me.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="cert.pdf") -> SimpleUploadedFile:
    body = MINIMAL_PDF  # a real PDF: uploads are opened by a PDF parser
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def start(user, code, **kwargs):
    return services.application_start(
        actor=user, business_code=code, idempotency_key=secrets.token_hex(16), **kwargs
    )
