"""Deskundigheidsbevordering (certificatienormen §3): the norm, the dispensation fixed at the
start of a period (Inleiding) and the hours done in the window."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from plugins.vzi_mt.rules.experience import completed_years
from plugins.vzi_mt.rules.norms import CPD_NORM_HOURS, DISPENSATION_MAX_PERCENT, DISPENSATION_MIN_YEARS, TECHNICAL_SHARE
from plugins.vzi_mt.rules.numbers import _cents, in_window
from plugins.vzi_mt.rules.portfolio import Certification, CpdActivity, Portfolio, Position
from plugins.vzi_mt.rules.vocabulary import Level


def dispensation_percent(positions: tuple[Position, ...], period_start: date) -> int:
    """Dispensatie: 1 % per completed year as MT (any level), only from 6 completed years on.

    VZI certificatienormen, Inleiding "Ervaringsjaren": "Voor elk ervaringsjaar geldt 1% dispensatie
    ... Bij de start van een registratieperiode wordt de dispensatie berekend ...
    Ervaringsjaren worden toegekend vanaf 6 jaar voltooide werkervaring".
    """
    years = completed_years(positions, period_start)
    if years < DISPENSATION_MIN_YEARS:
        return 0
    return min(years, DISPENSATION_MAX_PERCENT)


def judged_period(certifications: tuple[Certification, ...], as_of: date) -> Certification | None:
    """The certification period an application on ``as_of`` re-certifies, if any.

    The latest period that started on or before ``as_of`` and had not yet ended
    the day before (``start <= as_of <= end``; ``end`` is the first day not
    covered, so an application on the expiry day still re-certifies it). After
    a lapse the person is in basisregistratie and a new certification starts
    from there (seed Samenvatting "Nieuwe certificatie start altijd met een
    basisregistratie"): no period is judged.
    """
    candidates = [c for c in certifications if c.start <= as_of <= c.end]
    return max(candidates, key=lambda c: c.start, default=None)


def period_dispensation(portfolio: Portfolio, period: Certification) -> int:
    """The dispensation fixed when ``period`` started: as stored, else computed for its start."""
    if period.dispensation_percent is not None:
        return period.dispensation_percent
    return dispensation_percent(portfolio.positions, period.start)


def applicable_dispensation(portfolio: Portfolio, as_of: date) -> tuple[int, date]:
    """(dispensation %, the date it was fixed) that CPD measured on ``as_of`` is judged against.

    VZI certificatienormen, Inleiding: "Bij de start van een registratieperiode wordt de dispensatie
    berekend": at re-certification the norm fixed when the running period began,
    never recomputed on the application date; for a first certification the
    application date is the start of the period.
    """
    period = judged_period(portfolio.certifications, as_of)
    if period is None:
        return dispensation_percent(portfolio.positions, as_of), as_of
    return period_dispensation(portfolio, period), period.start


def required_cpd(level: str, dispensation: int) -> tuple[Decimal, Decimal]:
    """(required hours, required technical hours) for a period.

    seed §3: norm x (100 - dispensation) / 100, of which at least 50 % technical.
    """
    required = _cents(CPD_NORM_HOURS[Level(level)] * (100 - dispensation) / 100)
    return required, _cents(required * TECHNICAL_SHARE)


def cpd_hours(activities: tuple[CpdActivity, ...], as_of: date) -> tuple[Decimal, Decimal]:
    """(all hours, technical hours) of CPD dated in the window (as_of - 3 years, as_of]."""
    counted = [a for a in activities if in_window(a.date, as_of)]
    total = sum((a.hours for a in counted), Decimal(0))
    technical = sum((a.hours for a in counted if a.technical), Decimal(0))
    return _cents(total), _cents(technical)
