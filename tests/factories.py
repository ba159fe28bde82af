"""factory_boy factories that make valid records (real check digits, real plate formats)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from vmo.accounts.models import User
from vmo.registry import validators
from vmo.registry.models import Company, DriverLicence, Person, Plate, Vehicle, VehicleLicence

CHANGJI_REGIONS = ["652301", "652302", "652323", "652324", "652325", "652327", "652328"]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
SERIAL_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def make_id_number(n: int, *, birth: date | None = None, female: bool | None = None) -> str:
    rng = random.Random(n)
    birth = birth or date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    seq = rng.randrange(0, 1000)
    if female is not None:
        seq = seq - seq % 2 + (0 if female else 1)
        seq = min(seq, 999 if not female else 998)
    first17 = f"{rng.choice(CHANGJI_REGIONS)}{birth:%Y%m%d}{seq:03d}"
    return first17 + validators.id_check_char(first17)


def make_vin(n: int) -> str:
    rng = random.Random(n * 7919)
    body = "LSV" + "".join(rng.choice(VIN_CHARS) for _ in range(5))
    tail = rng.choice("HJKLMNPRST") + rng.choice(VIN_CHARS) + f"{n % 1000000:06d}"
    draft = body + "0" + tail
    return body + validators.vin_check_char(draft) + tail


def make_plate(n: int, prefix: str = "新B") -> str:
    return f"{prefix}{n % 100000:05d}"


def make_phone(n: int) -> str:
    return f"139{n % 100000000:08d}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Iterator(
        ["张伟", "王芳", "李娜", "刘洋", "马建国", "阿依古丽", "古丽娜尔", "陈静"]
    )
    id_number = factory.Sequence(lambda n: make_id_number(n + 1000))
    phone = factory.Sequence(lambda n: make_phone(n + 1000))
    address = "新疆昌吉市延安北路1号"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"昌吉测试运输有限公司{n}")
    uscc = factory.Sequence(
        lambda n: (lambda f: f + validators.uscc_check_char(f))(f"91652301MA{n:07d}")
    )


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriverLicence

    holder = factory.SubFactory(PersonFactory)
    file_number = factory.Sequence(lambda n: f"6523{n:08d}")
    classes = "C1"
    first_issue_date = date(2015, 6, 1)
    valid_from = date(2021, 6, 1)
    valid_to = date(2031, 6, 1)


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle
        skip_postgeneration_save = True

    vin = factory.Sequence(lambda n: make_vin(n + 1))
    vehicle_type = "K33"
    use_nature = "A"
    brand = "大众"
    model_name = "朗逸"
    colour = "A"
    engine_number = factory.Sequence(lambda n: f"E{n:08d}")
    manufacture_date = date(2020, 3, 1)
    registration_date = date(2020, 4, 1)
    owner_person = factory.SubFactory(PersonFactory)
    inspection_valid_until = date(2027, 4, 30)
    insurance_valid_until = date(2027, 3, 31)

    @factory.post_generation
    def plate(self, create, extracted, **kwargs):
        if not create:
            return
        Plate.objects.create(
            vehicle=self,
            number=extracted or make_plate(self.pk * 37 + 11),
            plate_type="02",
            issued_on=self.registration_date,
        )
        VehicleLicence.objects.create(
            vehicle=self, file_number=f"{self.pk:012d}", issued_on=self.registration_date
        )


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    kind = "citizen"
    person = factory.SubFactory(PersonFactory)
    username = factory.LazyAttribute(lambda u: f"c{u.person.id_hash[:20]}")
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-42")

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    kind = "officer"
    role = "clerk"
    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = "警官"
    password = factory.PostGenerationMethodCall("set_password", "Officer-Pass-42")

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create:
            self.save()
            TOTPDevice.objects.create(user=self, name="default", confirmed=True)
