"""Identifiers of people and companies: resident ID numbers, USCCs, mainland mobile numbers."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import phonenumbers
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    pass

from .common import invalid

# --- Resident ID number (GB 11643-1999) ---

# GB/T 2260 province-level codes of the mainland, with the names used in certificates and
# other Latin-script documents; 71 is Taiwan in GB/T 2260.
PROVINCE_NAMES_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang",
    "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui", "35": "Fujian",
    "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan",
    "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan", "54": "Tibet",
    "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia", "65": "Xinjiang",
}  # fmt: skip
MAINLAND_PROVINCE_CODES = frozenset(PROVINCE_NAMES_EN)
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
        raise invalid(
            _("An ID number has 18 characters: 17 digits followed by a digit or X."), "id_format"
        )
    document = "resident"
    if number[0] == FOREIGNER_FIRST:
        document = "foreigner"
        if number[1:3] not in MAINLAND_PROVINCE_CODES:
            raise invalid(
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
            raise invalid(
                _(
                    "A residence permit of a Hong Kong, Macau or Taiwan resident begins with"
                    " 810000, 820000 or 830000, not %(region)s."
                ),
                "id_region",
                region=number[:6],
            )
    elif number[:2] not in ID_PROVINCE_CODES:
        raise invalid(
            _("The region code %(region)s of this ID number does not belong to any province."),
            "id_region",
            region=number[:6],
        )
    digits = number[6:14]
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise invalid(
            _("The birth date %(digits)s in this ID number is not a real date."),
            "id_birth_date",
            digits=digits,
        ) from None
    if birth < _EARLIEST_BIRTH or birth > clock.today():
        raise invalid(
            _("The birth date %(date)s in this ID number must be between 1900 and today."),
            "id_birth_date",
            date=birth.isoformat(),
        )
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise invalid(
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
        raise invalid(
            _(
                "A unified social credit code has 18 characters: digits and capital letters"
                " other than I, O, S, V and Z, with digits in positions 3 to 8."
            ),
            "uscc_format",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise invalid(
            _("The check character of this credit code is wrong: expected %(expected)s."),
            "uscc_check_digit",
            expected=expected,
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
        raise invalid(_("A mobile number has 11 digits and starts with 13 to 19."), "phone_format")
    # The pattern alone admits unallocated ranges (e.g. 154, 194); the numbering plan
    # data of phonenumbers knows which blocks are actually issued to mobile carriers.
    parsed = phonenumbers.parse(phone, "CN")
    if (
        not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in _MOBILE_TYPES
    ):
        raise invalid(
            _("%(phone)s is not in a range issued to mainland mobile numbers."),
            "phone_format",
            phone=phone,
        )
