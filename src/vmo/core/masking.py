"""Masked forms of personal data, for every screen that does not need the whole value."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """652301199001011234 -> 652301********1234 (region kept: it is public knowledge)."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张三 -> 张*; 欧阳娜娜 -> 欧***; Latin names keep the first letter."""
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1)


def mask_address(value: str, keep: int = 6) -> str:
    if len(value) <= keep:
        return value
    return value[:keep] + "****"


def mask_file_number(value: str) -> str:
    """652300001234 -> 6523****1234: the issuing region (public) and the last four."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_vin(value: str) -> str:
    """LSVAU2180N2183294 -> LSVA*********3294: the maker's code (public) and the last four."""
    return mask_file_number(value)


def mask_email(value: str) -> str:
    """zhang.san@example.cn -> zh***@example.cn."""
    local, at, domain = value.partition("@")
    return f"{local[:2]}***{at}{domain}" if value else ""
