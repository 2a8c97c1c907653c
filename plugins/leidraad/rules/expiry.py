"""When a competence expires and whether it holds on a day (Leidraad Medische Technologie 2026:
herhaling van de bekwaamheid)."""
from __future__ import annotations

from datetime import date

from core.dates import add_months
from plugins.leidraad.rules.vocabulary import COMPETENT, DEFAULT_HORIZON_DAYS, EXPIRED, EXPIRING, NOT_YET_VALID


def expires_on(obtained_on: date, interval_months: int | None) -> date | None:
    """Expiry of a competence obtained on ``obtained_on``; None: no expiry."""
    if interval_months is None:
        return None
    return add_months(obtained_on, interval_months)


def is_valid_on(obtained_on: date, expiry: date | None, on: date) -> bool:
    """Leidraad Medische Technologie 2026, bekwaamheidseisen: valid on day d when obtained_on <= d < expires_on."""
    return obtained_on <= on and (expiry is None or on < expiry)


def competence_state(
    obtained_on: date,
    expires_on: date | None,
    on: date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> str:
    """State of one competence (bekwaamheid) record on day ``on``.

    ``not_yet_valid`` before ``obtained_on``; ``expired`` from ``expires_on``
    on; ``expiring`` when at most ``horizon_days`` days are left before the
    expiry; otherwise ``competent``.
    """
    if horizon_days < 0:
        raise ValueError("horizon_days must not be negative")
    if on < obtained_on:
        return NOT_YET_VALID
    if expires_on is None:
        return COMPETENT
    if on >= expires_on:
        return EXPIRED
    if (expires_on - on).days <= horizon_days:
        return EXPIRING
    return COMPETENT
