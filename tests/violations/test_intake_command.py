"""manage.py import_violations and intake_client_create."""

from __future__ import annotations

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.factories import OfficerFactory
from vmo.core.clock import OFFICE_TZ
from vmo.violations.intake import intake_client_for_key
from vmo.violations.models import IntakeBatch, Violation

from .intake_helpers import csv_text, jsonl_text, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    moment = datetime(2026, 3, 10, 12, 0, tzinfo=OFFICE_TZ)
    with time_machine.travel(moment, tick=False), translation.override("en"):
        yield


def run(*args) -> str:
    out = StringIO()
    call_command("import_violations", *args, stdout=out)
    return out.getvalue()


def test_csv_file_is_loaded_and_summarised(tmp_path):
    path = tmp_path / "cameras.csv"
    rows = [record(1), record(2, code="9999"), *[record(n, place="") for n in range(10, 35)]]
    path.write_text(csv_text(rows), encoding="utf-8-sig")
    output = run(str(path))
    batch = IntakeBatch.objects.get()
    assert (batch.channel, batch.source_name, batch.total, batch.loaded) == (
        "command",
        "cameras.csv",
        27,
        1,
    )
    assert "rows read:          27" in output
    assert "refused:            26" in output
    rejected = record(2)["record_id"]
    assert f"line 3 ({rejected}): Violation code 9999 is not in the office's code table." in output
    # The first 20 refused rows only.
    assert output.count("The place is missing.") == 19


def test_jsonl_by_extension_or_option_and_a_second_run_loads_nothing(tmp_path):
    path = tmp_path / "cameras.txt"
    path.write_text(jsonl_text([record(1), record(2)]), encoding="utf-8")
    with pytest.raises(CommandError, match="--format"):
        run(str(path))
    run(str(path), "--format", "jsonl")
    output = run(str(path), "--format", "jsonl")
    assert "already on record:  2" in output
    assert Violation.objects.count() == 2


def test_the_submitting_officer_is_recorded(tmp_path):
    officer = OfficerFactory(username="intake.clerk")
    path = tmp_path / "cameras.csv"
    path.write_text(csv_text([record(1)]), encoding="utf-8")
    run(str(path), "--user", "intake.clerk")
    assert IntakeBatch.objects.get().submitted_by == officer
    with pytest.raises(CommandError, match="nobody"):
        run(str(path), "--user", "nobody")


def test_bad_files_are_refused_whole(tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "missing.csv"))
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("record_id,place\nA1,p\n", encoding="utf-8")
    with pytest.raises(CommandError, match="occurred_at"):
        run(str(bad_header))
    not_utf8 = tmp_path / "gbk.csv"
    not_utf8.write_bytes(csv_text([record(1)]).encode("gb18030"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(str(not_utf8))
    assert not Violation.objects.exists()


def test_intake_client_create_prints_a_working_key_once():
    out = StringIO()
    call_command("intake_client_create", "Camera platform", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert intake_client_for_key(key).name == "Camera platform"
    with pytest.raises(CommandError, match="exists"):
        call_command("intake_client_create", "Camera platform", stdout=StringIO())
