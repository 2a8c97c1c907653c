"""core/dates.py: the calendar arithmetic every plugin's rules use, at its boundaries."""
from datetime import date

import pytest

from core.dates import add_months, add_years, inclusive_days, periods_overlap, within


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),    # clamped to the end of February
    (date(2028, 1, 31), 1, date(2028, 2, 29)),    # a leap year
    (date(2026, 3, 31), -1, date(2026, 2, 28)),   # backwards too
    (date(2026, 11, 30), 2, date(2027, 1, 30)),   # over the year's end
    (date(2026, 1, 15), -13, date(2024, 12, 15)),
    (date(2026, 5, 31), 0, date(2026, 5, 31)),
    (date(2026, 8, 31), 1, date(2026, 9, 30)),
    (date(2026, 1, 1), 12, date(2027, 1, 1)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize("day, years, expected", [
    (date(2024, 2, 29), 1, date(2025, 2, 28)),
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2024, 2, 29), -2, date(2022, 2, 28)),
    (date(2025, 3, 1), -1, date(2024, 3, 1)),
    (date(2026, 11, 30), 0, date(2026, 11, 30)),
])
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_inclusive_days_count_both_ends():
    assert inclusive_days(date(2026, 1, 1), date(2026, 1, 1)) == 1
    assert inclusive_days(date(2026, 1, 1), date(2026, 12, 31)) == 365
    assert inclusive_days(date(2026, 1, 2), date(2026, 1, 1)) == 0
    assert inclusive_days(date(2026, 1, 3), date(2026, 1, 1)) == 0


def test_within_includes_its_bounds_and_open_bounds_are_open():
    day = date(2026, 6, 15)
    assert within(day, day, day)
    assert not within(day, date(2026, 6, 16), None)
    assert not within(day, None, date(2026, 6, 14))
    assert within(day, None, None) and within(day, date(2026, 6, 14), None) and within(day, None, date(2026, 6, 16))


def test_periods_sharing_one_day_overlap():
    jan, feb = date(2026, 1, 31), date(2026, 2, 1)
    assert periods_overlap(date(2026, 1, 1), jan, jan, date(2026, 3, 1))
    assert not periods_overlap(date(2026, 1, 1), jan, feb, date(2026, 3, 1))
    assert periods_overlap(feb, date(2026, 3, 1), date(2026, 1, 1), feb)
    assert not periods_overlap(feb, date(2026, 3, 1), date(2026, 1, 1), jan)
