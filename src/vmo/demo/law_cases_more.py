"""Demo cases of the rules issue 16 completed (docs/legal-rules.md), each seen on a page: a
full-score exam passed and then found falsified (R163 Art 31), a renewal deferral that ended
yesterday (R162 Art 75), a temporary-plate application pending for a VIN (R164 Art 47), a new
camera record on the company's vehicle told to its agent (R164
Art 86), a truck whose certificates were declared void (status P, R164 Art 41), a holder turned
70 (R162 Art 74), a learner permit that lapsed (R162 Art 41) and a car sold before the camera
record of its seller's offence arrived (RTSL Art 114). Made through the services,
once; a second run finds them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from vmo.accounts.models import User
from vmo.appointments.choices import AppointmentKind
from vmo.appointments.models import Booking, Learner, Session, Site
from vmo.appointments.permits import learner_permit_lapse
from vmo.appointments.results import result_record
from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.education.models import FullScoreStudy
from vmo.education.services.cheating import full_score_cheating_record
from vmo.education.services.full_score import full_score_assign
from vmo.notices.models import Message
from vmo.registry import rules, validators
from vmo.registry.models import Company, Person
from vmo.registry.services import (
    licence_set_flags,
    licence_update_dates,
    points_record,
)
from vmo.violations.models import IntakeBatch

from . import identifiers as ids
from .ensure import licence_ensure, person_ensure
from .law_cases import camera_deliver

COMPANY_RECORD_SOURCE = "demo-company-record.csv"
SALE_RECORD_SOURCE = "demo-sale-late-record.csv"
EXAM_SITE = "昌吉州驾驶人考试中心"


def _person(name: str, born: date, seq: int, phone: str, address: str) -> Person:
    """The case's citizen, with an account before anything tells them (their inbox has it)."""
    from .seed import citizen_account_ensure

    person = person_ensure(
        name=name, id_number=ids.id_number_from("652301", born, seq), phone=phone, address=address
    )
    citizen_account_ensure(person)
    return person


def _exam_void(today: date) -> Person:
    """吴志刚 reached 12 points, studied, passed the full-score exam a week ago and got his
    licence back; today the supervisor found the exam was taken by someone else: the booking
    reads void on /appointments/, the points and the letters B and U are back."""
    person = _person("吴志刚", date(1985, 6, 21), 457, "13899990032", "新疆昌吉市长宁南路8号")
    issue = rules.add_months(today, -12 * 10) - timedelta(days=150)
    licence, made = licence_ensure(
        person,
        file_number="652390000032",
        classes="C1",
        first_issue_date=issue,
        valid_from=rules.add_months(issue, 72),
        valid_to=rules.add_months(issue, 192),
    )
    if not made:
        return person
    exam_day = today - timedelta(days=7)
    points_record(
        licence=licence,
        actor=None,
        points=12,
        kind="violation",
        occurred_on=max(rules.cycle_start(issue, today), today - timedelta(days=40)),
        source_type="demo",
        source_id="law-exam-void-full-score",
        note="demo: R163 Art 17",
    )
    licence_set_flags(licence=licence, actor=None, add="U", reason="R163 Art 17")
    study = full_score_assign(licence=licence)
    assert study is not None
    FullScoreStudy.objects.filter(pk=study.pk).update(
        assigned_at=study.assigned_at - timedelta(days=30),
        completed_at=clock.now() - timedelta(days=10),
    )
    site = Site.objects.filter(kind=AppointmentKind.EXAM, name=EXAM_SITE).first()
    site = site or Site.objects.create(kind=AppointmentKind.EXAM, name=EXAM_SITE)
    session = Session.objects.create(
        site=site,
        kind=AppointmentKind.EXAM,
        subject="full",
        day=exam_day,
        start_time=time(10, 0),
        end_time=time(10, 45),
        capacity=20,
        booked=1,
    )
    booking = Booking.objects.create(
        session=session, kind=AppointmentKind.EXAM, subject="full", person=person, licence=licence
    )
    supervisor = User.objects.get(username="supervisor")
    result_record(actor=supervisor, booking=booking, result="passed", score=96)
    full_score_cheating_record(
        study=study,
        actor=supervisor,
        kind="exam",
        reason="考场监控录像显示满分考试由他人代考",
    )
    return person


def _deferral_ended(today: date) -> Person:
    """郑丽 deferred her renewal while working abroad (D04) until yesterday: from today N no
    longer applies, so her expired licence reads M (renewal overdue) on /me/."""
    person = _person("郑丽", date(1988, 11, 2), 264, "13899990033", "新疆昌吉市北京北路61号")
    valid_to = today - timedelta(days=200)
    licence, made = licence_ensure(
        person,
        file_number="652390000033",
        classes="C1",
        first_issue_date=rules.add_months(valid_to, -120),
        valid_from=rules.add_months(valid_to, -72),
        valid_to=valid_to,
    )
    if made:
        type(licence).objects.filter(pk=licence.pk).update(
            renewal_deferred_until=today - timedelta(days=1)
        )
        licence_set_flags(licence=licence, actor=None, add="N", reason="R162 Art 75")
    return person


