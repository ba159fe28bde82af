"""Demo cases of the legal rules that are easy to miss (docs/legal-rules.md lists them): each
can be seen on a page the moment the server starts. Made once; a second run finds them."""

from __future__ import annotations

import io
from datetime import date, timedelta

from vmo.core.selectors import office_config
from vmo.registry import rules, validators
from vmo.registry.models import Person, Vehicle
from vmo.registry.services import points_record
from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import intake_records, parse_csv
from vmo.violations.models import IntakeBatch

from . import identifiers as ids
from .ensure import licence_ensure, person_ensure, vehicle_ensure

# The delivery whose refused record shows the limitation period (行政处罚法 Art 36).
OLD_RECORDS_SOURCE = "demo-old-records.csv"


def _vin(k: int, wmi: str, vds: str, year: int) -> str:
    # Plant Z with serials from 900000: never one of the other demo VINs (identifiers.vin).
    body = ids.vin(900_000 + k, wmi=wmi, vds=vds, year=year)
    body = body[:10] + "Z" + body[11:]
    return body[:8] + validators.vin_check_char(body) + body[9:]


def _special_vehicle(
    k: int,
    *,
    plate: str,
    plate_type: str,
    vehicle_type: str,
    use_nature: str,
    model: tuple[str, str],
    owner_person: Person,
) -> Vehicle:
    vehicle, _ = vehicle_ensure(
        vin=_vin(k, "LJR", "S1234", 2021),
        vehicle_type=vehicle_type,
        use_nature=use_nature,
        brand=model[0],
        model_name=model[1],
        colour="C",
        engine_number=f"L{k:08d}",
        seats=5 if vehicle_type.startswith("K") else 0,
        manufacture_date=date(2021, 2, 1),
        registration_date=date(2021, 3, 15),
        inspection_valid_until=date(2027, 3, 31),
        insurance_valid_until=date(2027, 3, 14),
        plate_number=plate,
        plate_type=plate_type,
        owner_person=owner_person,
    )
    return vehicle


def _cleared_full_score(person: Person, today: date) -> None:
    """A licence in its renewal window that reached 12 points in this validity, and whose
    points the full-score exam cleared: it renews for six years again (R162 Art 62)."""
    valid_to = today + timedelta(days=60)
    licence, made = licence_ensure(
        person,
        file_number="652390000004",
        classes="C1",
        first_issue_date=rules.add_months(valid_to, -72),
        valid_from=rules.add_months(valid_to, -72),
        valid_to=valid_to,
    )
    if not made:
        return
    reached = rules.add_months(valid_to, -30)
    points_record(
        licence=licence,
        actor=None,
        points=12,
        kind="violation",
        occurred_on=reached,
        source_type="demo",
        source_id="law-full-score",
        note="demo: drink driving (1712)",
    )
    points_record(
        licence=licence,
        actor=None,
        points=-12,
        kind="cleared",
        occurred_on=reached + timedelta(days=40),
        source_type="demo",
        source_id="law-full-score-cleared",
        note="demo: full-score study and exam passed (R163 Art 23)",
    )


def _second_full_score(person: Person, today: date) -> None:
    """A second full score in the current cycle (R163 Art 22): the law exam and the subject 3
    road test, booked after it, before the points are cleared."""
    issue = rules.add_months(today, -12 * 8) - timedelta(days=100)
    licence, made = licence_ensure(
        person,
        file_number="652390000006",
        classes="C1",
        first_issue_date=issue,
        valid_from=rules.add_months(issue, 72),
        valid_to=rules.add_months(issue, 192),
    )
    if not made:
        return
    start = rules.cycle_start(issue, today)
    for n, (points, kind, days) in enumerate(
        ((12, "violation", 10), (-12, "cleared", 40), (12, "violation", 70))
    ):
        points_record(
            licence=licence,
            actor=None,
            points=points,
            kind=kind,
            occurred_on=min(start + timedelta(days=days), today),
            source_type="demo",
            source_id=f"law-second-full-score-{n}",
            note="demo: R163 Art 22",
        )


CAMERA_COLUMNS = (
    "record_id,occurred_at,place,device,plate_number,plate_type,code,speed_kmh,limit_kmh,evidence"
)


def camera_deliver(*, source_name: str, records: list[str]) -> None:
    """A demo delivery of camera records (CSV lines under CAMERA_COLUMNS) through the intake."""
    intake_records(
        rows=parse_csv(io.StringIO("\n".join([CAMERA_COLUMNS, *records]) + "\n")),
        channel=IntakeChannel.COMMAND,
        source_name=source_name,
    )


