"""Audit trail (who changed what, when, before and after) and access log
(who read whose data). Both append-only and hash-chained."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(10))  # create / update / delete
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[Optional[int]]
    before: Mapped[Optional[dict]] = mapped_column(JSON)
    after: Mapped[Optional[dict]] = mapped_column(JSON)
    # One bulk statement (an import, a recomputation) is one change set: its
    # per-row entries share this key and the reason it was run.
    change_set: Mapped[Optional[str]] = mapped_column(String(36), index=True)
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    # Hash chain (core.audit.chain): tamper evidence.
    prev_hash: Mapped[Optional[str]] = mapped_column(String(64))
    row_hash: Mapped[Optional[str]] = mapped_column(String(64))


class AccessLogEntry(Base):
    """NEN 7513 access log: who read whose personal data, when, what, from where,
    on whose behalf. One row per request (bulk reads say how many people)."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_at", "at"),
        Index("ix_access_log_staff", "staff_id"),
        Index("ix_access_log_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # No foreign keys: the log outlives the users and people it names.
    user_id: Mapped[Optional[int]]
    actor: Mapped[str] = mapped_column(String(254))
    on_behalf_of: Mapped[Optional[str]] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    staff_id: Mapped[Optional[int]]
    subject: Mapped[str] = mapped_column(String(120))
    people: Mapped[int] = mapped_column(default=1)
    ip: Mapped[Optional[str]] = mapped_column(String(45))
    prev_hash: Mapped[Optional[str]] = mapped_column(String(64))
    row_hash: Mapped[Optional[str]] = mapped_column(String(64))
