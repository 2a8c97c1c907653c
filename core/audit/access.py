"""NEN 7513 access log: every read of a person's data, one row per request.

A view notes what it read (``note``); a GET whose route names a person
(``<staff_id>``) is noted without the view doing anything. The notes of a
request are written together, in one INSERT at the request's commit, into the
hash-chained ``access_log`` (core.audit.chain); reading a thousand rows costs
one row, not a thousand.

Recorded: who (user id and e-mail), when (UTC), whose record (a staff id, or
"bulk: N people"), what (the endpoint), from where (the client's address as
the app sees it: behind a proxy, configure the proxy fix) and on whose behalf
(the ``X-On-Behalf-Of`` header a client system sends when it reads for
someone else).
"""
from __future__ import annotations

import datetime as dt

from flask import current_app, g, has_request_context, request
from sqlalchemy import delete, func, select

from core.audit import chain
from core.audit.models import AccessLogEntry
from core.db import utcnow

DEFAULT_RETENTION_DAYS = 5 * 366


def note(*, staff_id: int | None = None, people: int | None = None, subject: str | None = None,
         action: str | None = None) -> None:
    """Record (at the end of this request) that a person's data, or ``people`` people's, was read."""
    if not has_request_context():
        return
    if subject is None:
        subject = f"staff {staff_id}" if staff_id is not None else f"bulk: {people or 0} people"
    g.setdefault("access_notes", []).append({
        "action": (action or request.endpoint or request.path)[:60], "staff_id": staff_id,
        "people": 1 if staff_id is not None and people is None else (people or 0), "subject": subject[:120]})


def _route_note() -> None:
    """A GET of a route with ``<staff_id>`` reads that person's data."""
    staff_id = (request.view_args or {}).get("staff_id")
    already = any(n["staff_id"] == staff_id for n in g.get("access_notes", []))
    if request.method == "GET" and isinstance(staff_id, int) and not already:
        note(staff_id=staff_id)


def write(session, status_code: int) -> None:
    """Append this request's notes to the log (called once, just before the request commits)."""
    if not has_request_context() or status_code >= 400:
        return
    user = g.get("user")
    if user is None:
        return  # nobody is logged in: nothing personal was served
    _route_note()
    notes = g.pop("access_notes", [])
    if not notes:
        return
    now = utcnow()
    behalf = request.headers.get("X-On-Behalf-Of")
    base = {"at": now, "user_id": getattr(user, "id", None), "actor": getattr(user, "email", str(user))[:254],
            "on_behalf_of": behalf[:254] if behalf else None, "ip": (request.remote_addr or "")[:45] or None}
    connection = session.connection()
    if connection.dialect.name == "postgresql" and request.method in ("GET", "HEAD"):
        # A read whose only write is its log row: do not wait for the
        # WAL flush (about 8 ms a request); a crash can lose the last fraction of a
        # second of log rows, never corrupt or reorder the chain.
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
    chain.append(connection, AccessLogEntry.__table__, [{**base, **n} for n in notes])


def retention_days() -> int:
    return int(current_app.config.get("BEKWAAM_ACCESS_LOG_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def prune(days: int | None = None, now: dt.datetime | None = None) -> int:
    """Remove the rows older than the retention period, oldest first, so the chain
    keeps an unbroken tail (``verify`` takes the first remaining row as given)."""
    from core.extensions import db

    table = AccessLogEntry.__table__
    cutoff = (now or utcnow()) - dt.timedelta(days=days or retention_days())
    last_old = db.session.scalar(select(func.max(table.c.id)).where(table.c.at < cutoff))
    if last_old is None:
        return 0
    return db.session.execute(delete(table).where(table.c.id <= last_old)).rowcount or 0
