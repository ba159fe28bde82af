"""A person's status in one read: licence, vehicles, violations, applications, next steps.

The page and the API show the same `PersonStatus`. It costs a fixed number of queries whatever
the number of vehicles, plates, violations and applications (tests guard it): the licence, its
points in the cycle, the vehicles with their violation totals, their plates, the temporary
plates held, and one count.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language

from vmo.applications.selectors import statistics as application_statistics
from vmo.catalog import selectors as catalog_selectors
from vmo.core import clock
from vmo.core.masking import mask_id_number, mask_name
from vmo.core.money import format_fen
from vmo.registry import inspection, rules
from vmo.registry import selectors as registry
from vmo.registry.choices import LicenceClass, LicenceStatus, VehicleStatus
from vmo.violations.choices import HandlingStatus

from .temporary import ending_soon, temporary_plates_for
from .texts import BAD, LICENCE_TEXTS, OK, STEP_TEXTS, VEHICLE_TEXTS, WARN, LetterText
from .types import (
    CompanyStatus,
    LicenceClassInfo,
    LicenceInfo,
    NextStep,
    PersonStatus,
    StatusWord,
    VehicleInfo,
)

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Person, Vehicle

RENEWAL_WINDOW_DAYS = 90  # renewal may be applied for in the 90 days before expiry (R162 Art 63)
# The sticker may be applied for in the 3 months before expiry (R164 Art 54).
DUE_SOON_DAYS = 90  # how early verification and physical-proof deadlines are shown as next steps
INSURANCE_WARN_DAYS = 30
POINTS_WARNING = 9  # one more 3-point violation from full score: the moment to learn and reduce
CANCELLED_VEHICLE = registry.VEHICLE_CANCELLED
CANCELLED_LICENCE = registry.LICENCE_CANCELLED


__all__ = [
    "CompanyStatus",
    "LicenceClassInfo",
    "LicenceInfo",
    "NextStep",
    "PersonStatus",
    "StatusWord",
    "VehicleInfo",
]


def guide_url(business_code: str) -> str:
    return reverse("catalog:detail", args=[business_code]) if business_code else ""


def business_name(business_code: str) -> str:
    if not business_code:
        return ""
    try:
        return str(catalog_selectors.business(business_code).name)
    except catalog_selectors.UnknownBusiness:
        return ""


def _resolver(situation: str) -> str:
    business = catalog_selectors.business_resolving(situation)
    return business.code if business else ""


def _word(code: str, name: str, text: LetterText, situation: str) -> StatusWord:
    business_code = _resolver(situation)
    return StatusWord(
        code=code,
        name=name,
        meaning=str(text.meaning),
        what_to_do=str(text.what_to_do),
        severity=text.severity,
        business_code=business_code,
        business_name=business_name(business_code),
        business_url=guide_url(business_code),
    )


# Status words depend only on the letter and the reader's language (the catalogue and the URL
# map are fixed for the life of the process): computed once per process (issue 13), not on every
# page with a gettext, a catalogue lookup and a reverse() each.
_WORDS: dict[tuple[str, str, str | None], StatusWord] = {}


def _word_once(kind: str, code: str) -> StatusWord:
    key = (kind, code, get_language())
    word = _WORDS.get(key)
    if word is None:
        if kind == "licence":
            word = _word(
                code, str(LicenceStatus(code).label), LICENCE_TEXTS[code], f"licence:{code}"
            )
        else:
            word = _word(
                code, str(VehicleStatus(code).label), VEHICLE_TEXTS[code], f"vehicle:{code}"
            )
        _WORDS[key] = word
    return word


def licence_words(letters: str) -> list[StatusWord]:
    return [_word_once("licence", c) for c in letters if c in LICENCE_TEXTS]


def vehicle_words(letters: str) -> list[StatusWord]:
    return [_word_once("vehicle", c) for c in letters if c in VEHICLE_TEXTS]


def _step(kind: str, severity: str, due: date | None = None, **params: object) -> NextStep:
    """A next step of this kind; its message gets the due date as %(date)s, and `params`; the
    business that resolves it is the one whose definition says so (`step:<kind>`)."""
    if due is not None:
        params["date"] = _day(due)
    message = str(STEP_TEXTS[kind]) % params
    code = _resolver(f"step:{kind}")
    return NextStep(kind, message, severity, code, business_name(code), guide_url(code), due)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _licence_letters(licence: DriverLicence, points: int, today: date) -> str:
    # Recompute the date-derived letters for today, so a nightly job that has not run yet
    # never shows a stale "normal"; decided letters come from the record.
    decided = "".join(set(licence.flags) | (set(licence.status) - rules.LICENCE_DERIVED))
    return rules.licence_status(
        flags=decided,
        points=points,
        valid_to=licence.valid_to,
        verification_due=licence.verification_due,
        renewal_deferred_until=licence.renewal_deferred_until,
        today=today,
    )


def _licence_info(licence: DriverLicence, points: int, start: date, today: date) -> LicenceInfo:
    letters = _licence_letters(licence, points, today)
    days_to_expiry = (licence.valid_to - today).days if licence.valid_to else None
    return LicenceInfo(
        number=mask_id_number(licence.holder.id_number),
        file_number=mask_id_number(licence.file_number),
        classes=[
            LicenceClassInfo(c, str(LicenceClass(c).label))
            for c in licence.class_list
            if c in LicenceClass.values
        ],
        statuses=licence_words(letters),
        points=points,
        points_limit=rules.FULL_SCORE,
        cycle_start=start,
        cycle_end=rules.cycle_end(start),
        first_issue_date=licence.first_issue_date,
        valid_from=licence.valid_from,
        valid_to=licence.valid_to,
        long_term=licence.valid_to is None,
        days_to_expiry=days_to_expiry,
        renewal_window_open=days_to_expiry is not None
        and 0 <= days_to_expiry <= RENEWAL_WINDOW_DAYS,
        verification_due=licence.verification_due,
        physical_due=licence.physical_due,
        probation_until=licence.probation_until,
        in_probation=licence.probation_until is not None and licence.probation_until >= today,
        renewal_deferred_until=licence.renewal_deferred_until,
    )


def _licence_steps(info: LicenceInfo, today: date) -> list[NextStep]:
    letters = {w.code for w in info.statuses}
    if letters & CANCELLED_LICENCE:
        return []
    soon = today + timedelta(days=DUE_SOON_DAYS)
    steps: list[NextStep] = []
    if (
        info.valid_to is not None
        and info.valid_to < today
        and LicenceStatus.RENEWAL_DEFERRED not in letters
    ):
        steps.append(_step("renewal_overdue", BAD, info.valid_to))
    elif info.renewal_window_open:
        steps.append(_step("renewal_window", WARN, info.valid_to))
    # A deferral (T, P) moves the deadline: the old date is no longer due.
    if info.verification_due and LicenceStatus.VERIFICATION_DEFERRED not in letters:
        if info.verification_due < today:
            steps.append(_step("verification_overdue", BAD, info.verification_due))
        elif info.verification_due <= soon:
            steps.append(_step("verification_due", WARN, info.verification_due))
    if info.physical_due and LicenceStatus.PHYSICAL_DEFERRED not in letters:
        if info.physical_due < today:
            steps.append(_step("physical_overdue", BAD, info.physical_due))
        elif info.physical_due <= soon:
            steps.append(_step("physical_due", WARN, info.physical_due))
    if info.points >= rules.FULL_SCORE:
        steps.append(_step("full_score", BAD, points=info.points))
    elif info.points >= POINTS_WARNING:
        steps.append(_step("points_warning", WARN, info.cycle_end, points=info.points))
    if info.in_probation:
        steps.append(_step("probation", OK, info.probation_until))
    return steps


def _vehicle_info(vehicle: Vehicle, today: date) -> VehicleInfo:
    decided = "".join(set(vehicle.flags) | (set(vehicle.status) - rules.VEHICLE_DERIVED))
    letters = rules.vehicle_status(
        flags=decided, inspection_valid_until=vehicle.inspection_valid_until, today=today
    )
    cancelled = bool(set(letters) & CANCELLED_VEHICLE)
    until = vehicle.inspection_valid_until
    insurance = vehicle.insurance_valid_until
    return VehicleInfo(
        id=vehicle.pk,
        plate=registry.plate_label(vehicle),
        brand=vehicle.brand,
        model_name=vehicle.model_name,
        vehicle_type=str(vehicle.get_vehicle_type_display()),
        statuses=vehicle_words(letters),
        inspection_valid_until=until,
        inspection_days_left=(until - today).days,
        inspection_window_open=not cancelled and inspection.in_window(until, today),
        inspection_overdue=not cancelled and until < today,
        insurance_valid_until=insurance,
        insurance_days_left=(insurance - today).days if insurance else None,
        mortgaged=vehicle.is_mortgaged,
        mortgagee=vehicle.mortgagee,
        unhandled_violations=vehicle.unhandled_count,  # type: ignore[attr-defined]
        unhandled_fines_fen=vehicle.unhandled_fines,  # type: ignore[attr-defined]
    )


def _vehicle_steps(info: VehicleInfo, today: date) -> list[NextStep]:
    if {w.code for w in info.statuses} & CANCELLED_VEHICLE:
        return []
    vehicle = info.plate or f"{info.brand} {info.model_name}"
    until = info.inspection_valid_until
    steps: list[NextStep] = []
    # Certificates announced void (scrap age reached): the vehicle may not be inspected or
    # insured back onto the road; what is left is its records and its cancellation.
    void = VehicleStatus.SCRAP_VOID in {w.code for w in info.statuses}
    if void:
        pass  # no inspection to book
    elif info.inspection_overdue:
        steps.append(_step("inspection_overdue", BAD, until, vehicle=vehicle))
    elif info.inspection_window_open:
        steps.append(_step("inspection_window", WARN, until, vehicle=vehicle))
    if info.unhandled_violations:
        fines = format_fen(info.unhandled_fines_fen)
        steps.append(
            _step(
                "violations",
                WARN,
                vehicle=vehicle,
                count=info.unhandled_violations,
                fines=fines,
            )
        )
    insurance, days_left = info.insurance_valid_until, info.insurance_days_left
    if insurance is not None and days_left is not None and not void:
        if days_left < 0:
            steps.append(_step("insurance_expired", BAD, insurance, vehicle=vehicle))
        elif days_left <= INSURANCE_WARN_DAYS:
            steps.append(_step("insurance_ending", WARN, insurance, vehicle=vehicle))
    return steps


def vehicles_with_totals(person: Person) -> QuerySet[Vehicle]:
    """The person's vehicles, and those of the companies they act for today (with the company
    and the authorisation's last day), with unhandled-violation totals, active plate
    prefetched: 2 queries."""
    unhandled = Q(violations__handling_status=HandlingStatus.UNHANDLED)
    return (
        registry.vehicles()
        .filter(pk__in=registry.vehicle_ids_acted_for(person))
        .select_related("owner_company")
        .annotate(
            agent_until=registry.authorised_until(person),
            unhandled_count=Count("violations", filter=unhandled),
            unhandled_fines=Coalesce(
                Sum("violations__fine_fen", filter=unhandled), Value(0), output_field=IntegerField()
            ),
        )
        .prefetch_related(registry.active_plate_prefetch())
        .order_by("registration_date", "pk")
    )


def status_for_person(person: Person) -> PersonStatus:
    today = clock.today()
    licence = registry.licence_of_loaded(person)  # loaded with the user when signed in
    licence_info = None
    steps: list[NextStep] = []
    if licence is not None:
        licence.holder = person  # already loaded: no second query for the masked number
        start = rules.cycle_start(licence.first_issue_date, today)
        licence_info = _licence_info(
            licence, registry.points_in_cycle(licence, on=today), start, today
        )
        steps += _licence_steps(licence_info, today)
    vehicles: list[VehicleInfo] = []
    companies: dict[int, CompanyStatus] = {}
    for row in vehicles_with_totals(person):
        info = _vehicle_info(row, today)
        steps += _vehicle_steps(info, today)
        if row.owner_company_id is None:
            vehicles.append(info)
            continue
        company = companies.get(row.owner_company_id)
        if company is None:
            company = companies[row.owner_company_id] = CompanyStatus(
                id=row.owner_company_id,
                name=row.owner_company.name if row.owner_company else "",
                authorised_until=row.agent_until,  # type: ignore[attr-defined]
                vehicles=[],
                unhandled_violations=0,
                unhandled_fines_fen=0,
                pending_applications=0,
            )
        company.vehicles.append(info)
        company.unhandled_violations += info.unhandled_violations
        company.unhandled_fines_fen += info.unhandled_fines_fen
    temporary = temporary_plates_for(person, today)
    steps += [
        _step("temporary_plate_ending", WARN, plate.valid_to, plate=plate.number)
        for plate in temporary
        if ending_soon(plate)
    ]
    counts = application_statistics.pending_counts(person=person)
    pending = counts.pop(None, 0)
    for company_id, count in counts.items():
        if company_id in companies:
            companies[company_id].pending_applications = count
    order = {BAD: 0, WARN: 1, OK: 2}
    steps.sort(key=lambda s: (order.get(s.severity, 3), s.due or date.max))
    return PersonStatus(
        name=mask_name(person.name),
        today=today,
        licence=licence_info,
        vehicles=vehicles,
        unhandled_violations=sum(v.unhandled_violations for v in vehicles),
        unhandled_fines_fen=sum(v.unhandled_fines_fen for v in vehicles),
        pending_applications=pending,
        next_steps=steps,
        temporary_plates=temporary,
        companies=sorted(companies.values(), key=lambda c: (c.name, c.id)),
    )
