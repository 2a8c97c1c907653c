"""Serialise writers whose check spans rows.

"No loop in the line of managers" or "one active assignment of a role per
person" is a check over several rows: two concurrent requests can each pass
it on the data they see and together break it. A writer takes the lock of the
invariant before it checks; on PostgreSQL that is a transaction-level advisory
lock (released at commit or rollback), so the second writer checks only after
the first has committed. SQLite lets one writer at a time in anyway.
"""
from __future__ import annotations

import zlib

from sqlalchemy import text

from core.extensions import db


def key(name: str) -> int:
    return zlib.crc32(f"bekwaam-lock:{name}".encode())


def serialise(name: str) -> None:
    """Hold the lock called ``name`` until this transaction ends."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key(name)})
