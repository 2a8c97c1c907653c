"""Leavers (uit dienst): a user whose staff record has left is locked out from that day.

The lock is read from the staff record on every request (web and API), so a
leaving date entered weeks ahead takes effect on the day itself without a job
having to run. ``staff_departure.left_on`` is the first day out of service; the
day is the hospital's (``BEKWAAM_TIMEZONE``), not UTC, so nobody keeps access
until 01:00 or loses it at 23:00.

Marking a staff record inactive also deactivates its user accounts in the same
flush (audited like any change): a person who comes back is let in again only
by an explicit reactivation of the account, never as a side effect of a
corrected import.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import event, exists, inspect, or_, select
from sqlalchemy.orm import Session

from core.dataio.models import StaffDeparture
from core.staff.models import Staff


def local_today() -> dt.date:
    zone = (current_app.config.get("BEKWAAM_TIMEZONE") if has_app_context() else None) or "Europe/Amsterdam"
    return dt.datetime.now(ZoneInfo(zone)).date()


def has_left_clause(staff_id_column, today: dt.date):
    """SQL: the staff record behind ``staff_id_column`` is inactive or its leaving day has come."""
    return or_(
        exists().where(Staff.id == staff_id_column, Staff.active.is_(False)),
        exists().where(StaffDeparture.staff_id == staff_id_column, StaffDeparture.left_on <= today),
    )


def not_a_leaver_clause(user_cls, today: dt.date | None = None):
    """SQL on users: no staff record, or one still in service."""
    today = today or local_today()
    return or_(user_cls.staff_id.is_(None), ~has_left_clause(user_cls.staff_id, today))


def has_left(session, staff_id: int | None, today: dt.date | None = None) -> bool:
    if staff_id is None:
        return False
    return bool(session.scalar(select(has_left_clause(staff_id, today or local_today()))))


@event.listens_for(Session, "before_flush")
def _lock_accounts_of_leavers(session, flush_context, instances):
    from core.auth.models import User

    gone = []
    for obj in session.dirty:
        if isinstance(obj, Staff) and obj.active is False and obj.id is not None:
            added = inspect(obj).attrs.active.history.added
            if added and added[0] is False:
                gone.append(obj.id)
    if not gone:
        return
    with session.no_autoflush:
        for user in session.scalars(select(User).where(User.staff_id.in_(gone), User.active.is_(True))):
            user.active = False
