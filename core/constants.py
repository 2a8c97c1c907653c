"""Per-request constants (a device type's phase, an activity, a type's Leidraad context) cached
between requests, and dropped the moment any of their tables changes.

can_perform reads the same few rows about the activity and the device type on
every call; over HTTP those reads were more round trips than the decision
itself (benchmarks/RESULTS.md). They are kept per process, tagged with the
database's ``cache_version``: a trigger on every table they come from (the
core's here, a plugin's in its own migration) raises that number in the same
transaction as the change, whatever wrote it (ORM, bulk statement, import,
another process). Each request reads the number once; an entry made under
another number is read again. So a change is seen by the next request on
every worker, and never later.

Only read-only requests (GET, HEAD) with nothing pending in the session use
the cache: a request that writes reads its own changes from the database.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, g, has_request_context, request
from sqlalchemy import BigInteger, Integer, select
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

MAX_ENTRIES = 20_000  # about a few MB; cleared whole when full (entries are cheap to read again)
# The tables whose rows feed cached constants; each has a trigger raising ``cache_version``.
CORE_TABLES = ("device_type", "device_type_phase", "tvb_activity", "tvb_activity_version")


class CacheVersion(Base):
    """One row: raised by a trigger on every change to a table that feeds a cached constant."""

    __tablename__ = "cache_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Outside a request: the state of a ``batch()`` block (its cache_version once read), or None.
_batch: ContextVar[dict | None] = ContextVar("bekwaam_constants_batch", default=None)


@contextmanager
def batch():
    """A block of many decisions outside a request (a script, an export, a job): the constants are
    read under one ``cache_version`` for the whole block, as a request reads them once.

    Without it every call outside a request reads its constants again (three more round trips
    for each ``can_perform``: 41x its lower bound in the large-hospital benchmarks). As in a
    request, changes pending in the session turn the cache off, and the version is read once:
    a change another process commits during the block is seen by the next block.
    """
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def _usable() -> bool:
    from core.extensions import db

    if has_request_context():
        if request.method not in ("GET", "HEAD"):
            return False
    elif _batch.get() is None:
        return False
    session = db.session
    return not (session.new or session.dirty or session.deleted)


def _version() -> int | None:
    holder = g if has_request_context() else _batch.get()
    if holder is g:
        if "_cache_version" not in g:
            g._cache_version = _read_version()
        return g._cache_version
    if "version" not in holder:
        holder["version"] = _read_version()
    return holder["version"]


def _read_version() -> int | None:
    from core.extensions import execute_core

    return execute_core(select(CacheVersion.version).where(CacheVersion.id == 1)).scalar()


def cached(namespace: str, key: tuple, load):
    """``load()``, or the value it gave under the current ``cache_version``."""
    if not _usable():
        return load()
    return _cached(namespace, key, load)


def _cached(namespace: str, key: tuple, load):
    """``cached`` where the cache is known to be in use."""
    version = _version()
    if version is None:  # no version row: nothing can be known to be current
        return load()
    store = current_app.extensions.setdefault("bekwaam_constants", {})
    entry = store.get((namespace, key))
    if entry is not None and entry[0] == version:
        return entry[1]
    value = load()
    if len(store) >= MAX_ENTRIES:
        store.clear()
    store[(namespace, key)] = (version, value)
    return value


def for_all_today(namespace: str, on, load_all) -> dict | None:
    """Every device type's constant of ``namespace`` for ``on`` at once (``load_all()`` gives a dict
    by device type), kept as one entry; None when it should be read for the one type instead.

    Only for today and only where the cache is in use: can_perform is asked about the
    hospital's device types in turn (a maintenance system checks one engineer on one type
    after another), and reading each type's phase and Leidraad context on first use cost
    4 round trips on a request that otherwise makes 9. One statement per namespace and per
    change reads them all (a few thousand small rows). Past days stay per type: a report about
    some other day should not read every type.
    """
    if on != dt.date.today() or not _in_use():
        return None
    return _cached(namespace, (on,), load_all)


def _in_use() -> bool:
    # Without a version row nothing is kept: a whole-table read would then be repeated per call.
    return _usable() and _version() is not None


# Tables whose rows ``row`` reads whole, once per cache_version: they are small (a few thousand
# device types, some dozens of activities) and asked about in turn.
WHOLE_TABLES = frozenset({"device_type", "tvb_activity"})


class Snapshot:
    """The column values of a row, read-only: what a cached activity or device type is
    handed out as (an ORM object belongs to one session and must not outlive it)."""

    __slots__ = ("_values",)

    def __init__(self, obj=None, values: dict | None = None):
        from sqlalchemy import inspect

        if values is None:
            values = {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs}
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        raise AttributeError("a cached row is read-only")


def row(model, pk: int):
    """The row ``model`` ``pk`` as a ``Snapshot`` (None when there is none), cached; a table of
    ``WHOLE_TABLES`` is read whole the first time one of its rows is asked for."""
    from core.extensions import db

    if model.__tablename__ in WHOLE_TABLES and _in_use():
        return _cached(f"{model.__tablename__}@all", (), lambda: _whole(model)).get(pk)

    def load():
        obj = db.session.get(model, pk)
        return None if obj is None else Snapshot(obj)
    return cached(model.__tablename__, (pk,), load)


def _whole(model) -> dict:
    from sqlalchemy import inspect

    from core.extensions import execute_core

    mapper = inspect(model)
    keys = [a.key for a in mapper.column_attrs]
    at = keys.index(mapper.get_property_by_column(mapper.primary_key[0]).key)
    return {row[at]: Snapshot(values=dict(zip(keys, row)))
            for row in execute_core(select(*(a.columns[0] for a in mapper.column_attrs))).all()}


# --- triggers (used by the migrations) ------------------------------------------------

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bekwaam_raise_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$"""


def create_triggers(op, tables) -> None:
    dialect = op.get_bind().dialect.name
    for table in tables:
        if dialect == "postgresql":
            op.execute(f"CREATE TRIGGER {table}_cache_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                       f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bekwaam_raise_cache_version()")
        else:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_cache_version_{event.lower()} AFTER {event} ON {table} "
                           f"BEGIN UPDATE cache_version SET version = version + 1 WHERE id = 1; END")


def drop_triggers(op, tables) -> None:
    dialect = op.get_bind().dialect.name
    for table in tables:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_cache_version ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_cache_version_{event}")