def _senior(today: date) -> Person:
    """钱守义 turned 70 ten days ago: the daily scan set his first physical-condition proof,
    due 30 days after the birthday (R162 Art 74), on /me/."""
    born = rules.add_months(today - timedelta(days=10), -12 * rules.SENIOR_PROOF_AGE)
    person = _person("钱守义", born, 195, "13899990035", "新疆昌吉市宁边东路17号")
    licence, made = licence_ensure(
        person,
        file_number="652390000035",
        classes="C1",
        first_issue_date=date(1990, 4, 3),
        valid_from=date(2012, 4, 3),
        valid_to=None,
    )
    due = rules.senior_proof_due(born, today)
    if made and due is not None:
        # What the daily scan (education.age_duties.senior_proof_set) does, for this licence
        # only: the city's other licences are the scan's when it runs.
        licence_update_dates(
            licence=licence,
            actor=None,
            reason="R162 Art 74: holder aged 70, yearly physical-condition proof",
            physical_due=due,
        )
    return person


def _permit_lapsed(today: date) -> Person:
    """何晓燕 passed subject 1 three years ago and no more: her permit ended yesterday, so the
    daily scan closed it as lapsed with the subject passed (R162 Art 41); her inbox says so."""
    person = _person("何晓燕", date(2001, 8, 9), 528, "13899990036", "新疆昌吉市延安南路40号")
    if not Learner.objects.filter(person=person).exists():
        issued = rules.add_months(today, -36)
        learner = Learner.objects.create(
            person=person,
            licence_class="C1",
            accepted_on=issued - timedelta(days=10),
            permit_issued_on=issued,
            permit_valid_until=today - timedelta(days=1),
            subject1_passed_on=issued,
        )
        learner_permit_lapse(learner_id=learner.pk, day=today)
    return person


def _company_record(today: date) -> None:
    """A camera record entered today on a vehicle of 昌吉市天山运输有限公司: its agent 李建军,
    authorised today, has it in his inbox (R164 Art 86), as an owner would."""
    if IntakeBatch.objects.filter(source_name=COMPANY_RECORD_SOURCE).exists():
        return
    company = Company.objects.filter(name="昌吉市天山运输有限公司").first()
    vehicle = company.vehicles.order_by("pk").first() if company else None
    if vehicle is None:  # the named city's company is made by the seed first
        return
    plate = vehicle.plates.get(status="active")
    rows = [
        f"DEMOCOMPANY1,{today - timedelta(days=1)}T15:42:00+08:00,昌吉市乌伊东路与延安北路交叉口,"
        f"CJ-CAM-131,{plate.number},{plate.plate_type},1625,,,cam131/company-1.jpg",
    ]
    camera_deliver(source_name=COMPANY_RECORD_SOURCE, records=rows)


def _scrap_void(today: date) -> Person:
    """冯德明's truck reached compulsory scrapping, he was told 40 days ago and did not cancel:
    the supervisor declared its certificates and plates void (status P, R164 Art 41(1)); the
    truck reads P on /me/ and the announcement draft waits for the editors."""
    from vmo.core.plates import plate_text
    from vmo.notices import services as notices
    from vmo.notices.notice_scans import SCRAP_REACHED, scrap_told_key
    from vmo.office.scrap import scrap_void_confirm
    from vmo.registry import scrap

    from .ensure import vehicle_ensure
    from .law_cases import _vin

    person = _person("冯德明", date(1972, 1, 30), 377, "13899990034", "新疆昌吉市屯河路3号")
    prefix = validators.normalise_plate(office_config().plate_prefix)
    ended = rules.add_months(today, -38)
    truck, _made = vehicle_ensure(
        vin=_vin(34, "LJR", "S1234", 2018),
        vehicle_type="H21",
        use_nature="F",
        brand="陕汽",
        model_name="德龙",
        colour="B",
        engine_number="L00000034",
        seats=3,
        manufacture_date=date(2018, 3, 2),
        registration_date=date(2018, 4, 18),
        inspection_valid_until=ended,
        insurance_valid_until=ended,
        plate_number=f"{prefix}7QW15",
        plate_type="01",
        owner_person=person,
    )
    if "P" in truck.flags:
        return person
    key = scrap_told_key(truck.pk, truck.inspection_valid_until)
    if not Message.objects.filter(dedup_key__startswith=f"{key}:").exists():
        notices.notify(
            kind=SCRAP_REACHED,
            context={
                "plate": plate_text(f"{prefix}7QW15"),
                "date": truck.inspection_valid_until.isoformat(),
                "days": scrap.CANCEL_PERIOD_DAYS,
            },
            dedup_key=key,
            user=getattr(person, "account", None),
            phone=person.phone,
            link="/me/",
        )
        told_at = datetime.combine(today - timedelta(days=40), time(8, 0), tzinfo=clock.OFFICE_TZ)
        Message.objects.filter(dedup_key__startswith=f"{key}:").update(created_at=told_at)
    scrap_void_confirm(vehicle_id=truck.pk, actor=User.objects.get(username="supervisor"))
    return person


