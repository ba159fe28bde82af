"""Demo cases of the violation rules of issue 16 (docs/legal-rules.md): the anti-proxy list
and counter handling. Made through the services, once; a second run finds them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from vmo.accounts.models import User
from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.registry import validators
from vmo.registry.lookup import phone_lookup_hash
from vmo.registry.models import Person, Vehicle
from vmo.registry.services import vehicle_set_flags
from vmo.violations import services
from vmo.violations.models import ProxySuspect, VehicleBinding, ViolationCode

from . import identifiers as ids
from .ensure import at, licence_ensure, person_ensure, vehicle_ensure, violation_ensure
from .law_cases import _special_vehicle, _vin

SEAT_BELT = "6011"
DRINK = "1712"  # drink driving: 12 points, handled only at a counter
PROXY_PHONE = "13899990010"


def _owner(k: int) -> Person:
    names = ("刘春燕", "孙伟", "周建华")
    return person_ensure(
        name=names[k],
        id_number=ids.id_number_from("652323", date(1980 + k, 4, 11), 331 + 2 * k),
        phone=f"1389999002{k}",
        address=f"新疆呼图壁县园户路{10 + k}号",
    )


def _cars(prefix: str) -> list[Vehicle]:
    return [
        _special_vehicle(
            20 + k,
            plate=f"{prefix}7QW0{k}",
            plate_type="02",
            vehicle_type="K33",
            use_nature="A",
            model=("吉利", "帝豪"),
            owner_person=_owner(k),
        )
        for k in range(3)
    ]


def violation_cases_ensure(today: date) -> list[tuple[str, Person]]:
    """The citizens of the cases (accounts are made for them by the seed)."""
    proxy_driver = person_ensure(
        name="赵立新",
        id_number=ids.id_number_from("652301", date(1990, 2, 14), 219),
        phone=PROXY_PHONE,
        address="新疆昌吉市延安南路5号",
    )
    licence_ensure(
        proxy_driver,
        file_number="652390000010",
        classes="C1",
        first_issue_date=date(2012, 7, 3),
        valid_from=date(2018, 7, 3),
        valid_to=date(2028, 7, 3),
    )
    owner = _owner(0)
    licence_ensure(
        owner,
        file_number="652390000020",
        classes="C1",
        first_issue_date=date(2008, 9, 12),
        valid_from=date(2020, 9, 12),
        valid_to=date(2030, 9, 12),
    )
    _cars(validators.normalise_plate(office_config().plate_prefix))
    return [("citizen 赵立新 (on the anti-proxy list: three non-own vehicles)", proxy_driver)]


def violation_cases_decide(today: date) -> None:
    """Once the driver has an account: bind the three cars, handle one record of each online;
    the third decision puts the driver on the anti-proxy list (DOMAIN §4)."""
    driver = User.objects.filter(person__phone_hash=phone_lookup_hash(PROXY_PHONE)).first()
    if driver is None or ProxySuspect.objects.filter(person=driver.person).exists():
        return
    code = ViolationCode.objects.get(code=SEAT_BELT)
    cars = _cars(validators.normalise_plate(office_config().plate_prefix))
    bound = datetime.combine(today - timedelta(days=60), time.min, tzinfo=clock.OFFICE_TZ)
    for k, car in enumerate(cars):
        VehicleBinding.objects.get_or_create(
            person=driver.person, vehicle=car, ended_at=None, defaults={"bound_at": bound}
        )
        violation, _ = violation_ensure(
            record_id=f"DEMOPROXY{k}",
            vehicle=car,
            code=code,
            occurred_at=at(today - timedelta(days=20 - 5 * k), 8),
            handled=False,
            place="昌吉市延安北路与北京南路交叉口",
        )
        if not hasattr(violation, "decision"):
            services.violation_handle(violation=violation, actor=driver)


def counter_cases_ensure(today: date) -> None:
    """Two drink-driving records on 刘春燕's car: one waits for an officer at the counter (the
    workbench shows why online handling refuses it), one the supervisor decided there."""
    officer = User.objects.filter(username="supervisor").first()
    if officer is None:
        return
    code = ViolationCode.objects.get(code=DRINK)
    car = _cars(validators.normalise_plate(office_config().plate_prefix))[0]
    for k in range(2):
        violation, _ = violation_ensure(
            record_id=f"DEMODRINK{k}",
            vehicle=car,
            code=code,
            occurred_at=at(today - timedelta(days=4 + k), 22),
            handled=False,
            place="昌吉市延安北路与北京南路交叉口",
        )
    if "G" not in car.flags:  # the record waiting for the counter (violations not handled)
        vehicle_set_flags(vehicle=car, actor=None, add="G", reason="camera record")
    if not hasattr(violation, "decision"):
        owner = car.owner_person
        assert owner is not None
        services.violation_counter_decide(
            violation=violation,
            actor=officer,
            driver_id_number=owner.id_number,
            note="当事人到场，身份证已核验。",
        )


def scrap_case_ensure(today: date) -> None:
    """孙伟's truck, inspected yearly, whose validity ended three years and a month ago: three
    missed cycles, compulsory scrapping reached (强制报废标准 Art 4); the daily notice scan
    (vehicle.compulsory_scrap_reached) tells the owner."""
    from vmo.registry.rules import add_months

    prefix = validators.normalise_plate(office_config().plate_prefix)
    ended = add_months(today, -37)
    vehicle_ensure(
        vin=_vin(30, "LJR", "S1234", 2019),
        vehicle_type="H21",
        use_nature="F",
        brand="解放",
        model_name="J6F",
        colour="A",
        engine_number="L00000030",
        seats=3,
        manufacture_date=date(2019, 1, 10),
        registration_date=date(2019, 2, 20),
        inspection_valid_until=ended,
        insurance_valid_until=ended,
        plate_number=f"{prefix}7QW13",
        plate_type="01",
        owner_person=_owner(1),
    )
