"""Camera-record intake: every bad row reported with all its reasons, good rows loaded once."""

from __future__ import annotations

import io
import threading
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import CitizenFactory, CompanyFactory, VehicleFactory
from vmo.core.clock import OFFICE_TZ
from vmo.core.models import Event
from vmo.notices.models import Message
from vmo.registry.models import Plate, Vehicle
from vmo.violations.choices import HandlingStatus, IntakeChannel, PaymentStatus
from vmo.violations.intake import (
    IntakeFormatError,
    batch_summary,
    intake_records,
    parse_csv,
    reason_message,
)
from vmo.violations.models import IntakeBatch, IntakeRejection, Violation

from .intake_helpers import csv_rows, csv_text, jsonl_rows, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=OFFICE_TZ)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def run(rows, **kwargs):
    kwargs.setdefault("channel", IntakeChannel.COMMAND)
    kwargs.setdefault("source_name", "test.csv")
    return intake_records(rows=rows, **kwargs)


def refused(batch) -> dict[int, list[tuple[str | None, str]]]:
    return {
        r.line: [(reason["field"], reason["code"]) for reason in r.reasons]
        for r in IntakeRejection.objects.filter(batch=batch)
    }


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"record_id": ""}, [("record_id", "missing")]),
        ({"occurred_at": ""}, [("occurred_at", "missing")]),
        ({"place": ""}, [("place", "missing")]),
        ({"plate_number": ""}, [("plate_number", "missing")]),
        ({"plate_type": ""}, [("plate_type", "missing")]),
        ({"code": ""}, [("code", "missing")]),
        ({"evidence": []}, [("evidence", "missing")]),
        ({"code": "9999"}, [("code", "unknown_code")]),
        ({"plate_number": "新B1234"}, [("plate_number", "plate")]),
        ({"plate_number": "XB12345"}, [("plate_number", "plate")]),
        ({"plate_number": "新B12I45"}, [("plate_number", "plate")]),
        # A new-energy plate type needs a 6-character serial.
        ({"plate_type": "52"}, [("plate_number", "plate")]),
        ({"plate_type": "2X"}, [("plate_type", "plate_type")]),
        ({"occurred_at": "yesterday at nine"}, [("occurred_at", "time_invalid")]),
        ({"occurred_at": "2026-03-01"}, [("occurred_at", "time_invalid")]),
        ({"occurred_at": "2026-02-30T09:00:00"}, [("occurred_at", "time_invalid")]),
        ({"occurred_at": "2026-03-10T12:30:00+08:00"}, [("occurred_at", "time_future")]),
        ({"record_id": "65 23/01"}, [("record_id", "record_id")]),
        ({"place": "路" * 201}, [("place", "too_long")]),
        ({"evidence": ["x" * 301]}, [("evidence", "evidence")]),
        ({"speed_kmh": "fast"}, [("speed_kmh", "speed_invalid")]),
        (
            {"code": "1303", "speed_kmh": "", "limit_kmh": ""},
            [("speed_kmh", "missing"), ("limit_kmh", "missing")],
        ),
        ({"code": "1303", "speed_kmh": "60", "limit_kmh": ""}, [("limit_kmh", "missing")]),
        ({"code": "1303", "speed_kmh": "60", "limit_kmh": "60"}, [("speed_kmh", "speed_not_over")]),
        ({"code": "1303", "speed_kmh": "0", "limit_kmh": "60"}, [("speed_kmh", "speed_invalid")]),
    ],
)
def test_each_bad_row_is_refused_with_its_reason(changes, expected):
    batch = run(csv_rows([record(1, **changes)]))
    assert refused(batch) == {2: expected}
    assert (batch.total, batch.loaded, batch.rejected) == (1, 0, 1)
    assert not Violation.objects.exists()
    with translation.override("en"):
        for reason in IntakeRejection.objects.get().reasons:
            message = reason_message(reason)
            assert message and message != reason["code"]


def test_a_row_with_many_problems_lists_them_all():
    bad = record(1, code="9999", plate_number="新B1", occurred_at="soon", place="")
    batch = run(csv_rows([bad]))
    assert sorted(refused(batch)[2]) == [
        ("code", "unknown_code"),
        ("occurred_at", "time_invalid"),
        ("place", "missing"),
        ("plate_number", "plate"),
    ]


