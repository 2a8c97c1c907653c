"""The one parser of typed numbers (core.numbers): a Dutch decimal comma and an English point alike,
Dutch thousands, and a refusal of what could mean two numbers. "7,5" once arrived as 75."""
from __future__ import annotations

from decimal import Decimal

import pytest

from core.numbers import NumberError, parse_decimal


def test_seven_comma_five_is_seven_and_a_half():
    assert parse_decimal("7,5") == Decimal("7.5")
    assert parse_decimal("7,5") != Decimal("75")


@pytest.mark.parametrize("typed, expected", [
    ("7.5", "7.5"), ("7,50", "7.50"), (" 7,5 ", "7.5"), ("12", "12"), ("0,125", "0.125"), (",5", "0.5"),
    ("1.234,5", "1234.5"), ("1.234.567", "1234567"), ("1.234.567,25", "1234567.25"), ("1000,5", "1000.5"),
    ("-2,25", "-2.25"), ("0.750", "0.750"),
])
def test_accepted(typed, expected):
    assert parse_decimal(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", [
    "1,234", "1.234", "12.345",        # a thousands separator or three decimals: refused, not guessed
    "1,234.5", "1,234,567",            # English thousands on a Dutch page
    "", "  ", "abc", "7,", "7,5,5", "7.5.5", "1e5", "NaN", "Infinity", "7 5", "٧,٥", "1.23.4",
])
def test_refused_with_a_dutch_explanation(typed):
    with pytest.raises(NumberError) as refused:
        parse_decimal(typed)
    assert refused.value.message_nl and refused.value.text("nl") == refused.value.message_nl
    assert refused.value.text("en") == refused.value.message


def test_numbers_that_are_numbers_already_pass():
    assert parse_decimal(Decimal("7.5")) == Decimal("7.5") and parse_decimal(3) == 3
    with pytest.raises(NumberError):
        parse_decimal(Decimal("NaN"))
