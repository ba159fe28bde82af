"""Money is an integer number of fen (分). No floats anywhere near it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Fen = int


def format_fen(amount: Fen, *, symbol: bool = True) -> str:
    """12345 -> "¥123.45"; 123450 -> "¥1,234.50"; -5 -> "-¥0.05"."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("money is an integer number of fen")
    sign = "-" if amount < 0 else ""
    yuan, fen = divmod(abs(amount), 100)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{fen:02d}"


def yuan_to_fen(text: str) -> Fen:
    """Parse an amount typed in yuan ("1234.5", "1,234.50") exactly; at most 2 decimals."""
    try:
        value = Decimal(str(text).replace(",", "").replace("¥", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {text!r}") from exc
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"more than two decimals: {text!r}")
    return int((value * 100).to_integral_value(rounding=ROUND_HALF_UP))


def percent_of(amount: Fen, *, permille: int) -> Fen:
    """A share of an amount in per-mille, rounded half up to the fen (no float)."""
    return (amount * permille * 2 + 1000) // 2000
