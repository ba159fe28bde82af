"""What an online business is made of, beyond its legal header: who and what it applies to, the
conditions checked against the applicant's real records, the materials, the form, the review and
the documents it issues. The guide prints these and the engine runs them: one definition for both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Person, Vehicle

    from .businesses.base import LegalRef


class Subject(models.TextChoices):
    """The record an application is about."""

    NONE = "none", _("no record")
    LICENCE = "licence", _("the applicant's driving licence")
    VEHICLE = "vehicle", _("one of the applicant's vehicles")
    NEW_VEHICLE = "new_vehicle", _("a new vehicle not yet registered")


class Review(models.TextChoices):
    # Decided by the system when every check passes (the record itself proves the conditions).
    AUTOMATIC = "auto", _("checked automatically and completed at once")
    # A clerk checks the materials, a reviewer decides (R164 Art 6, R162 Art 7: 受理, 审核).
    OFFICER = "officer", _("checked by a clerk, decided by a reviewer")


def _none_pending() -> tuple[str, ...]:
    return ()


@dataclass
class Facts:
    """The applicant's records as the conditions see them, read once per check."""

    today: date
    person: Person | None
    licence: DriverLicence | None = None
    vehicle: Vehicle | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    # The codes of the materials uploaded so far (a rule may need one only in some cases).
    materials: frozenset[str] = frozenset()
    # A two-party business (a transfer): the other party confirmed from their own account.
    counterparty_confirmed: bool = False
    # The references of the other applications of this business for the same VIN still with
    # the office or sent back for correction: a business keyed by VIN (a temporary plate) has
    # no record to hold "one open application per record" as the database does for the others.
    # Asked only by the conditions that need it (the answers are sealed, so it reads each).
    pending_same_vin: Callable[[], tuple[str, ...]] = _none_pending

    @cached_property
    def points(self) -> int:
        from vmo.registry.selectors import points_in_cycle

        return points_in_cycle(self.licence, on=self.today) if self.licence else 0

    @cached_property
    def licence_letters(self) -> set[str]:
        return set(self.licence.status) if self.licence else set()

    @cached_property
    def vehicle_letters(self) -> set[str]:
        return set(self.vehicle.status) if self.vehicle else set()

    @cached_property
    def unhandled_on_vehicle(self) -> int:
        from vmo.violations.selectors import unhandled_of_vehicle

        if self.vehicle is None:
            return 0
        return unhandled_of_vehicle(self.vehicle).count()


@dataclass(frozen=True)
class Condition:
    """One eligibility rule: stated for the guide, tested against the records by the engine."""

    code: str
    text: Promise | str
    basis: LegalRef
    test: Callable[[Facts], bool]
    # What the applicant is told when it is not met; the statement itself if None.
    problem: Promise | str | None = None


class FileKind(models.TextChoices):
    IMAGE = "image", _("photo (JPEG or PNG)")
    PDF = "pdf", _("PDF document")


@dataclass(frozen=True)
class Material:
    """A document the applicant uploads, checked by its content."""

    code: str
    name: Promise
    description: Promise
    example: Promise
    required: bool = True
    kinds: tuple[FileKind, ...] = (FileKind.IMAGE, FileKind.PDF)
    max_bytes: int = 5 * 1024 * 1024
    # A photo: the smallest width and height in pixels, and the ratio width/height ± 10 %.
    min_pixels: tuple[int, int] | None = None
    aspect: float | None = None
    # A certificate that must be recent: the applicant gives its date, the engine checks it.
    issued_within_months: int | None = None


class FieldKind(models.TextChoices):
    TEXT = "text", _("text")
    DATE = "date", _("date")
    CHOICE = "choice", _("choice")
    PHONE = "phone", _("mobile number")


@dataclass(frozen=True)
class FormField:
    """A question the application form asks beyond the subject and the materials."""

    name: str
    label: Promise
    kind: FieldKind = FieldKind.TEXT
    required: bool = True
    help: Promise | str = ""
    choices: tuple[tuple[str, Promise | str], ...] = ()
    max_length: int = 200
    # Personal data (an address, a phone): encrypted with the application's form data anyway,
    # and masked in lists.
    personal: bool = False
