"""The register itself: who holds a registration as sterilisation assistant on a date.

Plain SQL over the plugin's own table (no ORM model: the table exists only
through the plugin's migration branch). Every question is asked for many
people at once.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, text

NAME = "sterilisation"
# The table's name; a test points it elsewhere to see the condition fail closed.
TABLE = "sterilisation_registration"


class RegisterUnreadable(RuntimeError):
    """The register could not be read (its table is missing or the database refused)."""


def registered_on(session, staff_ids: list[int], on: dt.date) -> dict[int, str]:
    """Registration number per person registered on ``on`` (one query for all of them)."""
    if not staff_ids:
        return {}
    query = text(f"SELECT staff_id, number FROM {TABLE} WHERE staff_id IN :ids AND valid_from <= :on "
                 "AND (valid_to IS NULL OR valid_to >= :on)").bindparams(bindparam("ids", expanding=True))
    try:
        # A savepoint: a failed read must not spoil the request's transaction (PostgreSQL aborts it).
        with session.begin_nested():
            return {staff_id: number for staff_id, number in session.execute(query, {"ids": list(staff_ids), "on": on})}
    except Exception as exc:  # noqa: BLE001 - whatever the cause, the answer is "cannot tell"
        raise RegisterUnreadable(str(exc)) from exc


def register(session, staff_id: int, number: str, valid_from: dt.date, valid_to: dt.date | None = None) -> None:
    session.execute(text(f"INSERT INTO {TABLE} (staff_id, number, valid_from, valid_to) "
                         "VALUES (:staff_id, :number, :valid_from, :valid_to)"),
                    {"staff_id": staff_id, "number": number, "valid_from": valid_from, "valid_to": valid_to})


def rows(session, staff_ids_clause=None) -> list:
    """Every registration with the person's name, for the register page (visible people only)."""
    from sqlalchemy import Date, Integer, String, column, select, table
    from core.staff.models import Staff
    reg = table(TABLE, column("staff_id", Integer), column("number", String), column("valid_from", Date),
                column("valid_to", Date))
    stmt = (select(Staff.id, Staff.name, reg.c.number, reg.c.valid_from, reg.c.valid_to)
            .join(Staff, Staff.id == reg.c.staff_id).order_by(Staff.name, reg.c.valid_from))
    if staff_ids_clause is not None:
        stmt = stmt.where(staff_ids_clause)
    return session.execute(stmt).all()
