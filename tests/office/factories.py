"""Violation records for the workbench tests (the violations app may add its own later)."""

from __future__ import annotations

from datetime import datetime

import factory

from vmo.core.clock import OFFICE_TZ
from vmo.violations.models import Violation, ViolationCode


class ViolationCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ViolationCode
        django_get_or_create = ("code",)

    code = "13441"
    description_zh = "驾驶中型以上载客载货汽车、校车、危险物品运输车辆以外的其他机动车在高速公路以外的道路上行驶超过规定时速20%以上未达到50%的"
    description_en = "Speeding by 20% to under 50% on a road other than an expressway"
    points = 6
    fine_min_fen = 20000
    fine_max_fen = 20000
    legal_basis = "《道路交通安全法》第四十二条"


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    record_id = factory.Sequence(lambda n: f"6523010000{n:08d}")
    vehicle = None
    plate_number = factory.LazyAttribute(
        lambda v: v.vehicle.plates.get().number if v.vehicle else "新B00001"
    )
    code = factory.SubFactory(ViolationCodeFactory)
    occurred_at = datetime(2025, 3, 1, 9, 30, tzinfo=OFFICE_TZ)
    place = "昌吉市延安北路与北京南路交叉口"
    points = 6
    fine_fen = 20000
    recorded_at = datetime(2025, 3, 2, 10, 0, tzinfo=OFFICE_TZ)
