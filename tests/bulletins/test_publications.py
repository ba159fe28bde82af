"""Publications built from the records on their schedule, and tables uploaded by editors."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CitizenFactory, VehicleFactory
from vmo.applications.models import Application
from vmo.bulletins import builders, services
from vmo.bulletins.models import Publication
from vmo.catalog.businesses import ALL
from vmo.core.clock import OFFICE_TZ
from vmo.violations.models import Violation, ViolationCode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _violation(
    n, *, place, vehicle=None, code="1625", when=datetime(2025, 4, 10, 9, tzinfo=OFFICE_TZ)
):
    return Violation.objects.create(
        record_id=f"R{n:06d}",
        plate_number=vehicle.plates.get().number if vehicle else "新B00001",
        vehicle=vehicle,
        code=ViolationCode.objects.get(code=code),
        occurred_at=when,
        place=place,
        device=f"CAM-{place[-1]}",
        points=6,
        fine_fen=20000,
        recorded_at=when,
    )


def _application(citizen, n, code, *, submitted=None, **fields):
    return Application.objects.create(
        reference=f"A{n}",
        idempotency_key=f"k{n}",
        business_code=code,
        applicant=citizen,
        status=fields.pop("status", "submitted"),
        submitted_at=submitted or datetime(2025, 4, 3, 10, tzinfo=OFFICE_TZ),
        **fields,
    )


def _rows(publication):
    return list(publication.rows.order_by("position").values_list("cells", flat=True))


def test_monthly_tables_are_built_once_for_last_month(frozen):
    citizen = CitizenFactory()
    for n, code in enumerate(["V05", "V05", "D01"]):
        _application(citizen, n, code)
    _application(citizen, 9, "V05", submitted=datetime(2025, 5, 2, 10, tzinfo=OFFICE_TZ))
    made = services.publications_generate(day=date(2025, 5, 14))
    stats = next(p for p in made if p.kind == "business_stats")
    assert (stats.period, stats.data_date) == ("2025-04", date(2025, 4, 30))
    by_code = {row[0]: row for row in _rows(stats)}
    assert by_code["V05"][2] == "2" and by_code["D01"][2] == "1"
    assert len(by_code) == len(ALL)
    # Stored in the office's language whatever the caller's.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in by_code["V05"][1])
    again = services.publications_generate(day=date(2025, 5, 15))
    assert not [p for p in again if p.kind == "business_stats"]


def test_sources_that_do_not_exist_yet_are_skipped_not_faked(frozen):
    made = {p.kind for p in services.publications_generate(day=date(2025, 5, 14))}
    for kind, module, name in (
        ("plate_selections", "vmo.plates.selectors", "selection_results"),
        ("exam_results", "vmo.appointments.selectors", "exam_results"),
    ):
        if builders._hook(module, name) is None:
            assert kind not in made
        else:
            assert kind in made
    # Applications record completion and due dates, so time-limit compliance is always built.
    assert "time_limits" in made


def test_fee_standards_are_published_again_only_when_they_change(frozen, monkeypatch):
    first = [
        p
        for p in services.publications_generate(day=date(2025, 5, 14))
        if p.kind == "fee_standards"
    ]
    assert len(first) == 1
    rows = _rows(first[0])
    assert len(rows) == len(ALL) and all(
        row[2].replace(".", "").replace(",", "").isdigit() for row in rows
    )
    assert not [
        p
        for p in services.publications_generate(day=date(2025, 5, 15))
        if p.kind == "fee_standards"
    ]
    changed = [["V01", "x", "10.00"]]
    monkeypatch.setattr(builders, "fee_standards", lambda period: changed)
    monkeypatch.setattr(
        builders,
        "SCHEDULES",
        (builders.Schedule("fee_standards", "on_change", lambda period: changed),),
    )
    newer = services.publications_generate(day=date(2025, 5, 16))
    assert len(newer) == 1 and _rows(newer[0]) == changed
    # The period is the day, so both stay published; the newest is first in the list.
    assert Publication.objects.filter(kind="fee_standards").count() == 2


def test_hotspots_key_vehicles_and_cameras_from_violations(frozen):
    bus = VehicleFactory(plate="新B77777", vehicle_type="K11", use_nature="B")
    car = VehicleFactory(plate="新B66666")
    for n in range(3):
        _violation(n, place="昌吉市延安北路口A", vehicle=bus)
    _violation(10, place="昌吉市北京南路口B", vehicle=car)
    made = {p.kind: p for p in services.publications_generate(day=date(2025, 5, 14))}
    hot = _rows(made["violation_hotspots"])
    assert hot[0][:3] == ["1", "昌吉市延安北路口A", "3"] and hot[0][3].startswith("1625")
    key = _rows(made["key_vehicles"])
    assert [r[0] for r in key] == ["新B·77777"] and key[0][4] == "3"
    cameras = _rows(made["camera_locations"])
    assert ["昌吉市延安北路口A", "CAM-A", "3"] in cameras


# Headers in English or Chinese (the labels on the upload page) or as keys.
UPLOAD_OK = "Month,area,Accidents,Deaths,Injuries\n2025-04,昌吉市,12,1,9\n2025-04,呼图壁县,3,0,2\n"


def test_an_uploaded_table_is_published_with_its_data_date(frozen, editor):
    publication = services.publication_upload(
        actor=editor,
        kind="accident_stats",
        data_date=date(2025, 4, 30),
        title="",
        note="",
        data=UPLOAD_OK.encode("utf-8"),
    )
    assert publication.row_count == 2 and publication.source == "upload"
    assert _rows(publication)[0] == ["2025-04", "昌吉市", "12", "1", "9"]
    # GB18030 (Excel in a Chinese locale) reads the same; a second upload replaces the first.
    again = services.publication_upload(
        actor=editor,
        kind="accident_stats",
        data_date=date(2025, 4, 30),
        title="",
        note="",
        data=UPLOAD_OK.encode("gb18030"),
    )
    publication.refresh_from_db()
    assert publication.state == "superseded" and again.state == "published"


def test_every_problem_of_an_upload_is_listed_and_nothing_is_saved(frozen, editor):
    bad = "school,subject,sat,passed\n昌吉驾校,科目二,10,12\n,科目一,x,1\n宏达驾校,科目三,5\n"
    with pytest.raises(ValidationError) as exc:
        services.publication_upload(
            actor=editor,
            kind="school_pass_rates",
            data_date=date(2025, 4, 30),
            title="",
            note="",
            data=bad.encode("utf-8"),
        )
    problems = exc.value.message_dict["file"]
    assert len(problems) == 4, problems
    assert any("Line 2" in p and "More passed" in p for p in problems)
    assert any("Line 3" in p and "Driving school" in p for p in problems)
    assert any("Line 3" in p and "whole number" in p for p in problems)
    assert any("Line 4" in p and "3 columns" in p for p in problems)
    assert not Publication.objects.exists()


def test_upload_refuses_tables_built_from_records_and_future_dates(frozen, editor):
    with pytest.raises(ValidationError) as exc:
        services.publication_upload(
            actor=editor,
            kind="fee_standards",
            data_date=date(2025, 5, 14) + timedelta(days=1),
            title="",
            note="",
            data=b"",
        )
    assert set(exc.value.message_dict) == {"kind", "data_date"}


def test_time_limit_compliance_counts_completed_on_or_before_the_due_date(frozen):
    citizen = CitizenFactory()
    done = datetime(2025, 4, 10, 16, tzinfo=OFFICE_TZ)
    for n, due in enumerate([date(2025, 4, 10), date(2025, 4, 11), date(2025, 4, 9)]):
        _application(citizen, n, "V05", status="completed", completed_at=done, due_on=due)
    made = {p.kind: p for p in services.publications_generate(day=date(2025, 5, 14))}
    row = next(r for r in _rows(made["time_limits"]) if r[0] == "V05")
    assert row[3:] == ["3", "2", "66.7%"]
