"""The mDL data elements (ISO/IEC 18013-5 namespace org.iso.18013.5.1) built from a licence.

Chinese licence classes (GB/T, R162) have no one-to-one ISO 18013-5 / Vienna-convention
category, so each maps to the nearest category by vehicle kind; the exact Chinese class
travels in the privilege's `codes` (code "CN-<class>"), and automatic-only classes carry
the harmonised restriction code 78. The table is documented in docs/credentials.md.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from cbor2 import CBORTag

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence, Person

DOC_TYPE = "org.iso.18013.5.1.mDL"
NAMESPACE = "org.iso.18013.5.1"
ISSUING_COUNTRY = "CN"
UN_DISTINGUISHING_SIGN = "CHN"
AGE_THRESHOLDS = (18, 60, 70)
# A long-term (长期) licence has no expiry; expiry_date is mandatory in 18013-5.
LONG_TERM_EXPIRY = date(9999, 12, 31)

CLASS_TO_CATEGORY: dict[str, tuple[str, tuple[str, ...]]] = {
    "A1": ("D", ()),  # large bus
    "A2": ("CE", ()),  # heavy tractor-trailer
    "A3": ("D", ()),  # city bus
    "B1": ("D1", ()),  # medium bus
    "B2": ("C", ()),  # large truck
    "C1": ("B", ()),  # small car
    "C2": ("B", ("78",)),  # small automatic car: 78 = automatic transmission only
    "C3": ("B", ()),  # low-speed truck
    "C4": ("B1", ()),  # three-wheeled car
    "C5": ("B", ("78",)),  # automatic car for the disabled
    "C6": ("BE", ()),  # light tractor-trailer
    "D": ("A", ()),  # three-wheeled motorcycle
    "E": ("A", ()),  # two-wheeled motorcycle
    "F": ("AM", ()),  # light motorcycle
    "M": ("T", ()),  # wheeled machinery
    "N": ("D", ()),  # trolleybus
    "P": ("D", ()),  # tram
}


def full_date(value: date) -> CBORTag:
    """18013-5 full-date: tag 1004 over "YYYY-MM-DD" (RFC 8943)."""
    return CBORTag(1004, value.isoformat())


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a Chinese name: the first character is the family name. Compound
    surnames (欧阳, 司马 ...) are split wrongly; the registry stores one name field."""
    return name[:1], name[1:]


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def next_age_change(birth: date, day: date) -> date | None:
    """The first day after `day` on which an age_over_NN element would change value."""
    for years in AGE_THRESHOLDS:
        if age_on(birth, day) < years:
            try:
                return birth.replace(year=birth.year + years)
            except ValueError:  # born on 29 February
                return date(birth.year + years, 3, 1)
    return None


def privileges(licence: DriverLicence) -> list[dict[str, Any]]:
    expiry = licence.valid_to or LONG_TERM_EXPIRY
    rows = []
    for cls in licence.class_list:
        category, restrictions = CLASS_TO_CATEGORY[cls]
        codes = [{"code": f"CN-{cls}"}] + [{"code": code} for code in restrictions]
        rows.append(
            {
                "vehicle_category_code": category,
                # The registry records one first-issue date, not one per class.
                "issue_date": full_date(licence.first_issue_date),
                "expiry_date": full_date(expiry),
                "codes": codes,
            }
        )
    return rows


def elements(
    person: Person, licence: DriverLicence, *, authority: str, today: date
) -> dict[str, Any]:
    family, given = split_name(person.name)
    age = age_on(person.birth_date, today)
    values: dict[str, Any] = {
        "family_name": family,
        "given_name": given,
        "birth_date": full_date(person.birth_date),
        "issue_date": full_date(licence.valid_from),
        "expiry_date": full_date(licence.valid_to or LONG_TERM_EXPIRY),
        "issuing_country": ISSUING_COUNTRY,
        "issuing_authority": authority,
        "document_number": licence.file_number,
        "driving_privileges": privileges(licence),
        "un_distinguishing_sign": UN_DISTINGUISHING_SIGN,
    }
    for years in AGE_THRESHOLDS:
        values[f"age_over_{years}"] = age >= years
    return values
