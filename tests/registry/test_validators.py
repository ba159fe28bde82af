"""Tests of the record validators: property tests over generated valid values, plus examples.

The alphabets, weights and transliteration below are restated from the standards rather
than imported, so that a slip in the module is not silently copied into its tests.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from vmo.registry import validators as v

DIGITS = "0123456789"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def error_code(func: Callable[..., None], value: str, **kwargs: object) -> str | None:
    """The code of the ValidationError that func raises, or None if it accepts value."""
    try:
        func(value, **kwargs)
    except ValidationError as exc:
        return exc.code
    return None


def english_message(func: Callable[..., None], value: str, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as info:
        func(value, **kwargs)
    # The messages are lazy: they are rendered, hence translated, when read.
    with translation.override("en"):
        return info.value.messages[0]


def substitutions(value: str, alphabet: str) -> list[tuple[int, str, str]]:
    """Every (position, new char, corrupted value) differing from value in one position."""
    return [
        (pos, char, value[:pos] + char + value[pos + 1 :])
        for pos in range(len(value))
        for char in alphabet
        if char != value[pos]
    ]


# --- Resident ID numbers -------------------------------------------------------------

ID_PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71",
]  # fmt: skip
# Residence permits of Hong Kong, Macau and Taiwan residents: the whole region is 810000,
# 820000 or 830000 (so a permit's region digits are checked, not only its check digit).
PERMIT_REGIONS = ["810000", "820000", "830000"]
MAINLAND = [p for p in ID_PROVINCES if p != "71"]
ID_ALPHABET = DIGITS + "X"
# A fixed upper bound keeps generated birth dates in the past whatever day the tests run.
LAST_BIRTH = datetime.date(2024, 12, 31)
CHANGJI_COUNTIES = ["652301", "652302", "652323", "652324", "652325", "652327", "652328"]


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(
        st.one_of(
            st.sampled_from(CHANGJI_COUNTIES),
            st.builds(
                lambda p, rest: p + rest,
                st.sampled_from(ID_PROVINCES),
                st.text(DIGITS, min_size=4, max_size=4),
            ),
            st.sampled_from(PERMIT_REGIONS),
            # Foreigners' permanent residence ID card: 9, the province, the nationality code.
            st.builds(
                lambda p, nation: "9" + p + nation,
                st.sampled_from(MAINLAND),
                st.text(DIGITS, min_size=3, max_size=3),
            ),
        )
    )
    birth = draw(st.dates(datetime.date(1900, 1, 1), LAST_BIRTH))
    sequence = draw(st.text(DIGITS, min_size=3, max_size=3))
    first17 = f"{region}{birth:%Y%m%d}{sequence}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
    return first17 + check


@given(id_numbers())
def test_valid_id_numbers_are_accepted_and_parsed(number: str) -> None:
    v.validate_id_number(number)
    v.validate_id_number(f"  {number.lower()} ")
    info = v.parse_id_number(number)
    assert info.region_code == number[:6]
    assert info.birth_date == datetime.date(
        int(number[6:10]), int(number[10:12]), int(number[12:14])
    )
    assert info.sex == ("M" if int(number[16]) % 2 else "F")
    assert v.id_check_char(number[:17]) == number[17]


@settings(deadline=None)  # hundreds of validations per example
@given(id_numbers())
def test_every_single_substitution_in_an_id_number_is_rejected(number: str) -> None:
    # Weights 2^(17-i) mod 11 are never 0 mod 11 and 11 is prime, so changing any one of
    # the 17 digits changes the sum mod 11 and hence the check character: GB 11643 catches
    # every single substitution on its own, whatever the other checks say.
    for pos, char, corrupted in substitutions(number, ID_ALPHABET):
        code = error_code(v.validate_id_number, corrupted)
        if pos < 17 and char == "X":
            assert code == "id_format", corrupted
            continue
        if pos < 17:
            assert v.id_check_char(corrupted[:17]) != corrupted[17], corrupted
        region_digits = 6 if number[:2] in {"81", "82", "83"} else 3 if number[0] == "9" else 2
        if pos < region_digits:
            assert code in {"id_region", "id_check_digit"}, corrupted
        elif 6 <= pos < 14:
            assert code in {"id_birth_date", "id_check_digit"}, corrupted
        else:
            assert code == "id_check_digit", corrupted


def test_known_id_number() -> None:
    info = v.parse_id_number("11010519491231002X")
    assert info == v.IdInfo(region_code="110105", birth_date=datetime.date(1949, 12, 31), sex="F")
    v.validate_id_number("11010519491231002x")
    assert v.normalise_id_number(" 11010519491231002x ") == "11010519491231002X"


def with_check(first17: str) -> str:
    return first17 + v.id_check_char(first17)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1101051949123100",
        "11010519491231002XX",
        "1101051949123100X2",
        "11010519491231002Y",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits are not ASCII digits
        "110105 19491231002X",
    ],
)
def test_id_format(value: str) -> None:
    assert error_code(v.validate_id_number, value) == "id_format"
    assert english_message(v.validate_id_number, value) == (
        "An ID number has 18 characters: 17 digits followed by a digit or X."
    )


@pytest.mark.parametrize(
    "province",
    ["00", "10", "16", "20", "24", "30", "38", "47", "55", "66", "70", "72", "80", "83", "99"],
)
def test_id_region(province: str) -> None:
    number = with_check(f"{province}010519491231002")
    assert error_code(v.validate_id_number, number) == "id_region"
    assert f"{province}0105" in english_message(v.validate_id_number, number)


@pytest.mark.parametrize("province", ID_PROVINCES)
def test_every_province_code_is_accepted(province: str) -> None:
    v.validate_id_number(with_check(f"{province}010519491231002"))


@pytest.mark.parametrize(
    "digits", ["19490230", "19491301", "19490001", "19490100", "20230229", "00000000"]
)
def test_id_birth_date_not_a_date(digits: str) -> None:
    number = with_check(f"110105{digits}002")
    assert error_code(v.validate_id_number, number) == "id_birth_date"
    assert english_message(v.validate_id_number, number) == (
        f"The birth date {digits} in this ID number is not a real date."
    )


def test_id_birth_date_range() -> None:
    v.validate_id_number(with_check("11010519000101002"))
    v.validate_id_number(with_check("11010520000229002"))
    number = with_check("11010518991231002")
    assert error_code(v.validate_id_number, number) == "id_birth_date"
    assert english_message(v.validate_id_number, number) == (
        "The birth date 1899-12-31 in this ID number must be between 1900 and today."
    )


def test_id_birth_date_not_in_the_future_of_shanghai() -> None:
    # 17:00 UTC on 1 June is already 2 June in Shanghai, the office's day.
    with time_machine.travel(datetime.datetime(2030, 6, 1, 17, tzinfo=datetime.UTC), tick=False):
        v.validate_id_number(with_check("11010520300602002"))
        number = with_check("11010520300603002")
        assert error_code(v.validate_id_number, number) == "id_birth_date"
    with time_machine.travel(datetime.datetime(2030, 6, 1, 12, tzinfo=SHANGHAI), tick=False):
        v.validate_id_number(with_check("11010520300601002"))
        assert error_code(v.validate_id_number, with_check("11010520300602002")) == "id_birth_date"


def test_id_check_digit() -> None:
    assert error_code(v.validate_id_number, "110105194912310021") == "id_check_digit"
    assert english_message(v.validate_id_number, "110105194912310021") == (
        "The check digit of this ID number is wrong: expected X."
    )


@pytest.mark.parametrize("bad", ["", "1101051949123100", "11010519491231002X", "1101051949123100X"])
def test_id_check_char_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        v.id_check_char(bad)


# --- Unified social credit codes ---------------------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def usccs(draw: st.DrawFn) -> str:
    head = draw(st.text(USCC_CHARSET, min_size=2, max_size=2))
    region = draw(st.text(DIGITS, min_size=6, max_size=6))
    body = draw(st.text(USCC_CHARSET, min_size=9, max_size=9))
    first17 = head + region + body
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + USCC_CHARSET[(31 - total % 31) % 31]


@given(usccs())
def test_valid_usccs_are_accepted(code: str) -> None:
    v.validate_uscc(code)
    v.validate_uscc(f" {code.lower()} ")
    assert v.uscc_check_char(code[:17]) == code[17]


@settings(deadline=None)  # hundreds of validations per example
@given(usccs())
def test_every_single_substitution_in_a_uscc_is_rejected(code: str) -> None:
    # The weights are 3^i mod 31, never 0 mod 31, and 31 is prime: any one changed
    # character changes the sum mod 31, so the check character alone catches it.
    for pos, char, corrupted in substitutions(code, USCC_CHARSET):
        if pos < 17:
            assert v.uscc_check_char(corrupted[:17]) != corrupted[17], corrupted
        expected = "uscc_format" if 2 <= pos < 8 and not char.isdigit() else "uscc_check_digit"
        assert error_code(v.validate_uscc, corrupted) == expected, corrupted


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_known_usccs(code: str) -> None:
    v.validate_uscc(code)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "91350100M000100Y4",
        "91350100M000100Y433",
        "91350100M000100I43",  # I, O, S, V and Z are not in the charset
        "91350100M000100O43",
        "9135010SM000100Y43",
        "91350100M000100V43",
        "91350100M000100Z43",
        "9135A100M000100Y43",  # positions 3-8 are the region code: digits only
        "91350100M000100-43",
    ],
)
def test_uscc_format(value: str) -> None:
    assert error_code(v.validate_uscc, value) == "uscc_format"
    assert "18 characters" in english_message(v.validate_uscc, value)


def test_uscc_check_digit() -> None:
    assert error_code(v.validate_uscc, "91350100M000100Y44") == "uscc_check_digit"
    assert english_message(v.validate_uscc, "91350100M000100Y44") == (
        "The check character of this credit code is wrong: expected 3."
    )
    with pytest.raises(ValueError):
        v.uscc_check_char("91350100M000100I4")


# --- VINs ------------------------------------------------------------------------------

VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
YEAR_ALPHABET = "".join(c for c in VIN_ALPHABET if c not in "UZ0")
TRANSLITERATION = {str(d): d for d in range(10)} | {
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
    "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
    "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
}  # fmt: skip
VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def reference_vin_check(vin: str) -> str:
    remainder = sum(TRANSLITERATION[c] * w for c, w in zip(vin, VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


@st.composite
def vins(draw: st.DrawFn) -> str:
    chars = draw(st.lists(st.sampled_from(VIN_ALPHABET), min_size=17, max_size=17))
    chars[9] = draw(st.sampled_from(YEAR_ALPHABET))
    chars[8] = "0"  # weight 0: its value does not matter to the sum
    chars[8] = reference_vin_check("".join(chars))
    return "".join(chars)


@given(vins())
def test_valid_vins_are_accepted(vin: str) -> None:
    v.validate_vin(vin)
    v.validate_vin(f" {vin.lower()} ")
    assert v.vin_check_char(vin) == vin[8]


@settings(deadline=None)  # hundreds of validations per example
@given(vins())
def test_single_substitutions_in_a_vin_are_rejected_when_the_check_digit_can_see_them(
    vin: str,
) -> None:
    # Every weight except position 9's (0) is non-zero mod 11, and a substitution changes
    # a transliterated value by at most 9, so the weighted sum mod 11 changes exactly when
    # the transliterated value does. Letters sharing a value (A, J and 1; B, K, S and 2...)
    # are invisible to the check digit by design: those substitutions are accepted unless
    # they land on the model year as U, Z or 0. Position 9 is the check digit itself, so
    # any other character there is rejected.
    for pos, char, corrupted in substitutions(vin, VIN_ALPHABET):
        code = error_code(v.validate_vin, corrupted)
        if pos == 9 and char in "UZ0":
            assert code == "vin_model_year", corrupted
        elif pos == 8 or TRANSLITERATION[char] != TRANSLITERATION[vin[pos]]:
            assert code == "vin_check_digit", corrupted
        else:
            assert code is None, corrupted


@given(vins(), st.integers(0, 16), st.sampled_from("IOQ"))
def test_i_o_and_q_never_appear_in_a_vin(vin: str, pos: int, char: str) -> None:
    assert error_code(v.validate_vin, vin[:pos] + char + vin[pos + 1 :]) == "vin_format"


def test_known_vins() -> None:
    v.validate_vin("1M8GDM9AXKP042788")
    v.validate_vin("11111111111111111")
    # Computed, not recalled: the 9th character of LSVAU2180N2183294 should be X.
    assert v.vin_check_char("LSVAU2180N2183294") == "X"
    v.validate_vin("LSVAU218XN2183294")
    assert english_message(v.validate_vin, "LSVAU2180N2183294") == (
        "The check digit of this VIN (9th character) is wrong: expected X."
    )


@pytest.mark.parametrize(
    "value",
    ["", "1M8GDM9AXKP04278", "1M8GDM9AXKP0427888", "1M8GDM9AXKP04278I", "1M8GDM9AX-P042788"],
)
def test_vin_format(value: str) -> None:
    assert error_code(v.validate_vin, value) == "vin_format"
    assert english_message(v.validate_vin, value) == (
        "A VIN has 17 characters: digits and capital letters other than I, O and Q."
    )


@pytest.mark.parametrize("year", ["U", "Z", "0"])
def test_vin_model_year(year: str) -> None:
    vin = "1M8GDM9AX" + year + "P042788"
    assert error_code(v.validate_vin, vin) == "vin_model_year"
    assert "model year" in english_message(v.validate_vin, vin)


def test_vin_check_char_ignores_position_9_and_rejects_bad_input() -> None:
    assert v.vin_check_char("1M8GDM9A?KP042788") == "X"
    for bad in ["1M8GDM9AXKP04278", "1M8GDM9AXKP04278O"]:
        with pytest.raises(ValueError):
            v.vin_check_char(bad)


# --- Plates ----------------------------------------------------------------------------

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O
SERIAL_CHARS = DIGITS + LETTERS
NEW_ENERGY_RE = re.compile(r"[DFABCEGHJK][0-9A-HJ-NP-Z][0-9]{4}|[0-9]{5}[DF]")


@st.composite
def ordinary_serials(draw: st.DrawFn) -> str:
    letter_positions = draw(st.sets(st.integers(0, 4), max_size=2))
    return "".join(
        draw(st.sampled_from(LETTERS if i in letter_positions else DIGITS)) for i in range(5)
    )


small_new_energy_serials = st.builds(
    lambda a, b, rest: a + b + rest,
    st.sampled_from("DFABCEGHJK"),
    st.sampled_from(SERIAL_CHARS),
    st.text(DIGITS, min_size=4, max_size=4),
)
large_new_energy_serials = st.builds(
    lambda digits, kind: digits + kind,
    st.text(DIGITS, min_size=5, max_size=5),
    st.sampled_from("DF"),
)
heads = st.builds(lambda p, a: p + a, st.sampled_from(PROVINCES), st.sampled_from(LETTERS))


@st.composite
def decorated(draw: st.DrawFn, plate: str) -> str:
    """The same plate as people type it: separator dot, spaces, lower case."""
    dot = draw(st.sampled_from(["", "·", "."]))
    text = plate[:2] + dot + plate[2:]
    if draw(st.booleans()):
        text = text.lower()
    return " ".join(text) if draw(st.booleans()) else f" {text} "


@given(heads, ordinary_serials(), st.data())
def test_valid_ordinary_plates(head: str, serial: str, data: st.DataObject) -> None:
    plate = head + serial
    v.validate_plate_number(plate)
    v.validate_plate_number(plate, new_energy=False)
    assert error_code(v.validate_plate_number, plate, new_energy=True) == "plate_serial"
    info = v.parse_plate(plate)
    assert info == v.PlateInfo(head[0], head[1], serial, new_energy=False, size=None)
    assert info.number == plate
    typed = data.draw(decorated(plate))
    assert v.normalise_plate(typed) == plate
    assert v.parse_plate(typed) == info


@given(heads, st.one_of(small_new_energy_serials, large_new_energy_serials), st.data())
def test_valid_new_energy_plates(head: str, serial: str, data: st.DataObject) -> None:
    plate = head + serial
    v.validate_plate_number(plate)
    v.validate_plate_number(plate, new_energy=True)
    assert error_code(v.validate_plate_number, plate, new_energy=False) == "plate_serial"
    size = "large" if serial[0].isdigit() else "small"
    assert v.parse_plate(plate) == v.PlateInfo(head[0], head[1], serial, new_energy=True, size=size)
    assert v.parse_plate(data.draw(decorated(plate))).number == plate


@given(heads, st.text(SERIAL_CHARS, min_size=5, max_size=5))
def test_five_character_serials_are_accepted_iff_at_most_two_letters(
    head: str, serial: str
) -> None:
    letters = sum(c.isalpha() for c in serial)
    assert error_code(v.validate_plate_number, head + serial) == (
        None if letters <= 2 else "plate_too_many_letters"
    )


@given(heads, st.text(SERIAL_CHARS, min_size=6, max_size=6))
def test_six_character_serials_follow_the_new_energy_pattern(head: str, serial: str) -> None:
    expected = None if NEW_ENERGY_RE.fullmatch(serial) else "plate_serial"
    assert error_code(v.validate_plate_number, head + serial) == expected


@given(
    st.characters(exclude_categories=["Zs", "Zl", "Zp", "Cc", "Cs"], exclude_characters=PROVINCES),
    st.sampled_from(LETTERS),
    ordinary_serials(),
)
def test_plates_outside_the_31_provinces_are_rejected(first: str, letter: str, serial: str) -> None:
    assert error_code(v.validate_plate_number, first + letter + serial) == "plate_province"


@given(heads, st.sampled_from(["12345", "A1234", "D12345", "12345F"]), st.data())
def test_i_and_o_are_rejected_in_serials(head: str, serial: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(serial) - 1))
    char = data.draw(st.sampled_from("IOio"))
    plate = head + serial[:pos] + char + serial[pos + 1 :]
    assert error_code(v.validate_plate_number, plate) == "plate_letter_io"


@given(heads, st.integers(3, 5), st.data())
def test_ordinary_serials_with_more_than_two_letters(
    head: str, count: int, data: st.DataObject
) -> None:
    positions = data.draw(st.sets(st.integers(0, 4), min_size=count, max_size=count))
    serial = "".join(
        data.draw(st.sampled_from(LETTERS if i in positions else DIGITS)) for i in range(5)
    )
    assert error_code(v.validate_plate_number, head + serial) == "plate_too_many_letters"


@given(
    heads, st.one_of(st.integers(0, 4), st.integers(7, 12)), st.sampled_from([None, True, False])
)
def test_wrong_serial_lengths(head: str, length: int, new_energy: bool | None) -> None:
    plate = head + "1" * length
    assert error_code(v.validate_plate_number, plate, new_energy=new_energy) == "plate_serial"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "plate_province"),
        ("AB12345", "plate_province"),
        ("台A12345", "plate_province"),
        ("港A12345", "plate_province"),
        ("新", "plate_authority"),
        ("新1·12345", "plate_authority"),
        ("新I12345", "plate_authority"),
        ("新O12345", "plate_authority"),
        ("新Ｂ12345", "plate_authority"),  # full-width letters are not letters of the plate
        ("新B123学", "plate_serial"),  # a coach plate has 4 characters before 学
        ("新B12.345", "plate_serial"),
        ("新B１２３４５", "plate_serial"),
        ("新B..12345", "plate_serial"),
        ("新B·1234", "plate_serial"),
        ("新BABC12", "plate_too_many_letters"),
        ("新B1234O", "plate_letter_io"),
        ("新BZ12345", "plate_serial"),
        ("新B12345A", "plate_serial"),
        ("新B123456", "plate_serial"),
        ("新BD1234A", "plate_serial"),
    ],
)
def test_plate_errors(value: str, code: str) -> None:
    assert error_code(v.validate_plate_number, value) == code


def test_plate_messages() -> None:
    assert "province" in english_message(v.validate_plate_number, "AB12345")
    assert "I and O" in english_message(v.validate_plate_number, "新B1234O")
    assert english_message(v.validate_plate_number, "新BABC12") == (
        "An ordinary plate serial has at most 2 letters."
    )
    assert english_message(v.validate_plate_number, "新BD12345", new_energy=False) == (
        "An ordinary plate has 5 characters after the authority letter."
    )
    assert english_message(v.validate_plate_number, "新B12345", new_energy=True) == (
        "A new-energy plate has 6 characters after the authority letter."
    )


def test_normalise_plate() -> None:
    assert v.normalise_plate(" 新b·12345 ") == "新B12345"
    assert v.normalise_plate("新 B . 1 2 3 4 5") == "新B12345"
    # Only the separator after the authority letter is dropped.
    assert v.normalise_plate("新B12.345") == "新B12.345"


def test_plate_for_office() -> None:
    v.validate_plate_for_office("新B12345", "新B")
    v.validate_plate_for_office("新b·d12345", "新B·")
    v.validate_plate_for_office("新B12345F", "新B", new_energy=True)
    for other in ["新A12345", "京B12345", "新AD12345"]:
        assert error_code(v.validate_plate_for_office, other, prefix="新B") == "plate_other_office"
    assert english_message(v.validate_plate_for_office, "新A12345", prefix="新B") == (
        "This plate is registered elsewhere: this office handles 新B plates only."
    )
    # A malformed plate is reported as such, not as another office's.
    assert error_code(v.validate_plate_for_office, "新A1234O", prefix="新B") == "plate_letter_io"
    assert (
        error_code(v.validate_plate_for_office, "新B12345", prefix="新B", new_energy=True)
        == "plate_serial"
    )


# --- Mobile phone numbers --------------------------------------------------------------

# Blocks issued to mobile carriers; 154, 194 and the like match 1[3-9] but are not issued.
MOBILE_PREFIXES = [
    *(f"13{d}" for d in DIGITS),
    "145", "147",
    *(f"15{d}" for d in "012356789"),
    "162", "165", "166", "167",
    *(f"17{d}" for d in "01235678"),
    *(f"18{d}" for d in DIGITS),
    *(f"19{d}" for d in "012356789"),
]  # fmt: skip


@given(st.sampled_from(MOBILE_PREFIXES), st.text(DIGITS, min_size=8, max_size=8))
def test_valid_mobile_numbers(prefix: str, rest: str) -> None:
    number = prefix + rest
    for typed in [
        number,
        f"+86{number}",
        f"+86 {number[:3]} {number[3:7]} {number[7:]}",
        f"86-{number[:3]}-{number[3:7]}-{number[7:]}",
        f"0086 {number}",
    ]:
        assert v.normalise_phone(typed) == number
        v.validate_mobile_phone(typed)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345678901",  # second digit must be 3-9
        "1380013800",
        "138001380001",
        "1380013800a",
        "+8513800138000",
        "01012345678",  # a Beijing landline
        "15412345678",  # matches the pattern but the block is not issued
        "19412345678",
        "１３８００１３８０００",  # full-width digits
    ],
)
def test_invalid_mobile_numbers(value: str) -> None:
    assert error_code(v.validate_mobile_phone, value) == "phone_format"


def test_phone_messages_and_normalising() -> None:
    assert english_message(v.validate_mobile_phone, "12345678901") == (
        "A mobile number has 11 digits and starts with 13 to 19."
    )
    assert english_message(v.validate_mobile_phone, "154-1234-5678") == (
        "15412345678 is not in a range issued to mainland mobile numbers."
    )
    assert v.normalise_phone("8613800138000") == "13800138000"
    # A leading 86 without 11 digits after it is not a country code.
    assert v.normalise_phone("861380013800") == "861380013800"


# --- Every identity document of a resident (issue 16 #11) ------------------------------


@pytest.mark.parametrize(
    ("region", "document"), [("810000", "hk"), ("820000", "macau"), ("830000", "taiwan")]
)
def test_residence_permits_of_hk_macau_taiwan_residents(region: str, document: str) -> None:
    """港澳台居民居住证: region 810000/820000/830000, a birth date and the GB 11643 check digit."""
    number = with_check(f"{region}19900101123")
    info = v.parse_id_number(number)
    assert (info.region_code, info.document, info.sex) == (region, document, "M")
    assert info.birth_date == datetime.date(1990, 1, 1)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert error_code(v.validate_id_number, wrong) == "id_check_digit"
    # Only the region of the permit itself: 810100 is no region.
    assert error_code(v.validate_id_number, with_check(f"{region[:3]}100199001011234"[:17])) == (
        "id_region"
    )


def test_foreigners_permanent_residence_id_card() -> None:
    """外国人永久居留身份证 (2023): 9, the issuing province (65 Xinjiang), the nationality code
    (156 is not it: 840 here), the birth date, a sequence and the check digit."""
    number = with_check("965840198507150021"[:17])
    info = v.parse_id_number(number)
    assert (info.document, info.birth_date, info.sex) == (
        "foreigner",
        datetime.date(1985, 7, 15),
        "F",
    )
    assert error_code(v.validate_id_number, with_check("990840198507150021"[:17])) == "id_region"
    assert error_code(v.validate_id_number, with_check("965840198513150021"[:17])) == (
        "id_birth_date"
    )
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert error_code(v.validate_id_number, wrong) == "id_check_digit"


# --- Every plate format of GA 36 (issue 16 #10) ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "number", "suffix", "plate_type"),
    [
        ("新B·1234挂", "新B1234挂", "挂", "15"),  # trailer
        ("新B·A123学", "新BA123学", "学", "16"),  # driving-school coach
        ("新B·0001警", "新B0001警", "警", "23"),  # police
        ("使014·001", "使014001", "使", "03"),  # embassy: country code and serial
        ("014·001使", "使014001", "使", "03"),  # the same, the other way it is written
        ("沪A·1234领", "沪A1234领", "领", "04"),  # consulate
        ("粤Z·F023港", "粤ZF023港", "港", "26"),  # Hong Kong entry
        ("粤Z·1234澳", "粤Z1234澳", "澳", "27"),  # Macau entry
    ],
)
def test_special_use_plates_ga_36(typed: str, number: str, suffix: str, plate_type: str) -> None:
    assert v.normalise_plate(typed) == number
    info = v.parse_plate(typed)
    assert (info.suffix, info.number, info.new_energy) == (suffix, number, False)
    v.validate_plate_number(typed, new_energy=False)
    v.validate_plate_type(number, plate_type)
    assert error_code(v.validate_plate_type, number, plate_type="02") == "plate_type_mismatch"
    assert error_code(v.validate_plate_number, typed, new_energy=True) == "plate_serial"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("新B123挂", "plate_serial"),  # 3 characters before the use character
        ("新B12345挂", "plate_serial"),  # 5
        ("新BAB12C挂", "plate_serial"),  # 5, with letters
        ("新BABC1学", "plate_too_many_letters"),
        ("新B12O4警", "plate_letter_io"),
        ("新B1234港", "plate_cross_border"),  # only 粤Z plates enter from Hong Kong
        ("粤B1234澳", "plate_cross_border"),
        ("使01400", "plate_serial"),  # 5 digits
        ("使01400A", "plate_serial"),
        ("新B1234", "plate_serial"),
    ],
)
def test_special_use_plate_errors(value: str, code: str) -> None:
    assert error_code(v.validate_plate_number, value) == code


def test_ordinary_types_take_no_use_character() -> None:
    v.validate_plate_type("新B12345", "02")
    v.validate_plate_type("新BD12345", "52")
    assert error_code(v.validate_plate_type, "新B12345", plate_type="15") == "plate_type_mismatch"
