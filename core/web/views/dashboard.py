"""The dashboard: what expires soon, what has expired, and the alerts that need a look."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from collections import Counter

from flask import g, render_template, url_for
from flask_babel import get_locale, lazy_gettext as _l
from sqlalchemy import case, func, select, text

from core.alerts.models import Alert
from core.auth.permissions import managed_departments, staff_clause
from core.competence.services import latest_on
from core.competence.models import Competence
from core.devices.models import DeviceType
from core.extensions import db
from core.plugins_runtime import alert_labels, dashboard_queues, dashboard_tiles
from core.staff.models import Staff
from core.web.blueprint import blp
from core.alerts.inbox import visible_alerts
from core.web import queues
from core.web.names import subject_names
from core.web.util import arg_int
from core.web.views.matrix import home_department
from core.web.views.staff import departments

BUCKETS = (7, 30, 90)
LIST_LIMIT = 25
# The core's alert kinds the dashboard shows in their own boxes; the plugins name theirs
# (bekwaam_alert_labels); other kinds stay in the inbox.
CORE_ALERT_BOXES = {"coverage_below_minimum": _l("Coverage gaps")}
EXPIRED_LOOKBACK_DAYS = 365


def _ranges(today: dt.date) -> dict[str, tuple[dt.date, dt.date, bool]]:
    """Per bucket: after, up to and including, and whether the most recent comes first."""
    bounds = [today + dt.timedelta(days=days) for days in BUCKETS]
    ranges = {"expired": (today - dt.timedelta(days=EXPIRED_LOOKBACK_DAYS), today, True)}
    for key, after, until in zip(map(str, BUCKETS), [today, *bounds[:-1]], bounds):
        ranges[key] = (after, until, False)
    return ranges


def expiry_buckets(user, today: dt.date) -> dict[str, dict]:
    """Per bucket (expired, 7, 30, 90): how many (person, device type, role) pairs, and the first LIST_LIMIT.

    A pair counts with its latest record (a newer one wins); a pair holding a
    record that never expires is left out; expired pairs older than a year are
    history, not news. The candidates come from the expiry-date index and "is the
    latest" is one indexed NOT EXISTS per candidate. One GROUP BY counts the buckets
    (no names joined, no sort); each bucket's shown rows come from walking the
    expiry-date index to its LIST_LIMIT-th date, then sorting only the rows up to that
    date by name (one window over every candidate, names joined, took 1.1 s of the
    large hospital's 1.9 s dashboard; a whole-table GROUP BY took 47 s).
    """
    latest = latest_on(today)
    ranges = _ranges(today)
    bucket = case((Competence.expires_on <= today, "expired"),
                  *((Competence.expires_on <= today + dt.timedelta(days=days), str(days)) for days in BUCKETS[:-1]),
                  else_=str(BUCKETS[-1]))
    where = [Staff.active.is_(True), Competence.device_type_id.is_not(None), Competence.obtained_on <= today,
             Competence.expires_on > ranges["expired"][0],
             Competence.expires_on <= today + dt.timedelta(days=max(BUCKETS)), latest]
    clause = staff_clause(user)
    if clause is not None:
        where.append(clause)
        if db.session.get_bind().dialect.name == "postgresql":
            # A department's few hundred people: PostgreSQL should walk their competences by
            # (staff_id, expires_on). With parallel workers it costed a parallel scan of the whole
            # hospital's expiry window (108,000 competences) cheaper, and took 4x as long (141 vs
            # 36 ms, EXPLAIN ANALYZE on the large hospital); on a busy server the workers only
            # compete with the other requests. For this request's transaction only.
            db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    candidates = select(bucket.label("bucket"), func.count()).join(Staff, Staff.id == Competence.staff_id).where(*where)
    buckets = {key: {"total": 0, "rows": []} for key in ranges}
    for key, total in db.session.execute(candidates.group_by(bucket)).all():
        buckets[key]["total"] = total
    for key, (after, until, recent_first) in ranges.items():
        if not buckets[key]["total"]:
            continue
        in_bucket = [*where, Competence.expires_on > after, Competence.expires_on <= until]
        by_date = Competence.expires_on.desc() if recent_first else Competence.expires_on
        cutoff = db.session.scalar(select(Competence.expires_on).join(Staff, Staff.id == Competence.staff_id)
                                   .where(*in_bucket).order_by(by_date).offset(LIST_LIMIT - 1).limit(1))
        if cutoff is not None:
            in_bucket.append(Competence.expires_on >= cutoff if recent_first else Competence.expires_on <= cutoff)
        # The soonest first; among the expired the most recent first.
        order = ((Competence.expires_on.desc(), Staff.name.desc(), Competence.id) if recent_first
                 else (Competence.expires_on, Staff.name, Competence.id))
        rows = db.session.execute(
            select(Staff.id, Staff.name, DeviceType.id, DeviceType.manufacturer, DeviceType.model, Competence.role,
                   Competence.expires_on)
            .join(Staff, Staff.id == Competence.staff_id).join(DeviceType, DeviceType.id == Competence.device_type_id)
            .where(*in_bucket).order_by(*order).limit(LIST_LIMIT)).all()
        buckets[key]["rows"] = [ExpiryRow(*row) for row in rows]
    return buckets


class ExpiryRow(NamedTuple):
    staff_id: int
    name: str
    device_type_id: int
    manufacturer: str
    model: str
    role: str
    expires_on: dt.date


def matrix_links(user, buckets: dict) -> dict[str, str]:
    """Per bucket the matrix its "see the matrix" opens: filtered, never the whole hospital.

    The user's own department; without one, the department most of the bucket's
    listed people work in (one query for all buckets).
    """
    home = home_department(user)
    if home is not None:
        return {key: url_for("web.matrix", department_id=home) for key in buckets}
    ids = {row.staff_id for bucket in buckets.values() for row in bucket["rows"]}
    departments = dict(db.session.execute(select(Staff.id, Staff.department_id).where(Staff.id.in_(ids))).all()) if ids else {}
    links = {}
    for key, bucket in buckets.items():
        common = Counter(departments.get(row.staff_id) for row in bucket["rows"]
                         if departments.get(row.staff_id) is not None).most_common(1)
        links[key] = url_for("web.matrix", department_id=common[0][0]) if common else url_for("web.matrix")
    return links


@blp.route("/")
def dashboard():
    today = dt.date.today()
    tiles = dashboard_tiles(g.user, today)
    if g.user.role == "technician":
        # A technician's home: their own standing (what they may do, what to renew by when).
        return render_template("dashboard_own.html", today=today, tiles=tiles,
                               own=queues.own_status(g.user, today),
                               missing=queues.missing_competences(g.user, today),
                               plugin_queues=dashboard_queues(g.user, today))
    buckets = expiry_buckets(g.user, today)
    boxes = {**CORE_ALERT_BOXES, **alert_labels()}
    in_boxes = [Alert.kind.in_(list(boxes)), Alert.acknowledged_at.is_(None)]
    visible = visible_alerts(g.user)
    if visible is not None:
        in_boxes.append(visible)
    # Each box shows its LIST_LIMIT soonest and counts the rest: one GROUP BY counts, and only the
    # shown rows are read and named (the hundreds of coverage alerts were all loaded before).
    alert_totals = {kind: 0 for kind in boxes}
    alert_totals.update(db.session.execute(select(Alert.kind, func.count()).where(*in_boxes).group_by(Alert.kind)).all())
    numbered = select(Alert.id, func.row_number().over(partition_by=Alert.kind, order_by=(Alert.due_on, Alert.id))
                      .label("n")).where(*in_boxes).subquery()
    alerts = {kind: [] for kind in boxes}
    for alert in db.session.scalars(select(Alert).join(numbered, numbered.c.id == Alert.id)
                                    .where(numbered.c.n <= LIST_LIMIT).order_by(Alert.due_on, Alert.id)):
        alerts[alert.kind].append(alert)
    names = subject_names([a for kind in alerts.values() for a in kind])
    counts = {
        "staff": db.session.scalar(select(func.count()).select_from(Staff).where(
            Staff.active.is_(True), *([c] if (c := staff_clause(g.user)) is not None else []))),
        "device_types": db.session.scalar(select(func.count()).select_from(DeviceType)),
        "open_alerts": db.session.scalar(select(func.count()).select_from(Alert).where(
            Alert.acknowledged_at.is_(None), *([visible] if visible is not None else []))),
    }
    links = matrix_links(g.user, buckets)
    home = home_department(g.user)
    # The timeline is a department's: the user's own, or the one chosen (an administrator has none).
    shown = arg_int("department_id") or home
    department_names = dict(departments())
    if g.user.role == "manager":  # their own tree: they see no one elsewhere
        mine = managed_departments(g.user)
        department_names = {key: name for key, name in department_names.items() if key in mine}
    if shown not in department_names:
        shown = None
    return render_template("dashboard.html", today=today, buckets=buckets, limit=LIST_LIMIT,
                           matrix_links=links,
                           alerts=alerts, alert_totals=alert_totals, boxes=boxes, names=names, counts=counts, tiles=tiles,
                           plugin_queues=dashboard_queues(g.user, today),
                           missing=queues.missing_competences(g.user, today),
                           missing_link=url_for("web.matrix", department_id=home) if home else url_for("web.matrix"),
                           timeline=queues.expiry_timeline(g.user, today, shown) if shown else None,
                           timeline_department=shown, department_names=department_names,
                           coverage=queues.coverage(g.user, today),
                           english=str(get_locale()) == "en")
