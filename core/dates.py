"""Calendar arithmetic shared by the core and the plugins: one definition each.

Domain dates are ``datetime.date``. Months are calendar months clamped to the end
of the month ("31 januari + 1 maand = 28 februari", 29 in a leap year); years are
calendar years, 29 February becoming 28 February in a common year. Periods are
inclusive of both ends, as every norm in the seeds counts them (a position's end
date is its last day).
"""
from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months (negative: earlier), clamped to the end of the month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day))


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years (negative: earlier); 29 February becomes 28 February in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def inclusive_days(first: date, last: date) -> int:
    """Days from ``first`` to ``last``, both counted; 0 when ``last`` is before ``first``."""
    return (last - first).days + 1 if last >= first else 0


def within(on: date, start: date | None, end: date | None) -> bool:
    """``on`` lies in ``[start, end]``; a missing bound is open."""
    return (start is None or start <= on) and (end is None or on <= end)


def periods_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Two periods, both ends inclusive, share at least one day."""
    return a_start <= b_end and b_start <= a_end


def dutch_day(day: date) -> str:
    """A day as a Dutch reader writes it, ``30-11-2026`` (for Dutch texts made outside a page)."""
    return day.strftime("%d-%m-%Y")
