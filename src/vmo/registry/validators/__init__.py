"""Validators for the identifiers the office records: ID numbers, USCCs, VINs, plates, phones.

Validators check the *normalised* form (``normalise_*``), so callers must store that form.
``*_check_char`` helpers raise ValueError on malformed input (a programming error);
validators raise ValidationError with a stable ``code`` that forms and the API rely on.
Split by what is identified; import from here.
"""

from .people import (
    FOREIGNER_FIRST,
    ID_PROVINCE_CODES,
    MAINLAND_PROVINCE_CODES,
    PERMIT_REGIONS,
    PROVINCE_NAMES_EN,
    USCC_CHARSET,
    IdInfo,
    id_check_char,
    normalise_id_number,
    normalise_phone,
    normalise_uscc,
    parse_id_number,
    uscc_check_char,
    validate_id_number,
    validate_mobile_phone,
    validate_uscc,
)
from .vehicles import (
    EMBASSY,
    PLATE_PROVINCES,
    PLATE_SUFFIXES,
    PLATE_TYPE_SUFFIX,
    PlateInfo,
    normalise_plate,
    normalise_vin,
    parse_plate,
    validate_plate_for_office,
    validate_plate_number,
    validate_plate_type,
    validate_vin,
    vin_check_char,
)

__all__ = [
    "EMBASSY",
    "FOREIGNER_FIRST",
    "ID_PROVINCE_CODES",
    "MAINLAND_PROVINCE_CODES",
    "PROVINCE_NAMES_EN",
    "PERMIT_REGIONS",
    "PLATE_PROVINCES",
    "PLATE_SUFFIXES",
    "PLATE_TYPE_SUFFIX",
    "USCC_CHARSET",
    "IdInfo",
    "PlateInfo",
    "id_check_char",
    "normalise_id_number",
    "normalise_phone",
    "normalise_plate",
    "normalise_uscc",
    "normalise_vin",
    "parse_id_number",
    "parse_plate",
    "uscc_check_char",
    "validate_id_number",
    "validate_mobile_phone",
    "validate_plate_for_office",
    "validate_plate_number",
    "validate_plate_type",
    "validate_uscc",
    "validate_vin",
    "vin_check_char",
]
