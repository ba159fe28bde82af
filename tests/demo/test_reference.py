"""The reference violation codes: loaded by migration, legal point values, sane fines."""

from __future__ import annotations

import importlib

import pytest
from django.db import IntegrityError, transaction

from vmo.violations.models import ViolationCode
from vmo.violations.reference import BY_CODE, CAMERA_CODES, VIOLATION_CODES

pytestmark = pytest.mark.django_db

migration = importlib.import_module("vmo.violations.migrations.0002_violation_codes")


def test_migration_copy_matches_the_reference_list():
    frozen = {
        code: {
            "points": points,
            "fine_min_fen": lo,
            "fine_max_fen": hi,
            "description_zh": zh,
            "description_en": en,
            "legal_basis": basis,
        }
        for code, points, lo, hi, zh, en, basis in migration.CODES
    }
    reference = {
        row["code"]: {k: v for k, v in row.items() if k != "code"} for row in VIOLATION_CODES
    }
    # A change to reference.py needs a new data migration.
    assert frozen == reference


def test_a_fresh_database_has_every_code():
    assert set(ViolationCode.objects.values_list("code", flat=True)) >= set(BY_CODE)
    red = ViolationCode.objects.get(code="1625")
    assert (red.points, red.fine_max_fen) == (6, 20000)
    assert ViolationCode.objects.get(code="1039").points == 0


def test_reference_values_follow_r163():
    assert len(VIOLATION_CODES) >= 15
    assert all(row["points"] in {0, 1, 3, 6, 9, 12} for row in VIOLATION_CODES)
    assert all(0 < row["fine_min_fen"] <= row["fine_max_fen"] for row in VIOLATION_CODES)
    assert all(row["legal_basis"].startswith("《") for row in VIOLATION_CODES)
    # R163 Arts 10(8), 11(6)-(7), 12(9): the values the brief's examples rest on.
    assert {c: BY_CODE[c]["points"] for c in ("1625", "1223", "1357", "6011")} == {
        "1625": 6,
        "1223": 3,
        "1357": 3,
        "6011": 1,
    }
    assert set(CAMERA_CODES) <= set(BY_CODE)


def test_points_outside_the_law_are_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ViolationCode.objects.create(
            code="9999",
            description_zh="x",
            description_en="x",
            points=2,
            fine_min_fen=0,
            fine_max_fen=0,
            legal_basis="x",
        )


@pytest.mark.django_db
def test_counter_only_codes_cannot_be_handled_online():
    from vmo.violations.models import ViolationCode
    from vmo.violations.reference import COUNTER_ONLY

    assert (
        set(ViolationCode.objects.filter(online_handleable=False).values_list("code", flat=True))
        == COUNTER_ONLY
    )
