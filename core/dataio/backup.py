"""A whole instance as one JSON document, and back into an empty database.

Every table of ``db.metadata`` (core and plugins, enabled or not: their
models are imported when the app is built) in dependency order, rows in
primary-key order, ids kept. Values are written by column type so that a
restore gives them back exactly: dates ``YYYY-MM-DD``, timestamps ISO 8601
in UTC with microseconds, decimals as strings, JSON columns as JSON.

The document is deterministic: backup → restore into a fresh database →
backup gives the same bytes except ``exported_at``.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import IO, Iterator

from sqlalchemy import JSON, Boolean, bindparam, Date, DateTime, Integer, LargeBinary, Numeric, func, insert, select, text, update

from core.db import utcnow
from core.extensions import db

FORMAT = "bekwaam-backup"
VERSION = 1
CHUNK = 1000
# Instance data: a database holding any of these is not empty (seeded
# reference rows such as the technology groups do not count).
INSTANCE_TABLES = ("user_account", "department", "staff", "device_type", "device", "competence", "audit_entry")


class RestoreError(ValueError):
    pass


# Not data: the schema's revision, and the version number of cached constants
# (core/constants.py), which the restore itself raises through its triggers.
NOT_BACKED_UP = ("alembic_version", "cache_version")


def _tables():
    return [t for t in db.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def _kind(column) -> str:
    type_ = column.type
    impl = getattr(type_, "impl", type_)
    for cls, name in ((JSON, "json"), (Boolean, "bool"), (DateTime, "datetime"), (Date, "date"),
                      (Numeric, "decimal"), (Integer, "int"), (LargeBinary, "bytes")):
        if isinstance(impl, cls) or isinstance(type_, cls):
            return name
    return "text"


def _encode(value, kind: str):
    if value is None:
        return None
    if kind == "datetime":
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    if kind == "date":
        return value.isoformat()
    if kind == "decimal":
        return str(value) if isinstance(value, Decimal) else str(Decimal(str(value)))
    if kind == "bytes":
        return base64.b64encode(value).decode()
    return value


def _decode(value, kind: str, column):
    if value is None:
        return None
    if kind == "datetime":
        parsed = dt.datetime.fromisoformat(value)
        timezone = getattr(column.type, "timezone", False) or getattr(getattr(column.type, "impl", None), "timezone", False)
        return parsed if timezone or parsed.tzinfo is None else parsed.replace(tzinfo=None)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "bytes":
        return base64.b64decode(value)
    return value


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def revisions() -> list[str]:
    return sorted(db.session.scalars(text("SELECT version_num FROM alembic_version")))


def iter_backup(exported_at: dt.datetime | None = None) -> Iterator[str]:
    """The document in pieces (one row per line), so a large instance streams."""
    exported_at = (exported_at or utcnow()).astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    yield ('{"format":' + _dumps(FORMAT) + ',"version":' + str(VERSION) + ',"exported_at":' + _dumps(exported_at)
           + ',"revisions":' + _dumps(revisions()) + ',\n"tables":[')
    for index, table in enumerate(_tables()):
        columns = list(table.columns)
        kinds = [_kind(c) for c in columns]
        yield ("" if index == 0 else ",") + '\n{"name":' + _dumps(table.name) + ',"columns":' \
            + _dumps([c.name for c in columns]) + ',"rows":['
        stmt = select(*columns).order_by(*table.primary_key.columns)
        first = True
        for row in db.session.execute(stmt.execution_options(yield_per=CHUNK)):
            yield ("\n" if first else ",\n") + _dumps([_encode(value, kind) for value, kind in zip(row, kinds)])
            first = False
        yield "]}"
    yield "\n]}\n"


def write_backup(out: IO[str]) -> None:
    for piece in iter_backup():
        out.write(piece)


def is_empty() -> list[str]:
    """The instance tables that hold rows (empty list: the database is empty)."""
    found = []
    for name in INSTANCE_TABLES:
        table = db.metadata.tables[name]
        if db.session.scalar(select(func.count()).select_from(table)):
            found.append(name)
    return found


def restore(document: dict) -> dict[str, int]:
    """Load a backup into an empty, migrated database; returns rows per table.

    Seeded reference rows (technology groups, default activities) are replaced
    by the backup's. The caller commits.
    """
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise RestoreError(f"Not a {FORMAT} version {VERSION} document.")
    if document.get("revisions") != revisions():
        raise RestoreError(f"The backup is of schema {', '.join(document.get('revisions') or [])}; this database is "
                           f"at {', '.join(revisions())}. Migrate to the same revisions first.")
    occupied = is_empty()
    if occupied:
        raise RestoreError(f"The database is not empty ({', '.join(occupied)} hold rows): restore needs a new one.")
    known = {t.name: t for t in _tables()}
    given = {t["name"]: t for t in document["tables"]}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise RestoreError(f"The backup has tables this installation does not know: {', '.join(unknown)}.")
    for table in reversed(_tables()):
        db.session.execute(table.delete())
    counts = {}
    for table in _tables():
        data = given.get(table.name)
        if data is None:
            continue
        missing = [c for c in data["columns"] if c not in table.columns]
        if missing:
            raise RestoreError(f"Table {table.name}: unknown columns {', '.join(missing)}.")
        columns = [table.columns[c] for c in data["columns"]]
        kinds = [_kind(c) for c in columns]
        # A reference to the same table (department.parent_id, staff.manager_id) is
        # filled in a second pass: a parent may come after its child in id order.
        self_refs = [c.name for c in columns if any(fk.column.table is table for fk in c.foreign_keys)]
        rows = [{c.name: _decode(value, kind, c) for c, kind, value in zip(columns, kinds, raw)} for raw in data["rows"]]
        links = [{"pk": row["id"], **{c: row[c] for c in self_refs}} for row in rows
                 if self_refs and any(row[c] is not None for c in self_refs)]
        for start in range(0, len(rows), CHUNK):
            chunk = [{**row, **dict.fromkeys(self_refs)} for row in rows[start:start + CHUNK]]
            db.session.execute(insert(table), chunk)
        if links:
            stmt = update(table).where(table.c.id == bindparam("pk")).values(
                {c: bindparam(f"v_{c}") for c in self_refs})
            db.session.execute(stmt, [{"pk": link["pk"], **{f"v_{c}": link[c] for c in self_refs}} for link in links])
        counts[table.name] = len(rows)
    _reset_sequences()
    return counts


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences, which a restore with explicit ids does not move."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" not in table.columns or not isinstance(table.columns["id"].type, Integer):
            continue
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
            f'FROM "{table.name}"'))
