"""Factories for the records a status page counts: violations and applications."""

from __future__ import annotations

from datetime import datetime

import factory

from vmo.applications.models import Application
from vmo.core.clock import OFFICE_TZ
from vmo.violations.models import Violation, ViolationCode


class ViolationCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ViolationCode
        django_get_or_create = ("code",)

    code = "13441"
    description_zh = "驾驶机动车违反道路交通信号灯通行的"
    description_en = "Running a red light"
    points = 6
    fine_min_fen = 20000
    fine_max_fen = 20000
    legal_basis = "道路交通安全法第90条"


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    record_id = factory.Sequence(lambda n: f"T6523{n:010d}")
    vehicle = None
    plate_number = factory.LazyAttribute(
        lambda v: v.vehicle.plates.first().number if v.vehicle else "新B00001"
    )
    code = factory.SubFactory(ViolationCodeFactory)
    occurred_at = datetime(2025, 3, 1, 9, 30, tzinfo=OFFICE_TZ)
    place = "昌吉市延安北路与建国路交叉口"
    points = 6
    fine_fen = 20000
    handling_status = 0
    recorded_at = datetime(2025, 3, 2, 9, 0, tzinfo=OFFICE_TZ)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"CJ2025{n:08d}")
    idempotency_key = factory.Sequence(lambda n: f"factory-{n:020d}")
    business_code = "D02"
    status = "submitted"