def test_messages_name_the_problem_in_the_readers_language():
    batch = run(csv_rows([record(1, plate_number="新B12I45", code="9999")]))
    reasons = IntakeRejection.objects.get(batch=batch).reasons
    with translation.override("en"):
        messages = [reason_message(r) for r in reasons]
    assert "Plate serials never use the letters I and O, which read as 1 and 0." in messages
    assert "Violation code 9999 is not in the office's code table." in messages


def test_good_rows_load_and_every_bad_row_is_reported():
    rows = [
        record(1),
        record(2, code="0000"),
        record(3, plate_number="新B23456"),
        record(4, occurred_at="2027-01-01T00:00:00+08:00", place=""),
        record(5, code="1303", speed_kmh="75", limit_kmh="60"),
    ]
    batch = run(csv_rows(rows))
    assert (batch.total, batch.loaded, batch.duplicates, batch.rejected) == (5, 3, 0, 2)
    assert set(refused(batch)) == {3, 5}
    assert refused(batch)[5] == [("occurred_at", "time_future"), ("place", "missing")]
    assert set(Violation.objects.values_list("record_id", flat=True)) == {
        record(n)["record_id"] for n in (1, 3, 5)
    }
    assert batch.finished_at == NOW
    speeding = Violation.objects.get(record_id=record(5)["record_id"])
    assert (speeding.speed_kmh, speeding.limit_kmh) == (75, 60)


def test_loaded_record_carries_the_facts_points_and_fine():
    batch = run(csv_rows([record(1, plate_number="新b·12345", occurred_at="2026-03-01 09:30:00")]))
    v = Violation.objects.get()
    assert v.batch == batch
    assert v.plate_number == "新B12345"
    # A time without an offset is office time.
    assert v.occurred_at == datetime(2026, 3, 1, 9, 30, tzinfo=OFFICE_TZ)
    assert v.code.code == "1625"
    assert (v.points, v.fine_fen) == (6, 20000)
    assert v.evidence == ["cam101/20260301/093000-1.jpg", "cam101/20260301/093000-2.jpg"]
    assert v.device == "CJ-CAM-101"
    assert v.handling_status == HandlingStatus.UNHANDLED
    assert v.payment_status == PaymentStatus.UNPAID
    assert v.recorded_at == NOW
    assert v.source == "camera"


def test_a_range_code_takes_the_top_of_the_range():
    run(csv_rows([record(1, code="1357")]))  # 20-200 yuan
    assert Violation.objects.get().fine_fen == 20000


def test_the_same_file_twice_loads_nothing_twice():
    owner = CitizenFactory()
    VehicleFactory(owner_person=owner.person, plate="新B12345")
    text = csv_text([record(1), record(2), record(3, code="0000")])
    first = run(parse_csv(io.StringIO(text)))
    second = run(parse_csv(io.StringIO(text)))
    assert (first.loaded, first.duplicates, first.rejected) == (2, 0, 1)
    assert (second.loaded, second.duplicates, second.rejected) == (0, 2, 1)
    assert Violation.objects.count() == 2
    assert Message.objects.filter(user=owner, kind="violation.new").count() == 2


def test_a_record_id_repeated_in_the_file_is_refused_with_the_first_line():
    batch = run(csv_rows([record(1), record(2), record(1, place="elsewhere")]))
    assert refused(batch) == {4: [("record_id", "duplicate_in_file")]}
    rejection = IntakeRejection.objects.get(batch=batch)
    with translation.override("en"):
        assert "line 2" in reason_message(rejection.reasons[0])
    assert Violation.objects.get(record_id=record(1)["record_id"]).place == record(1)["place"]


def test_a_record_id_repeated_in_a_later_chunk_is_refused_too():
    batch = run(csv_rows([record(1), record(2), record(3), record(1)]), chunk_size=2)
    assert refused(batch) == {5: [("record_id", "duplicate_earlier_in_file")]}
    assert (batch.total, batch.loaded, batch.duplicates, batch.rejected) == (4, 3, 0, 1)


def test_jsonl_rows_load_and_unreadable_lines_are_refused():
    text = (
        '{"record_id": "A1", "occurred_at": "2026-03-01T09:30:00+08:00", "place": "p",'
        ' "plate_number": "新B12345", "plate_type": 2, "code": 1625, "evidence": ["a.jpg"]}\n'
        "\n"
        "not json\n"
        '["a list"]\n'
        '{"record_id": "A2", "occurred_at": "2026-03-01T09:31:00+08:00", "place": "p",'
        ' "plate_number": "新B12345", "plate_type": "02", "code": "1303", "speed_kmh": 90,'
        ' "limit_kmh": 60, "evidence": "a.jpg|b.jpg"}\n'
    )
    from vmo.violations.intake import parse_jsonl

    batch = run(parse_jsonl(io.StringIO(text)))
    assert refused(batch) == {3: [(None, "unreadable")], 4: [(None, "unreadable")]}
    assert batch.loaded == 2
    assert Violation.objects.get(record_id="A1").plate_type == "02"
    assert Violation.objects.get(record_id="A2").evidence == ["a.jpg", "b.jpg"]


