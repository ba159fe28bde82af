import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmo.core.money import format_fen, percent_of, yuan_to_fen


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "¥0.00"),
        (5, "¥0.05"),
        (12345, "¥123.45"),
        (123450, "¥1,234.50"),
        (100000000, "¥1,000,000.00"),
        (-250, "-¥2.50"),
    ],
)
def test_format_fen(fen, text):
    assert format_fen(fen) == text


def test_format_refuses_floats():
    with pytest.raises(TypeError):
        format_fen(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "fen"), [("1234.5", 123450), ("1,234.50", 123450), ("¥0.01", 1), ("200", 20000)]
)
def test_yuan_to_fen(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("bad", ["1.234", "abc", ""])
def test_yuan_to_fen_refuses(bad):
    with pytest.raises(ValueError):
        yuan_to_fen(bad)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_then_parse_round_trips(fen):
    assert yuan_to_fen(format_fen(fen).replace("-", "-").replace("¥", "")) == fen


def test_percent_of_rounds_half_up_in_integers():
    # 3% of a 200-yuan fine per day: the late-payment surcharge (RTSL Art 109).
    assert percent_of(20000, permille=30) == 600
    assert percent_of(5, permille=100) == 1  # 0.5 fen rounds up
    assert percent_of(4, permille=100) == 0
