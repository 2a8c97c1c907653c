"""Staff rules that need the database: the line of managers above a person."""
from __future__ import annotations

from sqlalchemy import select

from core.dataio.models import StaffDeparture
from core.extensions import db
from core.staff.models import Staff


def managers_above(staff_id: int) -> set[int]:
    """Everyone above ``staff_id`` in the line of managers: their manager, that one's, and so on.

    One recursive query. UNION (not UNION ALL) stops on a loop that is already
    in the data, so the walk always ends.
    """
    line = select(Staff.manager_id.label("id")).where(Staff.id == staff_id, Staff.manager_id.is_not(None)) \
        .cte("line", recursive=True)
    line = line.union(select(Staff.manager_id).join(line, Staff.id == line.c.id).where(Staff.manager_id.is_not(None)))
    return set(db.session.scalars(select(line.c.id)))


def closes_a_loop(staff_id: int | None, manager_id: int | None) -> bool:
    """Whether making ``manager_id`` the manager of ``staff_id`` makes the line of managers go round."""
    if staff_id is None or manager_id is None:
        return False
    return manager_id == staff_id or staff_id in managers_above(manager_id)


def leaving_date(staff_id: int):
    """The day the person left (uit dienst), or None while employed."""
    return db.session.scalar(select(StaffDeparture.left_on).where(StaffDeparture.staff_id == staff_id))
