"""Dated history of the TVB matrix: cells and activity requirements as they stood.

Every flush that creates, changes or deletes a ``Cell`` or an ``Activity``'s
``requirements`` writes the matching ``CellVersion`` / ``ActivityVersion``:
the old version ends on the day the change takes effect and a new one starts
there. The decision reads only versions, so a change made today governs from
today on and an earlier date is decided as it stood.

The day a change takes effect is today, unless the writer set
``obj.effective_from`` (a fact recorded late: "this role has had B since
1 May"); ``check_effective_from`` refuses a day before the last recorded
change or in the future. Writes go through the flush's own connection, so
they commit or roll back with the change itself.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, and_, delete, event, func, insert, inspect, literal, select, update
from sqlalchemy.orm import Session

from core.dates import dutch_day
from core.errors import FieldMessage, Invalid
from core.tvb.models import Activity, ActivityVersion, Cell, CellVersion

CELL_FIELDS = ("role_id", "activity_id", "letters", "technology_group_id", "device_type_id")


def default_day() -> dt.date:
    """The day a change takes effect when the writer names none: the day it is made."""
    return dt.date.today()


def _effective(obj) -> dt.date:
    return getattr(obj, "effective_from", None) or default_day()


def check_effective_from(version_model, key_column, key: int | None, day: dt.date | None) -> None:
    """A back-dated change may not reach before the last recorded change, nor into the future."""
    if day is None:
        return
    if day > dt.date.today():
        raise Invalid({"effective_from": [FieldMessage(
            "A change cannot take effect in the future; record it on that day.",
            "Een wijziging kan niet in de toekomst ingaan; leg haar op die dag vast.")]})
    if key is None:
        return
    from core.extensions import db
    with db.session.no_autoflush:  # the pending change itself must not be flushed (and versioned) first
        latest = db.session.scalar(select(func.max(version_model.valid_from)).where(key_column == key))
    if latest is not None and day < latest:
        raise Invalid({"effective_from": [FieldMessage(
            f"The last change took effect on {latest.isoformat()}; an earlier day would rewrite that history.",
            f"De laatste wijziging ging in op {dutch_day(latest)}; een eerdere dag zou die geschiedenis "
            "herschrijven.")]})


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _close(conn, model, key_column, key: int, day: dt.date) -> None:
    """End the open version on ``day``; a version that would be empty disappears."""
    conn.execute(delete(model).where(key_column == key, model.valid_until.is_(None), model.valid_from >= day))
    conn.execute(update(model).where(key_column == key, model.valid_until.is_(None)).values(valid_until=day))


def _cell_values(cell: Cell) -> dict:
    return {name: getattr(cell, name) for name in CELL_FIELDS}


def _write(conn, obj, model, key_column, key, values: dict, *, deleted: bool, new: bool) -> None:
    day = _effective(obj)
    if not new:
        _close(conn, model, key_column, key, day)
    if not deleted:
        conn.execute(insert(model).values(valid_from=day, valid_until=None, **values))


@event.listens_for(Session, "after_flush")
def _record_versions(session: Session, _flush_context) -> None:
    conn = None
    for bucket, new, deleted in ((session.new, True, False), (session.dirty, False, False),
                                 (session.deleted, False, True)):
        for obj in list(bucket):
            if isinstance(obj, Cell):
                if not (new or deleted or _changed(obj, CELL_FIELDS)):
                    continue
                conn = conn or session.connection()
                _write(conn, obj, CellVersion, CellVersion.cell_id, obj.id,
                       {"cell_id": obj.id, **_cell_values(obj)}, deleted=deleted, new=new)
            elif isinstance(obj, Activity):
                if not (new or deleted or _changed(obj, ("requirements",))):
                    continue
                conn = conn or session.connection()
                _write(conn, obj, ActivityVersion, ActivityVersion.activity_id, obj.id,
                       {"activity_id": obj.id, "requirements": obj.requirements or {}},
                       deleted=deleted, new=new)


def backfill(session: Session, valid_from: dt.date) -> None:
    """Open a version from ``valid_from`` for every cell and activity that has none.

    For rows written around the ORM (bulk inserts of generated data): one
    INSERT … SELECT per table, whatever the number of rows.
    """
    columns = ["cell_id", *CELL_FIELDS, "valid_from"]
    session.execute(insert(CellVersion).from_select(columns, select(
        Cell.id, *(getattr(Cell, name) for name in CELL_FIELDS), literal(valid_from, Date))
        .where(~select(CellVersion.id).where(CellVersion.cell_id == Cell.id).exists())))
    session.execute(insert(ActivityVersion).from_select(["activity_id", "requirements", "valid_from"], select(
        Activity.id, Activity.requirements, literal(valid_from, Date))
        .where(~select(ActivityVersion.id).where(ActivityVersion.activity_id == Activity.id).exists())))


def cell_version_on(on):
    """Cell versions valid on ``on`` (a date or a bind parameter)."""
    return and_(CellVersion.valid_from <= on,
                (CellVersion.valid_until.is_(None)) | (CellVersion.valid_until > on))


def requirements_on_statement(activity_id, on):
    """The activity's requirements as they stood on ``on`` (a scalar subquery)."""
    return (select(ActivityVersion.requirements)
            .where(ActivityVersion.activity_id == activity_id, ActivityVersion.valid_from <= on,
                   (ActivityVersion.valid_until.is_(None)) | (ActivityVersion.valid_until > on))
            .limit(1).scalar_subquery())
