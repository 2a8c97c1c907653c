"""Record every create, update and delete made on behalf of a user.

A session listener sees each flush, so no service can forget to audit; it
only records when an actor is set for the request (``set_actor``). System
work (migrations, demo loading) sets none.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import g, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from core.audit import chain
from core.audit.models import AccessLogEntry, AuditEntry
from core.db import utcnow

# Never copied into the audit trail.
SECRET_COLUMNS = {"password_hash", "token_hash", "sid_hash"}
# Tokens are audited (issued, revoked: who did it matters); their hash never shows.
# Sessions and failed logins are security telemetry of their own, not changes to data.
NOT_AUDITED = {"audit_entry", "access_log", "alert_run", "alert_delivery", "user_session", "login_attempt"}


def set_actor(user) -> None:
    g.audit_actor = user


def _actor():
    if not has_app_context():
        return None
    return g.get("audit_actor")


def _jsonable(value):
    if isinstance(value, bytes):  # an uploaded file's content: its size says enough
        return f"({len(value)} bytes)"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


HIDDEN = "(hidden)"
CHANGED = "(changed)"


def snapshot(obj) -> dict:
    """The row's columns; a secret shows only whether it is set, never its value."""
    return {
        col.key: (HIDDEN if getattr(obj, col.key) is not None else None)
        if col.key in SECRET_COLUMNS else _jsonable(getattr(obj, col.key))
        for col in inspect(obj).mapper.column_attrs
    }


def _before(obj) -> dict:
    """The row as it was before this flush, from the attribute history."""
    state = inspect(obj)
    before = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        value = hist.deleted[0] if hist.deleted else (hist.unchanged[0] if hist.unchanged else getattr(obj, attr.key))
        if attr.key in SECRET_COLUMNS:
            before[attr.key] = HIDDEN if value is not None else None
        else:
            before[attr.key] = _jsonable(value)
    return before


def _after_update(obj) -> dict:
    """The row after this flush; a changed secret is marked as changed, not shown."""
    after, state = snapshot(obj), inspect(obj)
    for key in SECRET_COLUMNS & set(after):
        if state.attrs[key].history.has_changes() and after[key] is not None:
            after[key] = CHANGED
    return after


def _audited(obj) -> bool:
    table = getattr(obj, "__tablename__", None)
    return table is not None and table not in NOT_AUDITED


@event.listens_for(Session, "before_flush")
def _append_only(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, (AuditEntry, AccessLogEntry)) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("audit entries are never changed or deleted")


@event.listens_for(Session, "after_flush")
def _record(session, flush_context):
    actor = _actor()
    if actor is None:
        return
    now = utcnow()
    rows = []

    def row(action, obj, before, after):
        rows.append({
            "at": now, "user_id": getattr(actor, "id", None),
            "actor": getattr(actor, "email", str(actor)), "action": action,
            "entity": obj.__tablename__, "entity_id": getattr(obj, "id", None),
            "before": before, "after": after,
        })

    for obj in session.new:
        if _audited(obj):
            row("create", obj, None, snapshot(obj))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _before(obj), _after_update(obj)
            if before != after:
                row("update", obj, before, after)
    for obj in session.deleted:
        if _audited(obj):
            row("delete", obj, _before(obj), None)
    if rows:
        chain.append(session.connection(), AuditEntry.__table__, rows)


def actor_fields(actor=None) -> dict:
    """``user_id`` and ``actor`` for an entry; the request's actor when none is given."""
    actor = actor if actor is not None else _actor()
    return {"user_id": getattr(actor, "id", None),
            "actor": getattr(actor, "email", None) or (actor if isinstance(actor, str) else "system")}


def write_entries(session, entries: list[dict], actor=None) -> None:
    """Append entries written outside the flush listener (bulk work, CLI, logins)
    to the chained trail: each dict gives action, entity and optionally
    entity_id, before, after, change_set, reason."""
    if not entries:
        return
    base = {"at": utcnow(), **actor_fields(actor)}
    rows = [{"entity_id": None, "before": None, "after": None, **base, **entry} for entry in entries]
    chain.append(session.connection(), AuditEntry.__table__, rows)


def record(session, action: str, entity: str, *, entity_id=None, before=None, after=None, actor=None,
           reason=None) -> None:
    """One entry, e.g. a login, a token issued, a restore."""
    write_entries(session, [{"action": action, "entity": entity, "entity_id": entity_id, "before": before,
                             "after": after, "reason": reason}], actor)


def record_bulk(session, table: str, rows_before: dict, rows_after: dict, actor=None, reason: str = "",
                action: str = "update", change_set: str | None = None) -> str | None:
    """One change set for a set-based statement: one entry per affected row.

    ``rows_before`` / ``rows_after`` map row id -> the row's audited columns
    (a dict; missing on one side for rows created or deleted). Rows whose
    before equals their after are left out. Returns the change set key, or
    None when nothing changed.
    """
    import uuid

    if actor is None and _actor() is None:
        return None  # system work (migrations, demo loading), as for the flush listener
    key = change_set or str(uuid.uuid4())
    entries = []
    for row_id in sorted(set(rows_before) | set(rows_after)):
        before, after = rows_before.get(row_id), rows_after.get(row_id)
        before = {k: _jsonable(v) for k, v in before.items()} if before is not None else None
        after = {k: _jsonable(v) for k, v in after.items()} if after is not None else None
        if before == after:
            continue
        kind = "create" if before is None else "delete" if after is None else action
        entries.append({"action": kind, "entity": table, "entity_id": row_id, "before": before, "after": after,
                        "change_set": key, "reason": (reason or None) and reason[:200]})
    if not entries:
        return None
    write_entries(session, entries, actor)
    return key