def test_csv_rows_with_the_wrong_number_of_fields_are_refused():
    text = csv_text([record(1)]) + "X1,2026-03-01T09:30:00+08:00,place\n"
    batch = run(parse_csv(io.StringIO(text)))
    assert refused(batch) == {3: [(None, "columns")]}
    assert batch.loaded == 1


def test_a_csv_header_without_the_required_columns_is_refused_whole():
    with pytest.raises(IntakeFormatError) as info:
        list(parse_csv(io.StringIO("record_id,place\nA1,p\n")))
    assert "occurred_at" in info.value.message
    with pytest.raises(IntakeFormatError):
        list(parse_csv(io.StringIO("")))


def test_plates_match_the_vehicle_with_that_active_plate_and_type():
    mine = VehicleFactory(plate="新B12345")
    retired = VehicleFactory(plate="新B54321")
    Plate.objects.filter(vehicle=retired).update(status="void")
    rows = [
        record(1),
        record(2, plate_type="01"),  # same number, other plate type: not this vehicle
        record(3, plate_number="新B54321"),  # plate no longer in use
        record(4, plate_number="京A88888"),  # registered elsewhere
    ]
    batch = run(jsonl_rows(rows))
    vehicles = dict(Violation.objects.values_list("record_id", "vehicle_id"))
    assert vehicles == {
        record(1)["record_id"]: mine.pk,
        record(2)["record_id"]: None,
        record(3)["record_id"]: None,
        record(4)["record_id"]: None,
    }
    assert (batch.loaded, batch.unmatched) == (4, 3)


def test_matched_vehicles_get_the_g_letter_in_one_summary_event():
    overdue = VehicleFactory(plate="新B12345", inspection_valid_until=datetime(2025, 1, 1).date())
    overdue.status = "Q"
    overdue.save()
    other = VehicleFactory(plate="新B23456")
    untouched = VehicleFactory(plate="新B34567")
    batch = run(csv_rows([record(1), record(2), record(3, plate_number="新B23456")]))
    overdue.refresh_from_db()
    other.refresh_from_db()
    untouched.refresh_from_db()
    assert (overdue.flags, overdue.status) == ("G", "GQ")
    assert (other.flags, other.status) == ("G", "G")
    assert (untouched.flags, untouched.status) == ("", "A")
    [event] = Event.objects.filter(action="vehicles.flag_bulk")
    assert event.subject_type == "violations.intakebatch"
    assert event.subject_id == str(batch.pk)
    assert event.after == {"letter": "G", "count": 2, "vehicle_ids": sorted([overdue.pk, other.pk])}
    finish = Event.objects.get(action="intake.finish")
    assert finish.after["loaded"] == 3


def test_a_vehicle_already_flagged_is_left_alone():
    vehicle = VehicleFactory(plate="新B12345", flags="G", status="G")
    run(csv_rows([record(1)]))
    assert not Event.objects.filter(action="vehicles.flag_bulk").exists()
    vehicle.refresh_from_db()
    assert vehicle.status == "G"


def test_the_owner_gets_one_inbox_message_per_new_record():
    owner = CitizenFactory()
    VehicleFactory(owner_person=owner.person, plate="新B12345")
    company_vehicle = VehicleFactory(
        owner_person=None, owner_company=CompanyFactory(), plate="新B23456"
    )
    no_account = VehicleFactory(plate="新B34567")
    rows = [record(1), record(2, plate_number="新B23456"), record(3, plate_number="新B34567")]
    run(csv_rows(rows))
    run(csv_rows(rows))
    messages = list(Message.objects.all())
    assert len(messages) == 1
    [message] = messages
    assert message.user == owner
    assert message.channel == "inapp"
    assert message.dedup_key == f"violation.new:{record(1)['record_id']}:inapp"
    assert "新B12345" in message.body and "2026-03-01 09:30" in message.body
    assert "¥200.00" in message.body
    assert company_vehicle.violations.count() == 1 and no_account.violations.count() == 1


