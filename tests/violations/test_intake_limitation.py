"""The limitation period (行政处罚法 Art 36): a violation not discovered within two years is not
punished, so the intake refuses such a record with that reason and loads nothing of it."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.utils import translation

from vmo.core.clock import OFFICE_TZ
from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import intake_records, reason_message
from vmo.violations.models import IntakeRejection, Violation

from .intake_helpers import csv_rows, record

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=OFFICE_TZ)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("occurred_at", "refused"),
    [
        ("2024-03-09T23:59:00+08:00", True),  # two years and a day: not discovered in time
        ("2024-03-10T00:00:00+08:00", False),  # two years on today: "二年内" includes it
        ("2024-03-11T08:00:00+08:00", False),  # a day within the two years
        # 17:00 UTC on the 9th is the 10th in office time: within the two years.
        ("2024-03-09T17:00:00+00:00", False),
    ],
)
def test_records_older_than_two_years_are_refused_administrative_penalty_law_art_36(
    occurred_at, refused
):
    batch = intake_records(
        rows=csv_rows([record(1, occurred_at=occurred_at)]),
        channel=IntakeChannel.COMMAND,
        source_name="old.csv",
    )
    rejections = IntakeRejection.objects.filter(batch=batch)
    assert Violation.objects.exists() is not refused
    if not refused:
        assert not rejections.exists()
        return
    (reason,) = rejections.get().reasons
    assert (reason["field"], reason["code"]) == ("occurred_at", "limitation")
    assert reason["params"] == {"value": "2024-03-09", "until": "2026-03-09"}
    with translation.override("en"):
        assert "Administrative Penalty Law Art 36" in reason_message(reason)
    with translation.override("zh-hans"):
        assert "行政处罚法第三十六条" in reason_message(reason)


def test_limitation_is_reported_with_the_other_problems_of_the_row():
    batch = intake_records(
        rows=csv_rows([record(1, occurred_at="2023-01-01T09:00:00+08:00", code="9999")]),
        channel=IntakeChannel.COMMAND,
        source_name="old.csv",
    )
    codes = {r["code"] for r in IntakeRejection.objects.get(batch=batch).reasons}
    assert codes == {"limitation", "unknown_code"}


@pytest.mark.parametrize(
    ("plate", "plate_type", "accepted"),
    [
        ("新B1234挂", "15", True),  # trailer (GA 36)
        ("新B1234学", "16", True),  # coach
        ("新B0001警", "23", True),  # police
        ("使014·001", "03", True),  # embassy
        ("沪A1234领", "04", True),  # consulate
        ("粤Z1234港", "26", True),  # Hong Kong entry
        ("粤Z1234澳", "27", True),  # Macau entry
        ("新B1234挂", "02", False),  # a trailer's plate is not a small car's
        ("新B12345", "15", False),  # a trailer plate ends in 挂
    ],
)
def test_intake_takes_every_plate_format_of_ga_36(plate, plate_type, accepted):
    batch = intake_records(
        rows=csv_rows([record(1, plate_number=plate, plate_type=plate_type)]),
        channel=IntakeChannel.COMMAND,
        source_name="plates.csv",
    )
    assert Violation.objects.exists() is accepted
    if not accepted:
        (reason,) = IntakeRejection.objects.get(batch=batch).reasons
        assert reason["code"] == "plate"
        with translation.override("en"):
            assert "not a plate of type" in reason_message(reason)
