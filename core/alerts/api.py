"""GET /alerts (the in-app channel), acknowledging an alert, and /coverage-minimums."""
from flask_smorest import Blueprint
from sqlalchemy import ARRAY, Integer, any_, cast, exists, func, or_, select

from core import crud
from core.alerts.models import Alert, AlertDelivery, CoverageMinimum
from core.alerts.schemas import AlertFilters, AlertSchema, CoverageMinimumFilters, CoverageMinimumSchema
from core.auth.permissions import (ALL_ROLES_READ, HOSPITAL_WIDE_WRITERS, current_user, department_tree, require,
                                  staff_clause, visible_staff_ids)
from core.crud import paginated
from core.db import utcnow
from core.devices.models import Device, DeviceType, TechnologyGroup
from core.errors import abort, field_errors
from core.extensions import db
from core.staff.models import Staff

blp = Blueprint("alerts", __name__, url_prefix="/api/v1", description="Alerts (in-app channel) and coverage minimums")


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


@blp.route("/alerts")
@blp.arguments(AlertFilters, location="query")
@blp.response(200, AlertSchema(many=True))
@blp.paginate(page_size=50, max_page_size=1000)
def alert_list(args, pagination_parameters):
    """Alerts, newest first; a manager sees their tree, a technician their own."""
    require(*ALL_ROLES_READ)
    stmt = select(Alert)
    visible = visible_alerts(current_user())
    if visible is not None:
        stmt = stmt.where(visible)
    for name in ("kind", "staff_id", "device_type_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Alert, name) == args[name])
    if args.get("subject"):
        kind, subject_id = args["subject"].split(":")
        stmt = stmt.where((Alert.staff_id if kind == "staff" else Alert.device_type_id) == int(subject_id))
    if args.get("department_id") is not None:
        tree = department_tree(args["department_id"])
        stmt = stmt.where(or_(
            Alert.staff_id.in_(select(Staff.id).where(Staff.department_id.in_(tree))),
            Alert.device_type_id.in_(select(Device.device_type_id).where(Device.department_id.in_(tree)))))
    if args.get("acknowledged") is not None:
        stmt = stmt.where(Alert.acknowledged_at.is_not(None) if args["acknowledged"] else Alert.acknowledged_at.is_(None))
    pending = exists().where(AlertDelivery.alert_id == Alert.id, AlertDelivery.delivered_at.is_(None))
    if args.get("delivered") is not None:
        stmt = stmt.where(~pending if args["delivered"] else pending)
    if args.get("due_from") is not None:
        stmt = stmt.where(Alert.due_on >= args["due_from"])
    if args.get("due_to") is not None:
        stmt = stmt.where(Alert.due_on <= args["due_to"])
    alerts = paginated(stmt.order_by(Alert.id.desc()), pagination_parameters)
    _mark_pending(alerts)
    return alerts


def _mark_pending(alerts) -> None:
    """One query for the page's delivery state, not one per alert."""
    ids = [alert.id for alert in alerts]
    waiting = set(db.session.scalars(select(AlertDelivery.alert_id).where(
        AlertDelivery.alert_id.in_(ids), AlertDelivery.delivered_at.is_(None)))) if ids else set()
    for alert in alerts:
        alert.pending_deliveries = alert.id in waiting


@blp.route("/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@blp.response(200, AlertSchema)
def acknowledge(alert_id):
    """Mark an alert as seen; it stays in the list. Acknowledging twice keeps the first."""
    require("admin", "tvb_admin", "mt_manager", "manager", "technician")
    user = current_user()
    stmt = select(Alert).where(Alert.id == alert_id)
    visible = visible_alerts(user)
    if visible is not None:
        stmt = stmt.where(visible)
    alert = db.session.scalar(stmt)
    if alert is None:
        abort(404, message=f"No alert with id {alert_id}.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = utcnow(), user.id
        db.session.flush()
    _mark_pending([alert])
    return alert


def _prepare_minimum(minimum, data: dict, is_new: bool) -> None:
    if (minimum.device_type_id is None) == (minimum.technology_group_id is None):
        field_errors({"device_type_id": ["Give a device type or a technology group (exactly one)."]})
    minimum.role = minimum.role or "technician"


crud.register(blp, crud.Resource(
    name="coverage-minimum", path="/coverage-minimums", model=CoverageMinimum,
    schema=CoverageMinimumSchema, filter_schema=CoverageMinimumFilters,
    write_roles=HOSPITAL_WIDE_WRITERS,
    references={"device_type_id": DeviceType, "technology_group_id": TechnologyGroup},
    unique=[("device_type_id", "technology_group_id", "role")],
    before_save=_prepare_minimum,
))

__all__ = ["blp", "visible_alerts"]
