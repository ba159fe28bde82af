"""The office's records. Legal validations live in the fields (validators.py)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vmo.core.fields import EncryptedTextField
from vmo.core.plates import plate_text

from . import validators
from .authorisations import AgentAuthorisation as AgentAuthorisation  # registered from here
from .choices import (
    Colour,
    CompanyRole,
    LicenceClass,
    PlateStatus,
    PlateType,
    PointsKind,
    Sex,
    UseNature,
    VehicleType,
)
from .lookup import id_lookup_hash, phone_lookup_hash
from .ownership import PastOwner as PastOwner  # registered from here
from .temporary_plate_records import TemporaryPlate as TemporaryPlate  # registered from here

LICENCE_CLASS_RE = re.compile(r"[ABC][1-6]|[DEFMNP]")


def split_classes(classes: str) -> list[str]:
    return LICENCE_CLASS_RE.findall(classes)


def validate_licence_classes(value: str) -> None:
    parts = split_classes(value)
    valid = set(LicenceClass.values)
    if not parts or "".join(parts) != value or any(p not in valid for p in parts):
        raise ValidationError(
            _("Licence classes must be codes such as C1, A2D or C1E."), code="licence_classes"
        )


class Person(models.Model):
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), purpose="person.id_number")
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    region_code = models.CharField(_("region code"), max_length=6, db_index=True, editable=False)
    phone = EncryptedTextField(_("mobile phone"), blank=True, purpose="person.phone")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = EncryptedTextField(_("e-mail"), blank=True, purpose="person.email")
    address = EncryptedTextField(_("address"), blank=True, purpose="person.address")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.name[:1]}{'*' * (len(self.name) - 1)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive()
        super().save(*args, **kwargs)

    def derive(self) -> None:
        """Fill what the ID number and phone determine: birth date, sex, region, hashes."""
        self.id_number = validators.normalise_id_number(self.id_number)
        info = validators.parse_id_number(self.id_number)
        self.birth_date, self.sex, self.region_code = info.birth_date, info.sex, info.region_code
        self.id_hash = id_lookup_hash(self.id_number)
        if self.phone:
            self.phone = validators.normalise_phone(self.phone)
            self.phone_hash = phone_lookup_hash(self.phone)
        else:
            self.phone_hash = ""

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        for field, check in (
            ("id_number", validators.validate_id_number),
            ("phone", validators.validate_mobile_phone),
        ):
            value = getattr(self, field)
            if value or field == "id_number":
                try:
                    check(value)
                except ValidationError as exc:
                    errors.setdefault(field, []).append(exc)
        if errors:
            raise ValidationError(errors)


class Company(models.Model):
    name = models.CharField(_("name"), max_length=120)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validators.validate_uscc],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class CompanyRepresentative(models.Model):
    """A person who may act for a company (its legal representative or an authorised agent)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="representatives")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="company_roles")
    # An agent acts only under a current AgentAuthorisation (registry.company_selectors).
    role = models.CharField(_("role"), max_length=10, choices=CompanyRole.choices)
    authorised_until = models.DateField(_("authorised until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "person"], name="one_role_per_company_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.role} {self.company}"


class DriverLicence(models.Model):
    holder = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="licence")
    file_number = models.CharField(_("file number"), max_length=12, unique=True)
    classes = models.CharField(
        _("licence classes"), max_length=20, validators=[validate_licence_classes]
    )
    first_issue_date = models.DateField(_("first issue date"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty for long-term.")
    )
    # Status letters set by decisions (suspension, revocation, deferrals...); the rest are derived.
    flags = models.CharField(_("decided status letters"), max_length=20, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, default="A", db_index=True)
    probation_until = models.DateField(_("probation ends"), null=True, blank=True)
    verification_due = models.DateField(_("verification due"), null=True, blank=True)
    physical_due = models.DateField(_("physical-condition proof due"), null=True, blank=True)
    # The end of a renewal deferral (D04, R162 Art 75), kept while the N letter is set: the
    # record says until when, not only the history.
    renewal_deferred_until = models.DateField(_("renewal deferred until"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("driver's licence")
        verbose_name_plural = _("driver's licences")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="licence_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_number} {self.classes}"

    @property
    def class_list(self) -> list[str]:
        return split_classes(self.classes)

    @property
    def is_long_term(self) -> bool:
        return self.valid_to is None

    @property
    def status_letters(self) -> list[str]:
        return list(self.status)


class PointsEntry(models.Model):
    """The points ledger: points are never a counter edited in place (R163)."""

    licence = models.ForeignKey(
        DriverLicence, on_delete=models.PROTECT, related_name="points_entries"
    )
    cycle_start = models.DateField(_("cycle start"), db_index=True)
    occurred_on = models.DateField(_("date"))
    points = models.SmallIntegerField(_("points"))
    kind = models.CharField(_("kind"), max_length=12, choices=PointsKind.choices)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["licence", "cycle_start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"],
                condition=~Q(source_id=""),
                name="points_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.points:+d} {self.kind} {self.occurred_on}"


class FullScoreReached(models.Model):
    """A time a scoring cycle's total reached 12 points (R163 Arts 17, 22). Written by the
    ledger when it happens and never removed: clearing the points after the full-score exam
    (Art 23) does not undo the fact that decides the renewal term (R162 Art 62) and the exams
    of a repeat full score (R163 Art 22)."""

    licence = models.ForeignKey(
        DriverLicence, on_delete=models.PROTECT, related_name="full_scores_reached"
    )
    cycle_start = models.DateField(_("cycle start"))
    occurrence = models.PositiveSmallIntegerField(_("full score in this cycle"))
    reached_on = models.DateField(_("reached on"))
    points = models.PositiveSmallIntegerField(_("points in the cycle when reached"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle_start", "occurrence"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "cycle_start", "occurrence"], name="full_score_reached_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.cycle_start} #{self.occurrence}"


class Vehicle(models.Model):
    vin = models.CharField(
        _("VIN"), max_length=17, unique=True, validators=[validators.validate_vin]
    )
    vehicle_type = models.CharField(_("vehicle type"), max_length=3, choices=VehicleType.choices)
    use_nature = models.CharField(
        _("use"), max_length=1, choices=UseNature.choices, default=UseNature.PRIVATE
    )
    brand = models.CharField(_("brand"), max_length=40)
    model_name = models.CharField(_("model"), max_length=40)
    colour = models.CharField(_("colour"), max_length=1, choices=Colour.choices)
    engine_number = models.CharField(_("engine number"), max_length=30)
    seats = models.PositiveSmallIntegerField(_("seats"), default=5)
    new_energy = models.BooleanField(_("new energy"), default=False)
    manufacture_date = models.DateField(_("manufacture date"))
    registration_date = models.DateField(_("registration date"))
    owner_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="vehicles"
    )
    owner_company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="vehicles"
    )
    flags = models.CharField(_("decided status letters"), max_length=20, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, default="A", db_index=True)
    inspection_valid_until = models.DateField(_("inspection valid until"), db_index=True)
    insurance_valid_until = models.DateField(
        _("compulsory insurance valid until"), null=True, blank=True
    )
    mortgagee = models.CharField(_("mortgaged to"), max_length=120, blank=True)
    mortgaged_on = models.DateField(_("mortgaged on"), null=True, blank=True)
    scrap_date = models.DateField(_("compulsory scrapping date"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_person__isnull=False) & Q(owner_company__isnull=True))
                | (Q(owner_person__isnull=True) & Q(owner_company__isnull=False)),
                name="vehicle_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.model_name} ({self.vin[-6:]})"

    @property
    def is_mortgaged(self) -> bool:
        return bool(self.mortgagee)


class Plate(models.Model):
    number = models.CharField(
        _("plate number"), max_length=10, validators=[validators.validate_plate_number]
    )
    plate_type = models.CharField(_("plate type"), max_length=2, choices=PlateType.choices)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="plates")
    status = models.CharField(
        _("status"), max_length=8, choices=PlateStatus.choices, default=PlateStatus.ACTIVE
    )
    issued_on = models.DateField(_("issued on"))

    class Meta:
        verbose_name = _("plate")
        verbose_name_plural = _("plates")
        constraints = [
            # A number is on one vehicle at a time, and a vehicle carries one plate number.
            models.UniqueConstraint(
                fields=["number"], condition=Q(status="active"), name="plate_number_in_use_once"
            ),
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(status="active"),
                name="one_active_plate_per_vehicle",
            ),
        ]

    def __str__(self) -> str:
        return self.display

    def clean(self) -> None:
        # The format must be the plate type's (a trailer's plate ends in 挂...): GA 36.
        if self.number and self.plate_type:
            try:
                validators.parse_plate(self.number)
            except ValidationError:
                return  # the number's own validator reports it
            try:
                validators.validate_plate_type(self.number, self.plate_type)
            except ValidationError as exc:
                raise ValidationError({"number": exc}) from None

    @property
    def display(self) -> str:
        return plate_text(self.number)  # 新B·A7K21, 使014·001: the one rule (core.plates)

    @property
    def colour_name(self) -> str:
        return str(
            {
                "01": _("yellow"),
                "02": _("blue"),
                "07": _("yellow"),
                "15": _("yellow"),
                "16": _("yellow"),
                "03": _("black"),
                "04": _("black"),
                "23": _("white"),
                "26": _("black"),
                "27": _("black"),
                "51": _("yellow-green"),
                "52": _("gradient green"),
            }.get(self.plate_type, "")
        )


class VehicleLicence(models.Model):
    """The vehicle licence (行驶证)."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="vehicle_licences")
    file_number = models.CharField(_("file number"), max_length=12)
    issued_on = models.DateField(_("issued on"))
    is_valid = models.BooleanField(_("valid"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"], condition=Q(is_valid=True), name="one_valid_vehicle_licence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_number} ({self.issued_on})"