def test_summary_lists_counts_and_the_first_rejections():
    batch = run(csv_rows([record(1), record(2, code="0000"), record(3, place="")]))
    with translation.override("en"):
        summary = batch_summary(batch, rejections=1)
    assert {k: summary[k] for k in ("total", "loaded", "rejected")} == {
        "total": 3,
        "loaded": 1,
        "rejected": 2,
    }
    assert summary["rejections"] == [
        {
            "line": 3,
            "record_id": record(2)["record_id"],
            "errors": [
                {
                    "field": "code",
                    "code": "unknown_code",
                    "message": "Violation code 0000 is not in the office's code table.",
                }
            ],
        }
    ]


def test_queries_do_not_grow_with_the_rows():
    """Plates, duplicates and owners are looked up per chunk, never per row."""
    for n in range(20):
        VehicleFactory(plate=f"新B{n:05d}")

    def queries(count: int, offset: int) -> int:
        rows = [record(offset + n, plate_number=f"新B{n:05d}") for n in range(count)]
        with CaptureQueriesContext(connection) as ctx:
            run(csv_rows(rows))
        return len(ctx.captured_queries)

    assert queries(5, 0) == queries(20, 100)


def test_a_delivery_that_breaks_off_keeps_its_chunks_and_can_be_sent_again():
    threads = threading.active_count()

    def rows():
        yield from csv_rows([record(1), record(2)])
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    with pytest.raises(UnicodeDecodeError):
        run(rows(), chunk_size=2)
    batch = IntakeBatch.objects.get()
    assert batch.finished_at is None
    assert (batch.total, batch.loaded) == (2, 2)
    assert threading.active_count() == threads
    again = run(csv_rows([record(1), record(2), record(3)]))
    assert (again.loaded, again.duplicates) == (1, 2)


def test_a_failed_load_stops_the_checking_thread(monkeypatch):
    threads = threading.active_count()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("vmo.violations.intake._load", broken)
    with pytest.raises(RuntimeError):
        run(csv_rows([record(n) for n in range(10)]), chunk_size=2)
    assert threading.active_count() == threads


def test_an_empty_delivery_is_refused_before_any_batch():
    with pytest.raises(IntakeFormatError):
        run(csv_rows([]))
    assert not IntakeBatch.objects.exists()


def test_control_characters_are_refused():
    batch = run(jsonl_rows([record(1, place="延安北路\t路口"), record(2, evidence=["a\nb.jpg"])]))
    assert refused(batch) == {1: [(None, "control_characters")], 2: [(None, "control_characters")]}


def test_backslashes_in_free_text_are_kept():
    run(jsonl_rows([record(1, place="C:\\路口", evidence=["d:\\cam\\1.jpg"])]))
    v = Violation.objects.get()
    assert (v.place, v.evidence) == ("C:\\路口", ["d:\\cam\\1.jpg"])


@pytest.mark.django_db(transaction=True)
def test_chunks_load_on_several_connections_outside_a_transaction():
    """Outside a caller's transaction, PostgreSQL loads chunks on two connections at once."""
    owner = CitizenFactory()
    VehicleFactory(owner_person=owner.person, plate="新B12345")
    VehicleFactory(plate="新B23456")
    rows = [record(n, plate_number="新B12345" if n % 2 else "新B23456") for n in range(1, 41)]
    rows.append(record(3))  # repeated in a later chunk
    batch = run(csv_rows(rows), chunk_size=4)
    assert (batch.total, batch.loaded, batch.duplicates, batch.rejected) == (41, 40, 0, 1)
    assert refused(batch) == {42: [("record_id", "duplicate_earlier_in_file")]}
    assert set(Vehicle.objects.values_list("status", flat=True)) == {"G"}
    assert Message.objects.filter(user=owner).count() == 20
    assert batch.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_failing_chunk_on_any_connection_stops_the_delivery(monkeypatch):
    from vmo.violations import intake

    threads = threading.active_count()
    real, calls = intake._intake_chunk, []

    def flaky(checked, delivery):
        calls.append(threading.current_thread().name)
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        real(checked, delivery)

    monkeypatch.setattr(intake, "_intake_chunk", flaky)
    with pytest.raises(RuntimeError):
        run(csv_rows([record(n) for n in range(1, 41)]), chunk_size=4)
    assert len(calls) < 10
    assert threading.active_count() == threads
    assert IntakeBatch.objects.get().finished_at is None
