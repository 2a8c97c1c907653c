"""Throttle password guessing per account and per address, counted in the database.

Counting in the database (not in a worker's memory) means every gunicorn
worker and every app server sees the same count. Only failures count; a
success does not wipe them, so an attacker who knows one password cannot use
it to reset the counter for another account from the same address.
"""
from __future__ import annotations

import datetime as dt
import math

from flask import current_app
from sqlalchemy import delete, func, select

from core.auth.models import LoginAttempt
from core.db import utcnow
from core.extensions import db


def _limits() -> tuple[int, int, dt.timedelta]:
    cfg = current_app.config
    return (cfg.get("BEKWAAM_LOGIN_MAX_PER_ACCOUNT", 5), cfg.get("BEKWAAM_LOGIN_MAX_PER_ADDRESS", 20),
            dt.timedelta(minutes=cfg.get("BEKWAAM_LOGIN_WINDOW_MINUTES", 15)))


def retry_after(email: str, address: str, now: dt.datetime | None = None) -> int:
    """Seconds until another attempt is allowed; 0 when allowed now."""
    now = now or utcnow()
    per_account, per_address, window = _limits()
    since = now - window
    waits = []
    for column, value, limit in ((LoginAttempt.email, email, per_account), (LoginAttempt.address, address, per_address)):
        times = list(db.session.scalars(
            select(LoginAttempt.at).where(column == value, LoginAttempt.at > since)
            .order_by(LoginAttempt.at.desc()).limit(limit)))
        if len(times) >= limit:
            # Free again when the oldest of the last `limit` failures leaves the window.
            waits.append((times[-1] + window - now).total_seconds())
    return max(1, math.ceil(max(waits))) if waits else 0


def record_failure(email: str, address: str) -> None:
    """Stored and committed at once: the failed request itself answers 401 and rolls back."""
    db.session.add(LoginAttempt(email=email[:254], address=address[:64]))
    # Old rows carry no information; the table stays small without a job.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - dt.timedelta(days=1)))
    db.session.commit()


def failures(email: str) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.email == email))
