"""The one definition of valid / expiring / expired (valid while obtained_on <= d < expires_on; the 90-day horizon of docs/alerts.md)."""
import datetime as dt

from core.competence.models import expiry_status

ON = dt.date(2026, 1, 31)


def test_no_expiry_is_valid():
    assert expiry_status(None, ON) == "valid"


def test_expired_on_the_expiry_day_itself():
    assert expiry_status(ON, ON) == "expired"
    assert expiry_status(ON - dt.timedelta(days=1), ON) == "expired"


def test_exactly_90_days_ahead_is_expiring_91_is_valid():
    assert expiry_status(ON + dt.timedelta(days=90), ON) == "expiring"
    assert expiry_status(ON + dt.timedelta(days=91), ON) == "valid"


def test_the_day_before_expiry_is_expiring():
    assert expiry_status(ON + dt.timedelta(days=1), ON) == "expiring"
