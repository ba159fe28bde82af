"""The demo city: a few named people to sign in as, officers of every role, and a few hundred
plausible records, so every feature can be tried the moment the server starts.

Idempotent: every record is looked up by a stable key (ID number, VIN, record id, username)
before it is made, and follow-up changes (flags, points) are made only on the run that made
the record. Keys never depend on the date; dates that should look current (validity, due
dates, violation times) are relative to the clock on the run that creates them.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vmo.accounts.choices import AccountKind, OfficerRole
from vmo.accounts.models import User
from vmo.accounts.services import officer_create
from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.registry import rules, validators
from vmo.registry.choices import CompanyRole
from vmo.registry.lookup import phone_lookup_hash
from vmo.registry.models import Company, CompanyRepresentative, Person, Vehicle
from vmo.registry.services import company_create, vehicle_set_flags
from vmo.violations.models import ViolationCode

from . import identifiers as ids
from .data import MODELS, PLACES_ON_ROADS
from .ensure import (
    at,
    licence_ensure,
    person_ensure,
    points_ensure,
    vehicle_ensure,
    violation_codes_sync,
    violation_ensure,
)
from .population import bulk_ensure

CITIZEN_PASSWORD = "Demo-2026!"
OFFICER_PASSWORD = "Officer-2026!"
OFFICERS = (
    ("admin", "王建华", OfficerRole.ADMINISTRATOR),
    ("clerk", "李娜", OfficerRole.CLERK),
    ("reviewer", "马永福", OfficerRole.REVIEWER),
    ("supervisor", "张立新", OfficerRole.SUPERVISOR),
    ("editor", "古丽娜尔·艾力", OfficerRole.CONTENT_EDITOR),
    # A second editor: announcements and lessons are reviewed by someone other than the author.
    ("editor2", "刘海燕", OfficerRole.CONTENT_EDITOR),
    ("auditor", "赵文博", OfficerRole.AUDITOR),
)


@dataclass(frozen=True)
class SignIn:
    who: str
    identifier: str
    password: str
    totp_secret: str = ""


def demo_totp_key(username: str) -> str:
    """A fixed 20-byte key per demo officer, so the README can print the secret. Demo only."""
    return hashlib.sha1(f"vmo-demo-totp:{username}".encode(), usedforsecurity=False).hexdigest()


def totp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def citizen_account_ensure(person: Person) -> User:
    user = User.objects.filter(person=person).first()
    if user is None:
        # accounts.services has no service for an account without the SMS sign-up steps.
        user = User(kind=AccountKind.CITIZEN, username=f"c{person.pk}", person=person)
        user.set_password(CITIZEN_PASSWORD)
        user.save()
    return user


# --- Officers ---------------------------------------------------------------------------------


def officers_ensure() -> list[SignIn]:
    """One officer per role. Only officers made here get the published TOTP key: an account
    that already existed keeps its own device."""
    rows: list[SignIn] = []
    admin: User | None = None
    for username, full_name, role in OFFICERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, device = officer_create(
                actor=admin,
                username=username,
                full_name=full_name,
                role=role,
                password=OFFICER_PASSWORD,
            )
            device.key, device.confirmed = demo_totp_key(username), True
            device.save(update_fields=["key", "confirmed"])
        admin = admin or user
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        known = device is not None and device.key == demo_totp_key(username)
        secret = totp_secret(device) if known else "(the account's own authenticator)"
        rows.append(SignIn(f"{role.label} {full_name}", username, OFFICER_PASSWORD, secret))
    return rows


# --- The named citizens and the company -------------------------------------------------------


def _named_vehicle(
    k: int,
    model_index: int,
    *,
    plate: str,
    owner: dict[str, Any],
    inspection_until: date,
    year: int,
) -> tuple[Vehicle, bool]:
    model = MODELS[model_index]
    # Plant Z: hand-made VINs never meet the counter-made ones (identifiers.vin).
    body = ids.vin(k, wmi=model.wmi, vds=model.vds, year=year)
    vin = body[:10] + "Z" + body[11:]
    vin = vin[:8] + validators.vin_check_char(vin) + vin[9:]
    return vehicle_ensure(
        vin=vin,
        vehicle_type=model.vehicle_type,
        use_nature=model.use_nature,
        brand=model.brand,
        model_name=model.name,
        colour="A",
        engine_number=f"E{year}{k:07d}",
        seats=model.seats,
        new_energy=model.new_energy,
        manufacture_date=date(year, 3, 1),
        registration_date=date(year, 4, 18),
        inspection_valid_until=inspection_until,
        insurance_valid_until=inspection_until + timedelta(days=120),
        plate_number=plate,
        plate_type=model.plate_type,
        **owner,
    )


def named_ensure(today: date) -> list[SignIn]:
    config = office_config()
    prefix = validators.normalise_plate(config.plate_prefix)
    codes = {c.code: c for c in ViolationCode.objects.all()}

    # Citizen 1: a licence with 3 points, a car with 3 unhandled camera violations, a car due for inspection.
    ma = person_ensure(
        name="马建国",
        id_number=ids.id_number_from("652301", date(1975, 3, 12), 991),
        phone="13899990001",
        address="新疆昌吉市延安北路118号",
    )
    issue = rules.add_months(today, -12 * 12) - timedelta(days=200)
    ma_licence, _ = licence_ensure(
        ma,
        file_number="652390000001",
        classes="C1",
        first_issue_date=issue,
        valid_from=rules.add_months(issue, 72),
        valid_to=rules.add_months(issue, 192),
    )
    car, car_new = _named_vehicle(
        1,
        0,
        plate=f"{prefix}A7K21",
        owner={"owner_person": ma},
        inspection_until=today + timedelta(days=300),
        year=2019,
    )
    handled, _ = violation_ensure(
        record_id="DEMO000001",
        vehicle=car,
        code=codes["1357"],
        occurred_at=at(today - timedelta(days=30), 9),
        handled=True,
        place="昌吉市长宁路人行横道",
    )
    points_ensure(ma_licence, handled)
    for n, (code, days) in enumerate((("1039", 12), ("1344", 25), ("1625", 8)), start=2):
        violation_ensure(
            record_id=f"DEMO{n:06d}",
            vehicle=car,
            code=codes[code],
            occurred_at=at(today - timedelta(days=days), 8 + n),
            handled=False,
            place=PLACES_ON_ROADS[n],
        )
    if car_new:
        vehicle_set_flags(
            vehicle=car, actor=None, add="G", reason="demo: camera violations not handled"
        )
    _named_vehicle(
        2,
        8,
        plate=f"{prefix}D12345",
        owner={"owner_person": ma},
        inspection_until=today + timedelta(days=40),
        year=2022,
    )

    # Citizen 2: a licence that expires in 45 days (renewal window open), one car.
    ayi = person_ensure(
        name="阿依古丽·买买提",
        id_number=ids.id_number_from("652301", date(1988, 7, 21), 982),
        phone="13899990002",
        address="新疆昌吉市北京南路56号",
    )
    valid_to = today + timedelta(days=45)
    licence_ensure(
        ayi,
        file_number="652390000002",
        classes="C1",
        first_issue_date=rules.add_months(valid_to, -72),
        valid_from=rules.add_months(valid_to, -72),
        valid_to=valid_to,
    )
    _named_vehicle(
        3,
        1,
        plate=f"{prefix}F3H58",
        owner={"owner_person": ayi},
        inspection_until=today + timedelta(days=500),
        year=2021,
    )

    # A transport company with its authorised agent.
    first17 = "91652301MA79XK2L3"
    company = Company.objects.filter(
        uscc=first17 + validators.uscc_check_char(first17)
    ).first() or company_create(
        actor=None,
        name="昌吉市天山运输有限公司",
        uscc=first17 + validators.uscc_check_char(first17),
        address="新疆昌吉市乌伊东路88号",
    )
    agent = person_ensure(
        name="李建军",
        id_number=ids.id_number_from("652302", date(1982, 4, 16), 973),
        phone="13899990003",
        address="新疆阜康市天池街12号",
    )
    CompanyRepresentative.objects.get_or_create(
        company=company, person=agent, defaults={"role": CompanyRole.AGENT}
    )
    for k, model_index, serial in ((4, 14, "7T285"), (5, 15, "8K106"), (6, 17, "5G902")):
        _named_vehicle(
            k,
            model_index,
            plate=f"{prefix}{serial}",
            owner={"owner_company": company},
            inspection_until=today + timedelta(days=90 + 40 * k),
            year=2020,
        )

    from .agents import agents_ensure
    from .law_cases import law_cases_ensure, law_notices_ensure
    from .law_cases_violations import (
        counter_cases_ensure,
        scrap_case_ensure,
        violation_cases_decide,
        violation_cases_ensure,
    )

    rows = []
    for person, who in (
        (ma, "citizen 马建国"),
        (ayi, "citizen 阿依古丽·买买提"),
        (agent, "company agent 李建军"),
        *agents_ensure(today, company, agent),
        *((p, w) for w, p in law_cases_ensure(today)),
        *((p, w) for w, p in violation_cases_ensure(today)),
    ):
        citizen_account_ensure(person)
        rows.append(SignIn(who, person.phone, CITIZEN_PASSWORD))
    law_notices_ensure(today)
    violation_cases_decide(today)
    counter_cases_ensure(today)
    scrap_case_ensure(today)
    from .law_cases_scrap import scrap_void_case_ensure

    scrap_void_case_ensure(today)
    from .law_cases_study import study_case_ensure

    for who, person in study_case_ensure(today):
        rows.append(SignIn(who, person.phone, CITIZEN_PASSWORD))
    from .law_cases_more import more_cases_ensure

    for who, person in more_cases_ensure(today):
        rows.append(SignIn(who, person.phone, CITIZEN_PASSWORD))
    return rows


def seed_demo() -> list[SignIn]:
    """Make the demo city (or find it already made) and return the sign-in details."""
    today = clock.today()
    with transaction.atomic():
        violation_codes_sync()
        officers = officers_ensure()
        citizens = named_ensure(today)
        bulk_ensure(today)
    _services(today)
    return citizens + officers


def _services(today: date) -> None:
    from .services_demo import services_ensure

    accounts = [
        User.objects.get(person__phone_hash=phone_lookup_hash(phone))
        for phone in ("13899990001", "13899990002")
    ]
    # The editor writes, a second editor reviews (two people, as the office's rule requires).
    editor = User.objects.get(username="editor")
    reviewer = User.objects.get(username="editor2")
    services_ensure(today=today, citizens=accounts, editor=editor, reviewer=reviewer)
