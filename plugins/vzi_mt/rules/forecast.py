"""The forecast for a running certification period: the deskundigheidsbevordering still needed
per remaining month."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.dates import add_months as _add_months
from core.dates import add_years
from plugins.vzi_mt.rules.cpd import cpd_hours, dispensation_percent, period_dispensation, required_cpd
from plugins.vzi_mt.rules.experience import current_position
from plugins.vzi_mt.rules.norms import PERIOD_YEARS
from plugins.vzi_mt.rules.numbers import _cents, window_start
from plugins.vzi_mt.rules.portfolio import Forecast, Portfolio


def _months_remaining(as_of: date, end: date) -> int:
    """Calendar months from ``as_of`` to ``end``; a started month counts as a whole one."""
    if as_of >= end:
        return 0
    months = (end.year - as_of.year) * 12 + end.month - as_of.month
    if _add_months(as_of, months) > end:  # the day of the month is past end's: one month less
        months -= 1
    return months + (1 if _add_months(as_of, months) < end else 0)


def _per_month(needed: Decimal, months: int) -> Decimal:
    return _cents(needed / months) if months else needed


def forecast(portfolio: Portfolio, period_start: date, as_of: date) -> Forecast:
    """Voortgang: what the running period still needs for re-certification at its end.

    The period ends at ``period_start + 3 years``. Hours counted are those that
    will fall in the window measured at the period end, up to ``as_of``. The
    required hours are those an application on ``as_of`` is judged against:
    the dispensation fixed at the period start (VZI certificatienormen, Inleiding), so forecast,
    evaluation, grant and alerts agree on the same day. The first-i.o. waiver
    is ignored: at the end of a period the next step is a re-certification.
    ``on_track`` holds when done hours (total and technical) are at least the
    required hours times the elapsed fraction of the period.
    """
    period = next((c for c in portfolio.certifications if c.start == period_start), None)
    period_end = period.end if period is not None else add_years(period_start, PERIOD_YEARS)
    position = current_position(portfolio.positions, as_of)
    level = position.level if position else None
    if period is not None:
        dispensation = period_dispensation(portfolio, period)
    else:
        dispensation = dispensation_percent(portfolio.positions, period_start)
    if level is None:
        required = required_technical = Decimal("0.00")
    else:
        required, required_technical = required_cpd(level, dispensation)
    counted = tuple(a for a in portfolio.cpd_activities if a.date > window_start(period_end))
    done, technical = cpd_hours(counted, as_of)

    needed = max(required - done, Decimal("0.00"))
    technical_needed = max(required_technical - technical, Decimal("0.00"))
    months = _months_remaining(as_of, period_end)
    period_days = (period_end - period_start).days
    elapsed = min(max((as_of - period_start).days, 0), period_days)
    fraction = Decimal(elapsed) / period_days
    on_track = done >= _cents(required * fraction) and technical >= _cents(required_technical * fraction)
    return Forecast(
        level=level,
        period_start=period_start,
        period_end=period_end,
        as_of=as_of,
        dispensation_percent=dispensation,
        required_hours=required,
        done_hours=done,
        required_technical_hours=required_technical,
        technical_hours=technical,
        hours_needed=_cents(needed),
        technical_hours_needed=_cents(technical_needed),
        months_remaining=months,
        hours_needed_per_month=_per_month(_cents(needed), months),
        technical_hours_needed_per_month=_per_month(_cents(technical_needed), months),
        elapsed_fraction=fraction.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        on_track=on_track,
    )
