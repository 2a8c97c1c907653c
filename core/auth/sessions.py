"""Server-side state of web sessions: start at login, end at logout, expire when idle.

The signed Flask cookie only carries a random session id; whether it is still
good is decided here, in the database, so a logout or an idle expiry holds on
every worker and every server, and a copied cookie is worthless afterwards.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import select, update

from core.auth.models import UserSession
from core.db import utcnow
from core.extensions import db

SESSION_KEY = "bekwaam_sid"
# Writing last_seen on every request would make each page view a write; a
# minute's granularity is plenty against a 30-minute idle limit.
TOUCH_EVERY = dt.timedelta(seconds=60)


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config.get("BEKWAAM_SESSION_IDLE_MINUTES", 30))


def start(user_id: int, method: str = "password") -> str:
    """A new session row; returns the id for the cookie (only its hash is kept)."""
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user_id, sid_hash=_hash(sid), method=method))
    db.session.flush()
    return sid


def current(sid: str | None, user_id: int, now: dt.datetime | None = None) -> UserSession | None:
    """The live session for this cookie, touched; None when ended, idle too long or someone else's."""
    if not sid:
        return None
    now = now or utcnow()
    row = db.session.scalar(select(UserSession).where(UserSession.sid_hash == _hash(sid)))
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return None
    if now - row.last_seen_at > idle_limit():
        row.ended_at = now
        # Committed at once: the request that finds the expiry answers with a redirect, which must not undo it.
        db.session.commit()
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return row


def end(sid: str | None) -> None:
    if sid:
        db.session.execute(update(UserSession).where(UserSession.sid_hash == _hash(sid), UserSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))


def end_all(user_id: int) -> None:
    """Every open session of a user (deactivation, password reset)."""
    db.session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                       .values(ended_at=utcnow()))
