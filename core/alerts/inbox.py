"""The alert inbox's rules, for the API and the pages alike: whose alerts a user sees, and acknowledging one."""
from __future__ import annotations

from sqlalchemy import ARRAY, Integer, any_, cast, func, or_, select

from core.alerts.models import Alert
from core.auth.permissions import staff_clause, visible_staff_ids
from core.db import utcnow
from core.errors import NotFound
from core.extensions import db
from core.staff.models import Staff


def visible_alerts(user):
    """WHERE clause of the alerts ``user`` sees (None: all).

    A manager sees their tree's people and every device type's alerts
    (coverage is the department's concern); a technician only their own.
    """
    staff = visible_staff_ids(user)
    if staff is None:
        return None
    if user.role == "manager":
        if db.session.get_bind().dialect.name == "postgresql":
            # "= ANY (the ids as one array)" is an index condition, so PostgreSQL
            # combines two scans of ix_alert_staff (BitmapOr); "IN (subquery) OR
            # IS NULL" made it read every alert: the dashboard's count of open
            # alerts, 48 -> 16 ms for a 500-person department (benchmarks/RESULTS.md).
            ids = select(func.array_agg(Staff.id)).where(staff_clause(user)).scalar_subquery()
            return or_(Alert.staff_id == any_(cast(ids, ARRAY(Integer))), Alert.staff_id.is_(None))
        return or_(Alert.staff_id.in_(staff), Alert.staff_id.is_(None))
    return Alert.staff_id.in_(staff)


def acknowledge_alert(user, alert_id: int) -> Alert:
    """Mark an alert ``user`` may see as seen (the first acknowledgement stays), for the API and the inbox page."""
    stmt = select(Alert).where(Alert.id == alert_id)
    visible = visible_alerts(user)
    if visible is not None:
        stmt = stmt.where(visible)
    alert = db.session.scalar(stmt)
    if alert is None:
        raise NotFound(f"No alert with id {alert_id}.", message_nl=f"Geen signalering met id {alert_id}.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = utcnow(), user.id
        db.session.flush()
    return alert
