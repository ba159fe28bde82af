"""Identifiers of vehicles: VINs and plate numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from .common import invalid

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
        raise invalid(
            _("A VIN has 17 characters: digits and capital letters other than I, O and Q."),
            "vin_format",
        )
    if vin[9] in "UZ0":
        raise invalid(
            _("The 10th character of a VIN is the model year and cannot be U, Z or 0."),
            "vin_model_year",
        )
    expected = vin_check_char(vin)
    if vin[8] != expected:
        raise invalid(
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
            raise invalid(
                _("An embassy plate is 使 and 6 digits: the country code and the serial."),
                "plate_serial",
            )
        return PlateInfo("", "", plate[1:], new_energy=False, size=None, suffix=EMBASSY)
    if not plate or plate[-1] not in PLATE_SUFFIXES:
        return None
    suffix, serial = plate[-1], plate[2:-1]
    if suffix in "港澳" and plate[:2] != _CROSS_BORDER_HEAD:
        raise invalid(_("Hong Kong and Macau entry plates are 粤Z plates."), "plate_cross_border")
    if new_energy or len(serial) != 4:
        raise invalid(
            _("A %(use)s plate has 4 characters between the authority letter and %(use)s."),
            "plate_serial",
            use=suffix,
        )
    if sum(c.isalpha() for c in serial) > 2:
        raise invalid(
            _("An ordinary plate serial has at most 2 letters."), "plate_too_many_letters"
        )
    return PlateInfo(plate[0], plate[1], serial, new_energy=False, size=None, suffix=suffix)


def _plate_info(plate: str, new_energy: bool | None) -> PlateInfo:
    if plate.startswith(EMBASSY):
        info = _special_plate_info(plate, new_energy)
        assert info is not None
        return info
    if not plate or plate[0] not in PLATE_PROVINCES:
        raise invalid(
            _("A plate number starts with one of the 31 province abbreviations, such as 京 or 新."),
            "plate_province",
        )
    if len(plate) < 2 or plate[1] not in _PLATE_LETTERS:
        raise invalid(
            _("The second character of a plate number is a capital letter other than I and O."),
            "plate_authority",
        )
    serial = plate[2:-1] if plate[-1] in PLATE_SUFFIXES else plate[2:]
    if not re.fullmatch(r"[0-9A-Z]*", serial):
        raise invalid(_("A plate serial contains only digits and capital letters."), "plate_serial")
    if "I" in serial or "O" in serial:
        raise invalid(
            _("Plate serials never use the letters I and O, which read as 1 and 0."),
            "plate_letter_io",
        )
    special = _special_plate_info(plate, new_energy)
    if special is not None:
        return special
    if len(serial) not in _SERIAL_LENGTHS[new_energy]:
        raise invalid(_SERIAL_LENGTH_MESSAGES[new_energy], "plate_serial")
    if len(serial) == 5:
        if sum(c.isalpha() for c in serial) > 2:
            raise invalid(
                _("An ordinary plate serial has at most 2 letters."), "plate_too_many_letters"
            )
        return PlateInfo(plate[0], plate[1], serial, new_energy=False, size=None)
    size: Literal["small", "large"]
    if serial[0] in _NEW_ENERGY_SMALL_FIRST and serial[2:].isdigit():
        size = "small"
    elif serial[:5].isdigit() and serial[5] in "DF":
        size = "large"
    else:
        raise invalid(
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
        raise invalid(
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
        raise invalid(
            _("This plate is registered elsewhere: this office handles %(prefix)s plates only."),
            "plate_other_office",
            prefix=office_prefix,
        )
