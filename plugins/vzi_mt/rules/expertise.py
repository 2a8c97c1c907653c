"""Deskundigheidsgebieden (certificatienormen, Deskundigheidsgebieden): 600 hours of work plus
12 hours of deskundigheidsbevordering in one technology group."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from core.dates import inclusive_days as _inclusive_days
from plugins.vzi_mt.rules.norms import EXPERTISE_CPD_HOURS, EXPERTISE_WORK_HOURS
from plugins.vzi_mt.rules.numbers import _cents, in_window, window_start
from plugins.vzi_mt.rules.portfolio import Portfolio, WorkExperience


def work_hours_in_window(record: WorkExperience, as_of: date) -> Decimal:
    """Hours of a work-experience record inside the window, pro rata by inclusive days."""
    first = max(record.period_start, window_start(as_of) + timedelta(days=1))
    last = min(record.period_end, as_of)
    inside = _inclusive_days(first, last)
    total = _inclusive_days(record.period_start, record.period_end)
    return _cents(record.hours * inside / total)


def expertise_areas(portfolio: Portfolio, as_of: date) -> tuple[int, ...]:
    """Technology groups that are a deskundigheidsgebied on ``as_of``, sorted.

    seed Deskundigheidsgebieden: 600 h work experience plus 12 h CPD in the group
    within the period.
    """
    work: dict[int, Decimal] = {}
    for record in portfolio.work_experience:
        code = record.technology_group_code
        work[code] = work.get(code, Decimal(0)) + work_hours_in_window(record, as_of)
    cpd: dict[int, Decimal] = {}
    for activity in portfolio.cpd_activities:
        if activity.technical and in_window(activity.date, as_of):
            code = activity.technology_group_code
            cpd[code] = cpd.get(code, Decimal(0)) + activity.hours
    return tuple(
        sorted(
            code
            for code in work.keys() & cpd.keys()
            if work[code] >= EXPERTISE_WORK_HOURS and cpd[code] >= EXPERTISE_CPD_HOURS
        )
    )