def _temporary_plate_pending(today: date) -> Person:
    """杨帆 bought a car and applied for its temporary plate (V12); the application is with the
    office. A second application for the same VIN is refused at submission with the reason
    (R164 Art 47, one application per VIN at a time): /applications/ shows the first, and
    starting another for the VIN shows the refusal."""
    from .law_cases import _vin
    from .seed import citizen_account_ensure
    from .services_demo import _application_in_queue

    person = _person("杨帆", date(1993, 5, 27), 642, "13899990037", "新疆昌吉市光明北路12号")
    _application_in_queue(
        citizen_account_ensure(person),
        "V12",
        {
            "vin": _vin(47, "LFV", "A2B3C", 2026),
            "temp_case": "acquired",
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=29)).isoformat(),
            "insurance_valid_until": (today + timedelta(days=364)).isoformat(),
        },
    )
    return person


def _sale_late_record(today: date) -> Person:
    """孙建华 sold his car to 周敏 three days ago; the camera record of an offence the day before
    the sale arrived today. It is his, the owner at the time (RTSL Art 114): on his /violations/
    and in his inbox; 周敏 does not see it and is not told of it."""
    from vmo.registry.models import PastOwner
    from vmo.registry.services import vehicle_transfer

    from .ensure import vehicle_ensure
    from .law_cases import _vin

    seller = _person("孙建华", date(1979, 4, 12), 318, "13899990038", "新疆昌吉市建国西路22号")
    buyer = _person("周敏", date(1990, 9, 3), 726, "13899990039", "新疆昌吉市北京南路9号")
    if IntakeBatch.objects.filter(source_name=SALE_RECORD_SOURCE).exists():
        return seller
    prefix = validators.normalise_plate(office_config().plate_prefix)
    car, _made = vehicle_ensure(
        vin=_vin(38, "LSV", "D4E5F", 2021),
        vehicle_type="K33",
        use_nature="A",
        brand="大众",
        model_name="朗逸",
        colour="A",
        engine_number="L00000038",
        seats=5,
        manufacture_date=date(2021, 2, 1),
        registration_date=date(2021, 3, 15),
        inspection_valid_until=date(2027, 3, 31),
        insurance_valid_until=today + timedelta(days=200),
        plate_number=f"{prefix}5TR38",
        plate_type="02",
        owner_person=seller,
    )
    sold_at = datetime.combine(today - timedelta(days=3), time(11, 0), tzinfo=clock.OFFICE_TZ)
    if car.owner_person_id == seller.pk:
        vehicle_transfer(
            vehicle=car, actor=None, reason="R164 Art 25", new_owner=buyer, on=sold_at.date()
        )
        # Registered three days ago, as the case tells it.
        PastOwner.objects.filter(vehicle=car).update(until=sold_at)
    offence = sold_at - timedelta(days=1) + timedelta(hours=6, minutes=20)
    rows = [
        f"DEMOSALE1,{offence.isoformat()},昌吉市延安北路与北京南路交叉口,"
        f"CJ-CAM-101,{prefix}5TR38,02,1625,,,cam101/sale-1.jpg",
    ]
    camera_deliver(source_name=SALE_RECORD_SOURCE, records=rows)
    return seller


def more_cases_ensure(today: date) -> list[tuple[str, Person]]:
    """The cases, and the citizens who sign in to see theirs (accounts made here)."""
    rows = [
        ("citizen 吴志刚 (full-score exam passed, then found falsified: void)", _exam_void),
        ("citizen 郑丽 (renewal deferral ended yesterday: overdue)", _deferral_ended),
        ("citizen 冯德明 (truck's certificates declared void: status P)", _scrap_void),
        ("citizen 钱守义 (turned 70: yearly physical-condition proof)", _senior),
        ("citizen 何晓燕 (learner permit lapsed)", _permit_lapsed),
        (
            "citizen 杨帆 (temporary plate applied for: one application per VIN)",
            _temporary_plate_pending,
        ),
        (
            "citizen 孙建华 (sold his car; a record from before the sale came after it)",
            _sale_late_record,
        ),
    ]
    made = [(who, case(today)) for who, case in rows]
    _company_record(today)
    return made
