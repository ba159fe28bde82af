"""Validators for the identifiers the office records: ID numbers, USCCs, VINs, plates, phones.

Validators check the *normalised* form (``normalise_*``), so callers must store that form.
``*_check_char`` helpers raise ValueError on malformed input (a programming error);
validators raise ValidationError with a stable ``code`` that forms and the API rely on.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Character classes are spelled out: in Python patterns \d also matches full-width and
# other non-ASCII digits, which would slip past the format checks.


def _invalid(message: StrOrPromise, code: str, **params: str) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


# --- Resident ID number (GB 11643-1999) ---

# GB/T 2260 province-level codes; 71, 81 and 82 are Taiwan, Hong Kong and Macao.
ID_PROVINCE_CODES = frozenset(
    str(n)
    for n in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47))
    + (*range(50, 55), *range(61, 66), 71, 81, 82)
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_MAP = "10X98765432"
_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


@dataclass(frozen=True)
class IdInfo:
    region_code: str
    birth_date: datetime.date
    sex: Literal["M", "F"]


def normalise_id_number(value: str) -> str:
    return value.strip().upper()


def id_check_char(first17: str) -> str:
    if not re.fullmatch(r"[0-9]{17}", first17):
        raise ValueError("id_check_char needs exactly 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_MAP[total % 11]


def parse_id_number(value: str) -> IdInfo:
    # Imported here so this module stays importable without the rest of the project.
    from vmo.core import clock

    number = normalise_id_number(value)
    if not _ID_RE.fullmatch(number):
        raise _invalid(
            _("An ID number has 18 characters: 17 digits followed by a digit or X."), "id_format"
        )
    if number[:2] not in ID_PROVINCE_CODES:
        raise _invalid(
            _("The region code %(region)s of this ID number does not belong to any province."),
            "id_region",
            region=number[:6],
        )
    digits = number[6:14]
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _invalid(
            _("The birth date %(digits)s in this ID number is not a real date."),
            "id_birth_date",
            digits=digits,
        ) from None
    if birth < _EARLIEST_BIRTH or birth > clock.today():
        raise _invalid(
            _("The birth date %(date)s in this ID number must be between 1900 and today."),
            "id_birth_date",
            date=birth.isoformat(),
        )
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise _invalid(
            _("The check digit of this ID number is wrong: expected %(expected)s."),
            "id_check_digit",
            expected=expected,
        )
    sex: Literal["M", "F"] = "M" if int(number[16]) % 2 else "F"
    return IdInfo(region_code=number[:6], birth_date=birth, sex=sex)


def validate_id_number(value: str) -> None:
    parse_id_number(value)


# --- Unified social credit code (GB 32100-2015) ---

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(rf"[{USCC_CHARSET}]{{2}}[0-9]{{6}}[{USCC_CHARSET}]{{10}}")


def normalise_uscc(value: str) -> str:
    return value.strip().upper()


def uscc_check_char(first17: str) -> str:
    if len(first17) != 17 or any(c not in _USCC_VALUES for c in first17):
        raise ValueError("uscc_check_char needs 17 characters of the USCC charset")
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = normalise_uscc(value)
    if not _USCC_RE.fullmatch(code):
        raise _invalid(
            _(
                "A unified social credit code has 18 characters: digits and capital letters"
                " other than I, O, S, V and Z, with digits in positions 3 to 8."
            ),
            "uscc_format",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise _invalid(
            _("The check character of this credit code is wrong: expected %(expected)s."),
            "uscc_check_digit",
            expected=expected,
        )


# --- Vehicle identification number (ISO 3779, GB 16735) ---

# ISO 3779 transliteration of letters; digits stand for themselves.
_VIN_VALUES = {str(d): d for d in range(10)} | {
    c: int(v) for c, v in zip("ABCDEFGHJKLMNPRSTUVWXYZ", "12345678123457923456789", strict=True)
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_RE = re.compile(r"[0-9A-HJ-NPR-Z]{17}")


def normalise_vin(value: str) -> str:
    return value.strip().upper()


def vin_check_char(vin17: str) -> str:
    if len(vin17) != 17 or any(c not in _VIN_VALUES for i, c in enumerate(vin17) if i != 8):
        raise ValueError("vin_check_char needs a 17-character VIN without I, O or Q")
    total = sum(
        _VIN_VALUES[c] * w
        for i, (c, w) in enumerate(zip(vin17, _VIN_WEIGHTS, strict=True))
        if i != 8
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(value: str) -> None:
    vin = normalise_vin(value)
    if not _VIN_RE.fullmatch(vin):
        raise _invalid(
            _("A VIN has 17 characters: digits and capital letters other than I, O and Q."),
            "vin_format",
        )
    if vin[9] in "UZ0":
        raise _invalid(
            _("The 10th character of a VIN is the model year and cannot be U, Z or 0."),
            "vin_model_year",
        )
    expected = vin_check_char(vin)
    if vin[8] != expected:
        raise _invalid(
            _("The check digit of this VIN (9th character) is wrong: expected %(expected)s."),
            "vin_check_digit",
            expected=expected,
        )


# --- Plate numbers (GA 36-2018) ---

PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# I and O never appear on plates: they would be read as 1 and 0.
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_NEW_ENERGY_SMALL_FIRST = "DFABCEGHJK"  # D (electric), F (hybrid), then the reserve letters
_SERIAL_LENGTHS: dict[bool | None, tuple[int, ...]] = {None: (5, 6), True: (6,), False: (5,)}
_SERIAL_LENGTH_MESSAGES: dict[bool | None, StrOrPromise] = {
    None: _("A plate has 5 characters after the authority letter, or 6 on a new-energy plate."),
    True: _("A new-energy plate has 6 characters after the authority letter."),
    False: _("An ordinary plate has 5 characters after the authority letter."),
}


@dataclass(frozen=True)
class PlateInfo:
    province: str
    authority: str
    serial: str
    new_energy: bool
    size: Literal["small", "large"] | None

    @property
    def number(self) -> str:
        return self.province + self.authority + self.serial


def normalise_plate(value: str) -> str:
    plate = "".join(value.split()).upper()
    if len(plate) > 2 and plate[2] in "·.":
        plate = plate[:2] + plate[3:]
    return plate


def _plate_info(plate: str, new_energy: bool | None) -> PlateInfo:
    if not plate or plate[0] not in PLATE_PROVINCES:
        raise _invalid(
            _("A plate number starts with one of the 31 province abbreviations, such as 京 or 新."),
            "plate_province",
        )
    if len(plate) < 2 or plate[1] not in _PLATE_LETTERS:
        raise _invalid(
            _("The second character of a plate number is a capital letter other than I and O."),
            "plate_authority",
        )
    serial = plate[2:]
    if not re.fullmatch(r"[0-9A-Z]*", serial):
        raise _invalid(
            _("A plate serial contains only digits and capital letters."), "plate_serial"
        )
    if "I" in serial or "O" in serial:
        raise _invalid(
            _("Plate serials never use the letters I and O, which read as 1 and 0."),
            "plate_letter_io",
        )
    if len(serial) not in _SERIAL_LENGTHS[new_energy]:
        raise _invalid(_SERIAL_LENGTH_MESSAGES[new_energy], "plate_serial")
    if len(serial) == 5:
        if sum(c.isalpha() for c in serial) > 2:
            raise _invalid(
                _("An ordinary plate serial has at most 2 letters."), "plate_too_many_letters"
            )
        return PlateInfo(plate[0], plate[1], serial, new_energy=False, size=None)
    size: Literal["small", "large"]
    if serial[0] in _NEW_ENERGY_SMALL_FIRST and serial[2:].isdigit():
        size = "small"
    elif serial[:5].isdigit() and serial[5] in "DF":
        size = "large"
    else:
        raise _invalid(
            _(
                "A new-energy serial is D or F, a letter or digit and 4 digits (small vehicles),"
                " or 5 digits followed by D or F (large vehicles)."
            ),
            "plate_serial",
        )
    return PlateInfo(plate[0], plate[1], serial, new_energy=True, size=size)


def parse_plate(value: str) -> PlateInfo:
    return _plate_info(normalise_plate(value), None)


def validate_plate_number(value: str, *, new_energy: bool | None = None) -> None:
    _plate_info(normalise_plate(value), new_energy)


def validate_plate_for_office(value: str, prefix: str, *, new_energy: bool | None = None) -> None:
    plate = normalise_plate(value)
    _plate_info(plate, new_energy)
    office_prefix = normalise_plate(prefix)
    if not plate.startswith(office_prefix):
        raise _invalid(
            _("This plate is registered elsewhere: this office handles %(prefix)s plates only."),
            "plate_other_office",
            prefix=office_prefix,
        )


# --- Mainland mobile phone numbers ---

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalise_phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value)
    if phone.startswith("+86"):
        return phone[3:]
    if phone.startswith("0086"):
        return phone[4:]
    # A bare "86" is only a country code when 11 digits follow it.
    if phone.startswith("86") and len(phone) == 13:
        return phone[2:]
    return phone


def validate_mobile_phone(value: str) -> None:
    phone = normalise_phone(value)
    if not _MOBILE_RE.fullmatch(phone):
        raise _invalid(_("A mobile number has 11 digits and starts with 13 to 19."), "phone_format")
    # The pattern alone admits unallocated ranges (e.g. 154, 194); the numbering plan
    # data of phonenumbers knows which blocks are actually issued to mobile carriers.
    parsed = phonenumbers.parse(phone, "CN")
    if (
        not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in _MOBILE_TYPES
    ):
        raise _invalid(
            _("%(phone)s is not in a range issued to mainland mobile numbers."),
            "phone_format",
            phone=phone,
        )
