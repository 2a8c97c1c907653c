"""Hours and dates as the VZI answers show them (cents, Dutch notation), and the measurement
window of the certificatienormen (Inleiding: "de laatste 3 jaar")."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from core.dates import add_years
from plugins.vzi_mt.rules.norms import CENT, PERIOD_YEARS


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    return str(_cents(value))


def _nl(value: Decimal) -> str:
    """Dutch notation: decimal comma ("32,39")."""
    return _fmt(value).replace(".", ",")


MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")


def _nl_date(day: date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


@lru_cache(maxsize=256)  # pure; asked once per activity, for a handful of days per evaluation run
def window_start(as_of: date) -> date:
    """Exclusive start of the measurement window (as_of - 3 years, as_of].

    VZI certificatienormen, Inleiding: "wordt gemeten of een persoon over de laatste 3 jaar aan de normen voldoet".
    """
    return add_years(as_of, -PERIOD_YEARS)


def in_window(day: date, as_of: date) -> bool:
    return window_start(as_of) < day <= as_of
