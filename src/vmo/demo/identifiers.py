"""Unique, valid identifiers derived from a counter: ID numbers, VINs, plates, file numbers.

Each kind is a bijection from a counter k onto its value space: a small Feistel permutation
scatters consecutive counters, so the records look random while two counters below the
space's size never give the same value. The demo takes counters below DEMO_RESERVE; the scale
generator starts above it, so the two never meet.
"""

from __future__ import annotations

from datetime import date, timedelta

from vmo.registry import validators

DEMO_RESERVE = 10_000

BIRTH_EPOCH = date(1940, 1, 1)
BIRTH_DAYS = 30_660  # to late 2023: fixed, so a counter means the same person on any day
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O (GA 36)
_VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O or Q (ISO 3779)
# Model-year codes (VIN position 10) by year; U, Z and 0 are never used.
_VIN_YEARS = {
    **{2000 + n: str(n) for n in range(1, 10)},
    **dict(zip(range(2010, 2031), "ABCDEFGHJKLMNPRSTVWXY", strict=True)),
}


def _mix(value: int, round_: int, mask: int) -> int:
    h = ((value + round_ * 0x632BE5AB) * 0x9E3779B1) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    return (h ^ (h >> 13)) & mask


def _permute(k: int, size: int) -> int:
    """A fixed bijection of [0, size): a 4-round Feistel network on the next even power of two,
    walked until it lands inside the range (fewer than 2 steps on average)."""
    half = max((size - 1).bit_length() + 1, 2) // 2
    mask = (1 << half) - 1
    x = k % size
    while True:
        left, right = x >> half, x & mask
        for round_ in range(4):
            left, right = right, left ^ _mix(right, round_, mask)
        x = left << half | right
        if x < size:
            return x


def id_space(regions: int) -> int:
    return regions * BIRTH_DAYS * 1000


def id_number(k: int, regions: list[str]) -> str:
    """A valid 18-digit resident ID number (GB 11643); the 17th digit's parity is the sex."""
    j = _permute(k, id_space(len(regions)))
    seq, rest = j % 1000, j // 1000
    day, region = rest % BIRTH_DAYS, rest // BIRTH_DAYS
    birth = BIRTH_EPOCH + timedelta(days=day)
    first17 = f"{regions[region]}{birth:%Y%m%d}{seq:03d}"
    return first17 + validators.id_check_char(first17)


def id_number_from(region: str, birth: date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + validators.id_check_char(first17)


# --- Plates (GA 36-2018) ---

# Ordinary serials: 5 characters with at most 2 letters, in any positions.
_ORDINARY_PATTERNS = [
    tuple(pos for pos in range(5) if mask >> pos & 1)
    for mask in range(32)
    if bin(mask).count("1") <= 2
]
_ORDINARY_SIZES = [24 ** len(p) * 10 ** (5 - len(p)) for p in _ORDINARY_PATTERNS]
ORDINARY_SPACE = sum(_ORDINARY_SIZES)  # 7,060,000
NE_SMALL_SPACE = 2 * 34 * 10_000  # D/F, a letter or digit, 4 digits
NE_LARGE_SPACE = 100_000 * 2  # 5 digits, then D/F


def ordinary_serial(k: int) -> str:
    j, pattern = _permute(k, ORDINARY_SPACE), 0
    while j >= _ORDINARY_SIZES[pattern]:
        j -= _ORDINARY_SIZES[pattern]
        pattern += 1
    letters_at = _ORDINARY_PATTERNS[pattern]
    chars = []
    for pos in range(5):
        if pos in letters_at:
            j, r = divmod(j, 24)
            chars.append(_PLATE_LETTERS[r])
        else:
            j, r = divmod(j, 10)
            chars.append(str(r))
    return "".join(chars)


def new_energy_small_serial(k: int) -> str:
    j = _permute(k, NE_SMALL_SPACE)
    digits, rest = j % 10_000, j // 10_000
    second, kind = rest % 34, rest // 34
    return f"{'DF'[kind]}{(_PLATE_LETTERS + '0123456789')[second]}{digits:04d}"


def new_energy_large_serial(k: int) -> str:
    j = _permute(k, NE_LARGE_SPACE)
    return f"{j // 2:05d}{'DF'[j % 2]}"


# --- VINs (ISO 3779 / GB 16735) ---


def vin(k: int, *, wmi: str, vds: str, year: int) -> str:
    """A VIN with a valid check digit; (plant, serial) come from k, so VINs never repeat.

    The plant character Z is left to hand-written VINs (the demo's named vehicles).
    """
    plant, serial = divmod(k, 1_000_000)
    body = f"{wmi}{vds}0{_VIN_YEARS.get(year, 'A')}{_VIN_CHARS[plant % 32]}{serial:06d}"
    return body[:8] + validators.vin_check_char(body) + body[9:]


def vin_chars() -> str:
    return _VIN_CHARS


# --- Numbers without a check digit ---


def phone(k: int) -> str:
    """An 11-digit number in blocks issued to mainland mobile carriers."""
    prefixes = (
        "138",
        "139",
        "135",
        "136",
        "137",
        "150",
        "151",
        "152",
        "158",
        "159",
        "182",
        "187",
        "188",
        "133",
        "153",
        "180",
        "189",
        "130",
        "131",
        "132",
        "155",
        "156",
        "186",
    )
    j = _permute(k, len(prefixes) * 100_000_000)
    return f"{prefixes[j % len(prefixes)]}{j // len(prefixes):08d}"


def licence_file_number(k: int, region: str) -> str:
    """The 12-digit file number of a driving licence: the issuing area's code then a serial."""
    return f"{region[:4]}{k % 100_000_000:08d}"
