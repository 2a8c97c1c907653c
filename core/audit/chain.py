"""A hash chain over append-only tables (the audit trail, the access log).

Each row stores ``prev_hash`` (the previous row's ``row_hash``) and its own
``row_hash`` = SHA-256 over a canonical JSON of its content and ``prev_hash``.
Ids are handed out here, under a lock, one after the other: a gap in the ids,
a broken link or a hash that no longer matches the content shows that a row
was removed, inserted or changed behind the application's back.

Canonical content: every column except ``row_hash`` whose value is not NULL
(so a nullable column added later leaves earlier hashes valid), timestamps as
ISO 8601 in UTC with microseconds, keys sorted, no whitespace.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass
from decimal import Decimal
from collections.abc import Iterator

from sqlalchemy import Table, bindparam, insert, select, text, update

GENESIS = "0" * 64
VERIFY_BATCH = 5000


def _plain(value):
    if isinstance(value, dt.datetime):
        # SQLite gives timestamps back naive; they are stored in UTC.
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def canonical(row: dict) -> bytes:
    content = {k: _plain(v) for k, v in row.items() if k != "row_hash" and v is not None}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def row_hash(row: dict) -> str:
    """``row`` includes ``prev_hash``; the result is its ``row_hash``."""
    return hashlib.sha256(canonical(row)).hexdigest()


def lock_key(table: Table) -> int:
    """A stable advisory-lock key per chained table (fits PostgreSQL's bigint)."""
    return zlib.crc32(f"bekwaam-chain:{table.name}".encode())


def _lock(connection, table: Table) -> None:
    # Two writers must not both read the same last hash. The transaction-level
    # lock is released at commit or rollback; SQLite already serialises writers
    # (the flush that produced these rows holds its write lock).
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(table)})


def head(connection, table: Table) -> tuple[int, str]:
    """(last id, last row_hash); (0, GENESIS) for an empty table."""
    last = connection.execute(select(table.c.id, table.c.row_hash).order_by(table.c.id.desc()).limit(1)).first()
    return (last.id, last.row_hash or GENESIS) if last else (0, GENESIS)


def append(connection, table: Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` at the end of the chain (one INSERT for all); returns their ids."""
    if not rows:
        return []
    _lock(connection, table)
    last_id, prev = head(connection, table)
    chained = []
    for offset, row in enumerate(rows, start=1):
        row = {**row, "id": last_id + offset, "prev_hash": prev}
        row["row_hash"] = prev = row_hash(row)
        chained.append(row)
    # Every row carries every key so one executemany covers them all.
    keys = set().union(*chained)
    connection.execute(insert(table), [{k: r.get(k) for k in keys} for r in chained])
    return [r["id"] for r in chained]


def rehash_from(connection, table: Table, first_id: int) -> None:
    """Recompute the chain from ``first_id`` on, after a change the application
    itself made on purpose (anonymisation); the caller records that it did."""
    _lock(connection, table)
    prev_row = connection.execute(select(table.c.row_hash).where(table.c.id < first_id)
                                  .order_by(table.c.id.desc()).limit(1)).first()
    prev = prev_row.row_hash if prev_row else GENESIS
    updates = []
    for row in _rows(connection, table, first_id):
        row = {**row, "prev_hash": prev}
        prev = row_hash(row)
        updates.append({"pk": row["id"], "p": row["prev_hash"], "h": prev})
    if updates:
        connection.execute(update(table).where(table.c.id == bindparam("pk"))
                           .values(prev_hash=bindparam("p"), row_hash=bindparam("h")), updates)


def _rows(connection, table: Table, from_id: int = 0) -> Iterator[dict]:
    """Every row in id order, in batches (keyset pagination keeps memory flat)."""
    while True:
        batch = connection.execute(select(table).where(table.c.id >= from_id)
                                   .order_by(table.c.id).limit(VERIFY_BATCH)).mappings().all()
        if not batch:
            return
        yield from (dict(r) for r in batch)
        from_id = batch[-1]["id"] + 1


@dataclass
class Problem:
    row_id: int
    kind: str  # changed / removed / inserted
    message: str


def verify(connection, table: Table, *, pruned: bool = False) -> tuple[int, Problem | None]:
    """Walk the chain; returns (rows checked, first problem or None).

    ``pruned``: the table's oldest rows may have been removed by retention
    (the access log); then the first remaining row's link is taken as given.
    """
    count, prev_id, prev_hash = 0, None, GENESIS
    for row in _rows(connection, table):
        count += 1
        if prev_id is None:
            if not pruned and row["id"] != 1:
                return count, Problem(row["id"], "removed",
                                      f"{table.name}: the chain starts at id {row['id']}, not 1: earlier rows were removed.")
            if pruned:
                prev_hash = row["prev_hash"]
        elif row["id"] != prev_id + 1:
            return count, Problem(row["id"], "removed" if row["id"] > prev_id + 1 else "inserted",
                                  f"{table.name}: ids jump from {prev_id} to {row['id']}: row(s) removed before id {row['id']}.")
        if row["prev_hash"] != prev_hash:
            return count, Problem(row["id"], "inserted",
                                  f"{table.name} id {row['id']}: its link to the previous row is broken "
                                  f"(a row before it was removed, inserted or changed).")
        if row["row_hash"] != row_hash(row):
            return count, Problem(row["id"], "changed",
                                  f"{table.name} id {row['id']}: its content no longer matches its hash (the row was changed).")
        prev_id, prev_hash = row["id"], row["row_hash"]
    return count, None


def chain_all(connection, table: Table) -> None:
    """Hash rows written before the chain existed, in id order (the migration's job)."""
    rehash_from(connection, table, 0)


__all__ = ["GENESIS", "Problem", "append", "canonical", "chain_all", "head", "rehash_from", "row_hash", "verify"]
