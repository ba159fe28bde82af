"""The conditions of a temporary plate for a vehicle without plates (R164 Arts 46-47).

Each rule is asked of ``registry.temporary_plate_rules`` (the one place that holds it); one
condition per rule, so a refusal names every problem at once.
"""

from __future__ import annotations

from datetime import date

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vmo.registry import temporary_plate_rules as temporary_plates

from . import materials as M
from .businesses.base import R164, LegalRef
from .spec import Condition, Facts, Material

_TEMP = LegalRef(R164, (46, 47))


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _temp(f: Facts) -> tuple[str, str, date | None, date | None, date | None]:
    data = f.data
    return (
        str(data.get("vin", "")).strip().upper(),
        str(data.get("temp_case", "")),
        _date(data.get("valid_from")),
        _date(data.get("valid_to")),
        _date(data.get("insurance_valid_until")),
    )


def _vin_valid(f: Facts) -> bool:
    from django.core.exceptions import ValidationError

    from vmo.registry.validators import validate_vin

    try:
        validate_vin(_temp(f)[0])
    except ValidationError:
        return False
    return True


TEMP_VIN_VALID = Condition(
    code="temp_vin_valid",
    text=_("The VIN is a valid vehicle identification number."),
    basis=_TEMP,
    test=_vin_valid,
    problem=_("The VIN is not valid: check the 17 characters on the certificate."),
)
TEMP_WITHOUT_PLATE = Condition(
    code="temp_without_plate",
    text=_(
        "The vehicle has no plates: it is not registered and has no temporary plate still valid on"
        " the first day asked for."
    ),
    basis=LegalRef(R164, (46,)),
    test=lambda f: temporary_plates.has_no_plate(_temp(f)[0], _temp(f)[2]),
    problem=_(
        "This vehicle is registered, or it has a temporary plate still valid on the first day you"
        " asked for."
    ),
)
TEMP_ONE_APPLICATION = Condition(
    code="temp_one_application",
    text=_(
        "No other application for a temporary plate for this vehicle is with the office or"
        " waiting for its correction."
    ),
    basis=LegalRef(R164, (47,)),
    # Reads the VIN, so the start page shows it as depending on the answers.
    test=lambda f: not (_temp(f)[0] and f.pending_same_vin()),
    problem=_(
        "Another application for a temporary plate for this vehicle (VIN) is already with the"
        " office: wait for its decision, or withdraw it, before applying again."
    ),
)
TEMP_START = Condition(
    code="temp_start",
    text=_("The temporary plate is valid from today or a later day."),
    basis=_TEMP,
    test=lambda f: temporary_plates.start_allowed(_temp(f)[2], f.today),
    problem=_("The first day of validity must be today or later."),
)
TEMP_LONGEST = Condition(
    code="temp_longest",
    text=format_lazy(
        _(
            "The validity is no longer than the case allows: {short} days for a vehicle not yet"
            " sold, acquired or sold for export, {months} months for tests, {oversize} days for an"
            " oversize vehicle."
        ),
        short=temporary_plates.LONGEST["unsold"][1],
        months=temporary_plates.LONGEST["testing"][1],
        oversize=temporary_plates.LONGEST["oversize"][1],
    ),
    basis=LegalRef(R164, (47,)),
    test=lambda f: temporary_plates.period_within_longest(_temp(f)[1], _temp(f)[2], _temp(f)[3]),
)
TEMP_INSURANCE = Condition(
    code="temp_insurance",
    text=_("The compulsory insurance is valid and lasts at least until the last day asked for."),
    basis=LegalRef(R164, (47,)),
    test=lambda f: temporary_plates.period_within_insurance(_temp(f)[3], _temp(f)[4], f.today),
    problem=_(
        "The temporary plate cannot be valid beyond the compulsory insurance: end it on or before"
        " the insurance's last day, or renew the insurance first."
    ),
)
TEMP_ISSUES = Condition(
    code="temp_issues",
    text=format_lazy(
        _(
            "A vehicle not yet sold, or acquired and not yet registered, gets at most {n}"
            " temporary plates; a vehicle for export gets {export}."
        ),
        n=temporary_plates.ISSUE_LIMIT["unsold"],
        export=temporary_plates.ISSUE_LIMIT["export"],
    ),
    basis=LegalRef(R164, (47,)),
    test=lambda f: temporary_plates.may_issue_again(_temp(f)[0], _temp(f)[1]),
    problem=_("This vehicle has had as many temporary plates as its case allows."),
)
TEMP_COMPANY = Condition(
    code="temp_company",
    text=_(
        "A dealer's unsold vehicle, an export or a test vehicle is applied for by the company's"
        " representative or authorised agent, with its credit code."
    ),
    basis=LegalRef(R164, (46, 47)),
    test=lambda f: not temporary_plates.company_needed(_temp(f)[1])
    or temporary_plates.company_acted_for(f.person, str(f.data.get("company_uscc", "")), f.today)
    is not None,
    problem=_(
        "Give the credit code of the company you apply for; you must be its representative or an"
        " agent whose authorisation has not ended."
    ),
)


def _temp_document(material: Material) -> Condition:
    return Condition(
        code=f"temp_document_{material.code}",
        text=format_lazy(_("{material}, where the case needs it."), material=material.name),
        basis=LegalRef(R164, (47,)),
        test=lambda f: material.code
        not in temporary_plates.materials_missing(_temp(f)[1], f.materials),
        problem=format_lazy(
            _("{material}: this case needs it; upload it."), material=material.name
        ),
    )


TEMP_DOCUMENTS = tuple(
    _temp_document(m)
    for m in (
        M.TEMP_CONFORMITY,
        M.TEMP_ORIGIN,
        M.TEMP_SAFETY_CHECK,
        M.TEMP_EXPORT_PROOF,
        M.TEMP_TEST_REQUEST,
    )
)
TEMP_CONDITIONS = (
    TEMP_VIN_VALID,
    TEMP_WITHOUT_PLATE,
    TEMP_ONE_APPLICATION,
    TEMP_START,
    TEMP_LONGEST,
    TEMP_INSURANCE,
    TEMP_ISSUES,
    TEMP_COMPANY,
    *TEMP_DOCUMENTS,
)
