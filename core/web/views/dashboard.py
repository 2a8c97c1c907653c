"""The dashboard: what expires soon, what has expired, and the alerts that need a look."""
from __future__ import annotations

import datetime as dt

from flask import g, render_template
from sqlalchemy import func, select

from core.alerts.models import Alert
from core.auth.permissions import staff_clause
from core.competence.models import Competence
from core.devices.models import DeviceType
from core.extensions import db
from core.staff.models import Staff
from core.web.blueprint import blp
from core.alerts.api import visible_alerts
from core.web.names import subject_names

BUCKETS = (7, 30, 90)
LIST_LIMIT = 25
# Alert kinds the dashboard shows in their own boxes (SPEC 6); others stay in the inbox.
ALERT_KINDS = ("coverage_below_minimum", "vzi_period_ending", "big_reregistration_due")
EXPIRED_LOOKBACK_DAYS = 365


def expiry_rows(user, today: dt.date) -> list:
    """Per person and device type the latest expiry of their records (a newer record wins).

    Pairs with a record that never expires are left out; expired pairs older
    than a year are history, not news.
    """
    latest = func.max(Competence.expires_on)
    stmt = (select(Staff.id, Staff.name, DeviceType.id, DeviceType.manufacturer, DeviceType.model,
                   Competence.role, latest.label("expires_on"))
            .join(Staff, Staff.id == Competence.staff_id)
            .join(DeviceType, DeviceType.id == Competence.device_type_id)
            .where(Staff.active.is_(True), Competence.obtained_on <= today)
            .group_by(Staff.id, Staff.name, DeviceType.id, DeviceType.manufacturer, DeviceType.model, Competence.role)
            .having(func.count() == func.count(Competence.expires_on),
                    latest > today - dt.timedelta(days=EXPIRED_LOOKBACK_DAYS),
                    latest <= today + dt.timedelta(days=max(BUCKETS))))
    clause = staff_clause(user)
    if clause is not None:
        stmt = stmt.where(clause)
    return db.session.execute(stmt.order_by(latest, Staff.name)).all()


def bucket_of(expires_on: dt.date, today: dt.date) -> str:
    if expires_on <= today:
        return "expired"
    days = (expires_on - today).days
    return str(next(b for b in BUCKETS if days <= b))


@blp.route("/")
def dashboard():
    today = dt.date.today()
    buckets: dict[str, list] = {"expired": [], **{str(b): [] for b in BUCKETS}}
    for row in expiry_rows(g.user, today):
        buckets[bucket_of(row.expires_on, today)].append(row)
    buckets["expired"].reverse()  # the most recent first
    alerts_stmt = select(Alert).where(Alert.kind.in_(ALERT_KINDS), Alert.acknowledged_at.is_(None))
    visible = visible_alerts(g.user)
    if visible is not None:
        alerts_stmt = alerts_stmt.where(visible)
    alerts = {kind: [] for kind in ALERT_KINDS}
    for alert in db.session.scalars(alerts_stmt.order_by(Alert.due_on, Alert.id)):
        alerts[alert.kind].append(alert)
    names = subject_names([a for kind in alerts.values() for a in kind])
    counts = {
        "staff": db.session.scalar(select(func.count()).select_from(Staff).where(
            Staff.active.is_(True), *([c] if (c := staff_clause(g.user)) is not None else []))),
        "device_types": db.session.scalar(select(func.count()).select_from(DeviceType)),
        "open_alerts": db.session.scalar(select(func.count()).select_from(Alert).where(
            Alert.acknowledged_at.is_(None), *([visible] if visible is not None else []))),
    }
    return render_template("dashboard.html", today=today, buckets=buckets, limit=LIST_LIMIT,
                           alerts=alerts, names=names, counts=counts)

