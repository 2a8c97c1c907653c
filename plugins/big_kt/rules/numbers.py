"""Hours as the answers show them."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from plugins.big_kt.rules.vocabulary import TWO_PLACES


def format_hours(value: Decimal) -> str:
    """``Decimal('2079')`` -> ``'2,079.00'``."""
    return f"{value.quantize(TWO_PLACES, ROUND_HALF_UP):,.2f}"


def format_hours_nl(value: Decimal) -> str:
    """``Decimal('2079')`` -> ``'2.079,00'`` (a Dutch reader's decimal comma)."""
    return format_hours(value).replace(",", "_").replace(".", ",").replace("_", ".")
