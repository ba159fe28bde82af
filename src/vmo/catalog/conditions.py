"""The eligibility rules the businesses share, each stated once with its legal basis."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from vmo.registry.inspection import in_window
from vmo.registry.rules import FULL_SCORE, add_months

from .businesses.base import R162, R163, R164, RI, LegalRef
from .spec import Condition, Facts

# Licence letters that end the right to any licence business (R162 Art 79; "no licence business
# while the licence is revoked").
_LICENCE_ENDED = {"E", "F", "G"}
# Vehicle letters that end or block its businesses: cancelled, forcibly cancelled, stolen, seized,
# detained, sealed.
_VEHICLE_BLOCKED = {"C", "E", "K", "L", "M"}


def _licence_alive(f: Facts) -> bool:
    return f.licence is not None and not (f.licence_letters & _LICENCE_ENDED)


LICENCE_ALIVE = Condition(
    code="licence_alive",
    text=_("The licence is not revoked, cancelled or annulled."),
    basis=LegalRef(R162, (79,)),
    test=_licence_alive,
    problem=_("Your licence is revoked, cancelled or annulled: no licence business is possible."),
)

NOT_SEIZED_OR_SUSPENDED = Condition(
    code="not_seized",
    text=_("The licence is not seized (withheld) or suspended."),
    basis=LegalRef(R162, (69,)),
    test=lambda f: not (f.licence_letters & {"D", "K"}),
    problem=_(
        "Your licence is seized or suspended; this business is possible once it is returned."
    ),
)


def _in_renewal_window(f: Facts) -> bool:
    lic = f.licence
    if lic is None or lic.valid_to is None:
        return False
    # From 90 days before expiry; after expiry still possible until the licence is cancelled
    # for being more than a year overdue (Art 79).
    return lic.valid_to - timedelta(days=90) <= f.today <= add_months(lic.valid_to, 12)


RENEWAL_WINDOW = Condition(
    code="renewal_window",
    text=_("The licence expires within 90 days, or expired less than a year ago."),
    basis=LegalRef(R162, (63, 79)),
    test=_in_renewal_window,
    problem=_(
        "Renewal is possible only from 90 days before the licence expires (a long-term licence"
        " is never renewed)."
    ),
)

BELOW_FULL_SCORE = Condition(
    code="below_full_score",
    text=_("The licence has not reached 12 points in the current cycle."),
    basis=LegalRef(R163, (17,)),
    test=lambda f: f.points < FULL_SCORE,
    problem=_("Your licence has 12 points: complete the full-score education and exam first."),
)


def _deferral_window(due_attr: str):
    def test(f: Facts) -> bool:
        due = getattr(f.licence, due_attr, None) if f.licence else None
        return due is not None and f.today <= add_months(due, 12)

    return test


DEFER_RENEWAL_WINDOW = Condition(
    code="defer_renewal_window",
    text=_("Applied for while the licence is valid or within a year after it expired."),
    basis=LegalRef(R162, (75,)),
    test=_deferral_window("valid_to"),
    problem=_("Renewal can be deferred only until a year after the licence expired."),
)

VERIFICATION_REQUIRED = Condition(
    code="verification_required",
    text=_("The licence has a verification due (large classes, or after a serious accident)."),
    basis=LegalRef(R162, (71, 75)),
    test=lambda f: f.licence is not None
    and f.licence.verification_due is not None
    and f.today <= add_months(f.licence.verification_due, 12),
    problem=_("Your licence has no verification due that could be deferred."),
)

PHYSICAL_REQUIRED = Condition(
    code="physical_required",
    text=_("The holder must submit physical-condition proof (aged 70 or over, or class C5)."),
    basis=LegalRef(R162, (74,)),
    test=lambda f: f.licence is not None and f.licence.physical_due is not None,
    problem=_("Your licence needs no periodic physical-condition proof."),
)


def _vehicle_usable(f: Facts) -> bool:
    return f.vehicle is not None and not (f.vehicle_letters & _VEHICLE_BLOCKED)


VEHICLE_ACTIVE = Condition(
    code="vehicle_active",
    text=_("The vehicle is registered and not cancelled, stolen, seized or detained."),
    basis=LegalRef(R164, (4,)),
    test=_vehicle_usable,
    problem=_("The vehicle is cancelled, reported stolen, seized or detained."),
)

NO_UNHANDLED_VIOLATIONS = Condition(
    code="no_unhandled_violations",
    text=_("The vehicle has no unhandled traffic violations."),
    basis=LegalRef(R164, (54,)),
    test=lambda f: f.unhandled_on_vehicle == 0,
    problem=_("The vehicle has unhandled traffic violations: handle them first."),
)

INSURANCE_VALID = Condition(
    code="insurance_valid",
    text=_("The compulsory traffic insurance (交强险) is valid."),
    basis=LegalRef(R164, (54, 57)),
    test=lambda f: f.vehicle is not None
    and f.vehicle.insurance_valid_until is not None
    and f.vehicle.insurance_valid_until >= f.today,
    problem=_("The vehicle's compulsory traffic insurance is not valid."),
)


def _in_inspection_window(f: Facts) -> bool:
    return f.vehicle is not None and in_window(f.vehicle.inspection_valid_until, f.today)


INSPECTION_WINDOW = Condition(
    code="inspection_window",
    text=_("The inspection validity ends within the next 3 months."),
    basis=LegalRef(R164, (54,)),
    test=_in_inspection_window,
    problem=_("The sticker can be applied for only in the 3 months before the inspection is due."),
)


def _exempt_vehicle(f: Facts) -> bool:
    from vmo.registry.inspection import exempt_sticker_allowed

    return f.vehicle is not None and exempt_sticker_allowed(f.vehicle)


EXEMPT_ELIGIBLE = Condition(
    code="exempt_eligible",
    text=_(
        "A non-operating small or mini passenger car (not a van, at most 9 seats) in its 2nd,"
        " 4th or 8th year, not in an injury accident."
    ),
    basis=LegalRef(RI, (16,)),
    test=_exempt_vehicle,
    problem=_("This vehicle is not eligible for the inspection-exempt sticker this year."),
)

INSPECTION_VALID = Condition(
    code="inspection_valid",
    text=_("The vehicle's inspection is valid."),
    basis=LegalRef(R164, (57,)),
    test=lambda f: f.vehicle is not None and f.vehicle.inspection_valid_until >= f.today,
    problem=_("The vehicle's inspection has expired: have it inspected first."),
)

NOT_MORTGAGED = Condition(
    code="not_mortgaged",
    text=_("The vehicle is not mortgaged."),
    basis=LegalRef(R164, (29, 42)),
    test=lambda f: f.vehicle is not None and not f.vehicle.mortgagee,
    problem=_("The vehicle is mortgaged: the mortgage must be released first."),
)


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _with_values(text: Promise, values: dict[str, object]) -> Promise:
    """The lazy text with its values filled in when shown. ``lazy_text % values`` would be
    rendered once, when this module is imported, in the language active then (Chinese)."""
    return cast(Promise, lazy(lambda: str(text) % values, str)())


def defer_limit(code: str, due_attr: str, months: int, basis: LegalRef) -> Condition:
    """The requested date is after the present due date and at most `months` after it."""

    def test(f: Facts) -> bool:
        record = f.vehicle if due_attr == "inspection_valid_until" else f.licence
        due = getattr(record, due_attr, None) if record else None
        until = _date(f.data.get("defer_until"))
        return due is not None and until is not None and due < until <= add_months(due, months)

    return Condition(
        code=code,
        text=_with_values(
            _("The new date is after the present due date and at most %(n)s months after it."),
            {"n": months},
        ),
        basis=basis,
        test=test,
        problem=_with_values(
            _(
                "The requested date must be after the present due date and at most %(n)s months"
                " after it."
            ),
            {"n": months},
        ),
    )


def _alteration_complete(f: Facts) -> bool:
    kind = f.data.get("alteration")
    if kind == "colour":
        return bool(f.data.get("new_colour")) and (
            f.vehicle is None or f.data.get("new_colour") != f.vehicle.colour
        )
    if kind == "engine":
        return bool(f.data.get("new_engine_number")) and "inspection_record" in f.materials
    if kind == "body":
        return "inspection_record" in f.materials
    return False


ALTERATION_COMPLETE = Condition(
    code="alteration_complete",
    text=_(
        "The new colour differs from the present one; an engine or body change comes with the new"
        " engine number and the vehicle check record."
    ),
    basis=LegalRef(R164, (16, 17)),
    test=_alteration_complete,
)

MORTGAGED = Condition(
    code="mortgaged",
    text=_("The vehicle is mortgaged."),
    basis=LegalRef(R164, (33,)),
    test=lambda f: f.vehicle is not None and bool(f.vehicle.mortgagee),
    problem=_("The vehicle is not mortgaged: there is nothing to release."),
)


def _lender_valid(f: Facts) -> bool:
    from django.core.exceptions import ValidationError

    from vmo.registry.validators import validate_uscc

    try:
        validate_uscc(str(f.data.get("lender_uscc", "")))
    except ValidationError:
        return False
    return True


LENDER_VALID = Condition(
    code="lender_valid",
    text=_("The lender is identified by a valid unified social credit code."),
    basis=LegalRef(R164, (31,)),
    test=_lender_valid,
    problem=_("The lender's unified social credit code is not valid."),
)

SCRAP_CERTIFICATE = Condition(
    code="scrap_certificate",
    text=_("A scrapped vehicle comes with the recycling company's certificate."),
    basis=LegalRef(R164, (37, 38)),
    test=lambda f: f.data.get("cancel_reason") != "scrapped" or "recycling" in f.materials,
    problem=_("Upload the recycling company's certificate for a scrapped vehicle."),
)


def _not_kept_from_agents(f: Facts) -> bool:
    from vmo.registry.selectors import represents_in_law

    # Of the businesses R164 Art 86 keeps from agents (a change of co-owners, the reissue of
    # the registration certificate, the cancellation of a destroyed vehicle) only the last is
    # offered online. A person's own vehicle has no agent here: the owner applies.
    if f.data.get("cancel_reason") != "destroyed":
        return True
    vehicle = f.vehicle
    if vehicle is None or vehicle.owner_company_id is None:
        return True
    return represents_in_law(f.person, vehicle.owner_company_id)


NOT_FOR_AGENTS = Condition(
    code="not_for_agents",
    text=_(
        "The registration of a destroyed vehicle is cancelled by its owner, not by an agent:"
        " for a company, by its legal representative."
    ),
    basis=LegalRef(R164, (86,)),
    test=_not_kept_from_agents,
    problem=_(
        "An agent may not apply to cancel the registration of a destroyed vehicle: the"
        " company's legal representative applies from their own account."
    ),
)

BUYER_CONFIRMED = Condition(
    code="buyer_confirmed",
    text=_("The buyer has confirmed the transfer from their own account."),
    basis=LegalRef(R164, (25, 26)),
    test=lambda f: f.counterparty_confirmed,
    problem=_("The buyer has not yet confirmed the transfer from their own account."),
)


def _reservation(f: Facts):
    from vmo.plates.selectors import active_reservation_for_vin

    vin = str(f.data.get("vin", "")).strip().upper()
    reservation = active_reservation_for_vin(vin) if vin else None
    if reservation is None or f.person is None:
        return None
    return reservation if reservation.user.person_id == f.person.pk else None


NUMBER_RESERVED = Condition(
    code="number_reserved",
    text=_("You hold a reserved plate number for this VIN (plate-number pre-selection)."),
    basis=LegalRef(R164, (43,)),
    test=lambda f: _reservation(f) is not None,
    problem=_("There is no number reserved by you for this VIN: choose one first."),
)


def _vin_new(f: Facts) -> bool:
    from django.core.exceptions import ValidationError

    from vmo.registry.selectors import vin_registered
    from vmo.registry.validators import validate_vin

    vin = str(f.data.get("vin", "")).strip().upper()
    try:
        validate_vin(vin)
    except ValidationError:
        return False
    return not vin_registered(vin)


VIN_NEW = Condition(
    code="vin_new",
    text=_("The VIN is valid and not yet registered."),
    basis=LegalRef(R164, (15,)),
    test=_vin_new,
    problem=_("The VIN is not valid, or a vehicle with it is already registered."),
)


def _new_vehicle_data(f: Facts) -> bool:
    made, insured = (
        _date(f.data.get("manufacture_date")),
        _date(f.data.get("insurance_valid_until")),
    )
    seats = str(f.data.get("seats", ""))
    return (
        made is not None
        and made <= f.today
        and insured is not None
        and insured >= f.today
        and seats.isdigit()
        and 1 <= int(seats) <= 99
    )


NEW_VEHICLE_DATA = Condition(
    code="new_vehicle_data",
    text=_(
        "The vehicle was made before today, has 1 to 99 seats, and its compulsory insurance is"
        " valid."
    ),
    basis=LegalRef(R164, (12, 15)),
    test=_new_vehicle_data,
)
