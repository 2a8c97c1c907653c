"""Basisregistratie and certificatie (certificatienormen, Inleiding): the registration state on a day."""
from __future__ import annotations

from datetime import date

from plugins.vzi_mt.rules.education import check_education
from plugins.vzi_mt.rules.portfolio import Portfolio
from plugins.vzi_mt.rules.vocabulary import Level, Registration


def _base_norm_met_between(portfolio: Portfolio, first: date | None, last: date) -> bool:
    """Was the basisregistratie norm met on some day in [first, last]?

    seed Samenvatting "Basisregistratie": "gevraagde opleiding + aanstelling als
    medisch technicus", at least the diploma norm of MT3, on one and the same day.
    """
    for position in portfolio.positions:
        begin = max(position.start_date, first) if first else position.start_date
        end = min(position.end_date or last, last)
        if begin > end:
            continue
        # the diploma must be held on some day of the position: by its last day in the range
        if check_education(Level.MT3, portfolio.educations, (), end) is None:
            return True
    return False


def registration_state(portfolio: Portfolio, as_of: date) -> Registration:
    """Certified, basisregistratie or none on ``as_of``.

    seed Samenvatting "Basisregistratie": "Nieuwe certificatie start altijd met een
    basisregistratie. Bij niet voldoen aan de certificatienorm behoudt een persoon
    tot opzegging een basisregistratie." Once begun (education + position on one
    day, or a certification), the basisregistratie lasts, also after the position
    ended or a re-certification failed, until a cancellation (opzegging). A
    cancellation takes effect on its date and ends a running certification too;
    registration can begin again afterwards.
    """
    cancelled = max((d for d in portfolio.cancellations if d <= as_of), default=None)
    since = [c for c in portfolio.certifications if cancelled is None or c.start >= cancelled]
    if any(c.covers(as_of) for c in since):
        return Registration.CERTIFIED
    if any(c.end <= as_of for c in since):  # a certification that ended (expired, failed, cut short)
        return Registration.BASE
    if _base_norm_met_between(portfolio, cancelled, as_of):
        return Registration.BASE
    return Registration.NONE
