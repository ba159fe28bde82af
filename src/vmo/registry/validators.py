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

# GB/T 2260 province-level codes of the mainland; 71 is Taiwan in GB/T 2260.
MAINLAND_PROVINCE_CODES = frozenset(
    str(n)
    for n in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47))
    + (*range(50, 55), *range(61, 66))
)
# Residence permits of Hong Kong, Macau and Taiwan residents (港澳台居民居住证, 2018) carry the
# region codes 810000, 820000 and 830000, with the birth date, sequence and check digit of a
# resident ID number.
PERMIT_REGIONS = {"810000": "hk", "820000": "macau", "830000": "taiwan"}
ID_PROVINCE_CODES = MAINLAND_PROVINCE_CODES | {"71", "81", "82", "83"}
# The foreigners' permanent residence ID card (外国人永久居留身份证, 2023): 9, the issuing
# province's 2 digits, the 3-digit nationality code, the birth date, a 3-digit sequence (odd for
# men) and the GB 11643 check digit.
FOREIGNER_FIRST = "9"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_MAP = "10X98765432"
_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


@dataclass(frozen=True)
class IdInfo:
    region_code: str
    birth_date: datetime.date
    sex: Literal["M", "F"]
    # resident (居民身份证), hk / macau / taiwan (residence permit), foreigner (永久居留身份证)
    document: str = "resident"


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
    document = "resident"
    if number[0] == FOREIGNER_FIRST:
        document = "foreigner"
        if number[1:3] not in MAINLAND_PROVINCE_CODES:
            raise _invalid(
                _(
                    "A permanent residence ID card number begins with 9 and the issuing"
                    " province's code: %(region)s does not."
                ),
                "id_region",
                region=number[:6],
            )
    elif number[:2] in {"81", "82", "83"}:
        document = PERMIT_REGIONS.get(number[:6], "")
        if not document:
            raise _invalid(
                _(
                    "A residence permit of a Hong Kong, Macau or Taiwan resident begins with"
                    " 810000, 820000 or 830000, not %(region)s."
                ),
                "id_region",
                region=number[:6],
            )
    elif number[:2] not in ID_PROVINCE_CODES:
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
    return IdInfo(region_code=number[:6], birth_date=birth, sex=sex, document=document)


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


# GA 36-2018 special-use plates: 4 serial characters and a last character that names the use:
# trailer 挂, driving-school coach 学, police 警, consulate 领, Hong Kong 港 and Macau 澳 entry
# (those two only 粤Z). Embassy plates have no province: 使 and 6 digits (country code and
# serial), written 使014·001, or the same 6 digits followed by 使 [U: both styles are seen].
PLATE_SUFFIXES = "挂学警领港澳"
EMBASSY = "使"
_CROSS_BORDER_HEAD = "粤Z"
# The plate-type code (GA 24.7) each special-use format belongs to; the other codes take the
# ordinary or new-energy formats.
PLATE_TYPE_SUFFIX = {
    "03": EMBASSY,
    "04": "领",
    "15": "挂",
    "16": "学",
    "23": "警",
    "26": "港",
    "27": "澳",
}
_EMBASSY_RE = re.compile(r"使[0-9]{6}|[0-9]{6}使")


@dataclass(frozen=True)
class PlateInfo:
    province: str
    authority: str
    serial: str
    new_energy: bool
    size: Literal["small", "large"] | None
    suffix: str = ""  # the use character of a special-use plate (挂, 学, 警, 使, 领, 港, 澳)

    @property
    def number(self) -> str:
        if self.suffix == EMBASSY:
            return EMBASSY + self.serial
        return self.province + self.authority + self.serial + self.suffix


def normalise_plate(value: str) -> str:
    plate = "".join(value.split()).upper()
    if EMBASSY in plate:
        # 使014·001: the separator sits between the country code and the serial.
        plate = plate.replace("·", "").replace(".", "")
        return EMBASSY + plate.replace(EMBASSY, "", 1) if plate.endswith(EMBASSY) else plate
    if len(plate) > 2 and plate[2] in "·.":
        plate = plate[:2] + plate[3:]
    return plate


def _special_plate_info(plate: str, new_energy: bool | None) -> PlateInfo | None:
    """The special-use plate `plate` is, or None if it is not one; raises if it is malformed."""
    if plate.startswith(EMBASSY):
        if new_energy or not _EMBASSY_RE.fullmatch(plate):
            raise _invalid(
                _("An embassy plate is 使 and 6 digits: the country code and the serial."),
                "plate_serial",
            )
        return PlateInfo("", "", plate[1:], new_energy=False, size=None, suffix=EMBASSY)
    if not plate or plate[-1] not in PLATE_SUFFIXES:
        return None
    suffix, serial = plate[-1], plate[2:-1]
    if suffix in "港澳" and plate[:2] != _CROSS_BORDER_HEAD:
        raise _invalid(_("Hong Kong and Macau entry plates are 粤Z plates."), "plate_cross_border")
    if new_energy or len(serial) != 4:
        raise _invalid(
            _("A %(use)s plate has 4 characters between the authority letter and %(use)s."),
            "plate_serial",
            use=suffix,
        )
    if sum(c.isalpha() for c in serial) > 2:
        raise _invalid(
            _("An ordinary plate serial has at most 2 letters."), "plate_too_many_letters"
        )
    return PlateInfo(plate[0], plate[1], serial, new_energy=False, size=None, suffix=suffix)


def _plate_info(plate: str, new_energy: bool | None) -> PlateInfo:
    if plate.startswith(EMBASSY):
        info = _special_plate_info(plate, new_energy)
        assert info is not None
        return info
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
    serial = plate[2:-1] if plate[-1] in PLATE_SUFFIXES else plate[2:]
    if not re.fullmatch(r"[0-9A-Z]*", serial):
        raise _invalid(
            _("A plate serial contains only digits and capital letters."), "plate_serial"
        )
    if "I" in serial or "O" in serial:
        raise _invalid(
            _("Plate serials never use the letters I and O, which read as 1 and 0."),
            "plate_letter_io",
        )
    special = _special_plate_info(plate, new_energy)
    if special is not None:
        return special
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


def validate_plate_type(value: str, plate_type: str) -> None:
    """The plate's format belongs to its plate-type code: a special-use type carries its use
    character (a trailer 挂, a coach 学...), and the other types carry none."""
    info = parse_plate(value)
    expected = PLATE_TYPE_SUFFIX.get(plate_type, "")
    if info.suffix != expected:
        raise _invalid(
            _("The plate %(plate)s is not a plate of type %(type)s."),
            "plate_type_mismatch",
            plate=info.number,
            type=plate_type,
        )


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
