"""GET /alerts (the in-app channel) and acknowledging an alert."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import exists, or_, select

from core.alerts.models import Alert, AlertDelivery
from core.auth.permissions import ALL_ROLES_READ, current_user, require, visible_staff_ids
from core.crud import paginated
from core.db import utcnow
from core.errors import abort
from core.extensions import db
from core.staff.models import Staff

blp = Blueprint("alerts", __name__, url_prefix="/api/v1", description="Alerts (in-app channel)")


class AlertSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    kind = fields.String()
    source = fields.String()
    subject = fields.Method("_subject")
    staff_id = fields.Integer(allow_none=True)
    device_type_id = fields.Integer(allow_none=True)
    due_on = fields.Date()
    horizon_days = fields.Integer(allow_none=True)
    message = fields.String()
    created_at = fields.AwareDateTime()
    acknowledged_at = fields.AwareDateTime(allow_none=True)
    delivered = fields.Method("_delivered")

    def _subject(self, alert):
        if alert.staff_id is not None:
            return {"type": "staff", "id": alert.staff_id}
        return {"type": "device_type", "id": alert.device_type_id}

    def _delivered(self, alert):
        return not db.session.scalar(select(exists().where(
            AlertDelivery.alert_id == alert.id, AlertDelivery.delivered_at.is_(None))))


class AlertFilters(Schema):
    kind = fields.String()
    staff_id = fields.Integer()
    device_type_id = fields.Integer()
    department_id = fields.Integer()
    delivered = fields.Boolean()
    acknowledged = fields.Boolean()


@blp.route("/alerts")
@blp.arguments(AlertFilters, location="query")
@blp.response(200, AlertSchema(many=True))
@blp.paginate(page_size=50, max_page_size=1000)
def alert_list(args, pagination_parameters):
    """Alerts, newest first; a manager sees their tree, a technician their own."""
    require(*ALL_ROLES_READ)
    stmt = select(Alert)
    visible = visible_staff_ids(current_user())
    if visible is not None:
        stmt = stmt.where(or_(Alert.staff_id.in_(visible), Alert.staff_id.is_(None) if current_user().role == "manager" else False))
    for name in ("kind", "staff_id", "device_type_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Alert, name) == args[name])
    if args.get("department_id") is not None:
        stmt = stmt.where(Alert.staff_id.in_(select(Staff.id).where(Staff.department_id == args["department_id"])))
    if args.get("acknowledged") is not None:
        stmt = stmt.where(Alert.acknowledged_at.is_not(None) if args["acknowledged"] else Alert.acknowledged_at.is_(None))
    if args.get("delivered") is not None:
        pending = exists().where(AlertDelivery.alert_id == Alert.id, AlertDelivery.delivered_at.is_(None))
        stmt = stmt.where(~pending if args["delivered"] else pending)
    return paginated(stmt.order_by(Alert.id.desc()), pagination_parameters)


@blp.route("/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@blp.response(200, AlertSchema)
def acknowledge(alert_id):
    """Mark an alert as seen; it stays in the list."""
    require("admin", "tvb_admin", "manager", "technician")
    alert = db.session.get(Alert, alert_id)
    user = current_user()
    visible = visible_staff_ids(user)
    if alert is None or (visible is not None and alert.staff_id is not None
                         and alert.staff_id not in set(db.session.scalars(visible))):
        abort(404, message=f"No alert with id {alert_id}.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = utcnow(), user.id
        db.session.flush()
    return alert