def _old_records(today: date, trailer: Vehicle) -> None:
    """A delivery of two camera records: one on the company's trailer (a 挂 plate, GA 36), one
    more than two years old, refused with the limitation reason (行政处罚法 Art 36)."""
    if IntakeBatch.objects.filter(source_name=OLD_RECORDS_SOURCE).exists():
        return
    plate = trailer.plates.get().number
    old = today - timedelta(days=2 * 365 + 30)
    rows = [
        f"DEMOLAW0001,{today - timedelta(days=6)}T10:17:00+08:00,昌吉市屯河路与乌伊东路交叉口,"
        f"CJ-CAM-207,{plate},15,1625,,,cam207/trailer-1.jpg|cam207/trailer-2.jpg",
        f"DEMOLAW0002,{old}T16:05:00+08:00,昌吉市延安北路,CJ-CAM-118,{plate},15,1039,,,"
        "cam118/old-1.jpg",
    ]
    camera_deliver(source_name=OLD_RECORDS_SOURCE, records=rows)


def _temporary_plate(person: Person, today: date) -> None:
    """A car bought and not yet registered, on its temporary plate (R164 Arts 46-47): valid for
    three more days, so the holder's status says so; two more issues are left."""
    from vmo.registry.models import TemporaryPlate
    from vmo.registry.services import temporary_plate_issue

    vin = _vin(46, "LFV", "A2B3C", 2026)
    if TemporaryPlate.objects.filter(vin=vin).exists():
        return
    temporary_plate_issue(
        actor=None,
        vin=vin,
        case="acquired",
        valid_from=today,
        valid_to=today + timedelta(days=2),
        insurance_valid_until=today + timedelta(days=364),
        holder_person=person,
        reason="demo: R164 Arts 46-47",
    )


def law_cases_ensure(today: date) -> list[tuple[str, Person]]:
    """The cases, and the citizens who sign in to see theirs."""
    prefix = validators.normalise_plate(office_config().plate_prefix)
    # A Hong Kong resident with a residence permit (region 810000) and a licence to renew.
    chen = person_ensure(
        name="陈大文",
        id_number=ids.id_number_from("810000", date(1979, 8, 2), 771),
        phone="13899990004",
        address="新疆昌吉市建国西路21号",
    )
    _cleared_full_score(chen, today)
    # A foreigner with the permanent residence ID card (9, Xinjiang 65, nationality 398), who
    # owns a semi-trailer (挂) and a driving-school car (学).
    askar = person_ensure(
        name="阿斯卡尔·努尔兰",
        id_number=ids.id_number_from("965398", date(1983, 5, 9), 553),
        phone="13899990005",
        address="新疆昌吉市宁边西路9号",
    )
    second = person_ensure(
        name="张海涛",
        id_number=ids.id_number_from("652301", date(1986, 10, 3), 615),
        phone="13899990006",
        address="新疆昌吉市北京北路33号",
    )
    _second_full_score(second, today)
    # A holder of a large truck class (B2) who turns 63 in 40 days (R162 Art 65): told now.
    turns = today + timedelta(days=40)
    senior_driver = person_ensure(
        name="王振华",
        id_number=ids.id_number_from(
            "652302", rules.add_months(turns, -12 * rules.CLASS_EXCHANGE_AGE), 417
        ),
        phone="13899990007",
        address="新疆阜康市博峰街7号",
    )
    licence_ensure(
        senior_driver,
        file_number="652390000007",
        classes="B2",
        first_issue_date=date(1995, 5, 10),
        valid_from=date(2015, 5, 10),
        valid_to=None,
    )
    trailer = _special_vehicle(
        1,
        plate=f"{prefix}2851挂",
        plate_type="15",
        vehicle_type="B11",
        use_nature="F",
        model=("中集", "半挂车"),
        owner_person=askar,
    )
    _special_vehicle(
        2,
        plate=f"{prefix}0736学",
        plate_type="16",
        vehicle_type="K33",
        use_nature="N",
        model=("大众", "桑塔纳（教练车）"),
        owner_person=askar,
    )
    _old_records(today, trailer)
    # Bought a new car and drives it on a temporary plate until it is registered.
    buyer = person_ensure(
        name="孙佳怡",
        id_number=ids.id_number_from("652323", date(1990, 3, 14), 283),
        phone="13899990046",
        address="新疆昌吉市呼图壁县团结路5号",
    )
    _temporary_plate(buyer, today)
    return [
        ("citizen 陈大文 (Hong Kong residence permit)", chen),
        ("citizen 阿斯卡尔·努尔兰 (permanent residence ID card)", askar),
        ("citizen 张海涛 (second full score: law exam and subject 3)", second),
        ("citizen 王振华 (B2 class, turns 63 in 40 days)", senior_driver),
        ("citizen 孙佳怡 (temporary plate, 3 days left)", buyer),
    ]


def law_notices_ensure(today: date) -> None:
    """The notices of the cases, once their citizens have accounts (the scan's dedup keys make
    a second run write nothing)."""
    from vmo.education.age_duties import scan_class_exchange

    scan_class_exchange(day=today)
