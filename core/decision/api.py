"""The decision endpoints: may this person do this, and who may (the inspector's question)."""
import datetime as dt

from flask_smorest import Blueprint
from sqlalchemy import select

from core import constants
from core.audit import access
from core.auth.permissions import ALL_ROLES_READ, current_user, may_see_staff, require, staff_clause
from core.decision import services
from core.decision.schemas import AuthorisedStaffArgs, AuthorisedStaffSchema, CanPerformArgs, DecisionSchema
from core.devices.models import DeviceType
from core.errors import abort, field_errors
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity

blp = Blueprint("decision", __name__, url_prefix="/api/v1", description="can_perform: bevoegd én bekwaam")


def _activity(activity_id: int) -> Activity:
    activity = constants.row(Activity, activity_id)
    if activity is None:
        field_errors({"activity_id": [f"No activity with id {activity_id}."]})
    return activity


@blp.route("/staff/<int:staff_id>/can-perform")
@blp.arguments(CanPerformArgs, location="query")
@blp.response(200, DecisionSchema)
def can_perform(args, staff_id):
    """May this person perform the activity on the device type on that day, and why (not)?"""
    require(*ALL_ROLES_READ)
    staff = db.session.get(Staff, staff_id)
    if staff is None or not may_see_staff(current_user(), staff):
        abort(404, message=f"No staff with id {staff_id}.")
    activity = _activity(args["activity_id"])
    device_type = None
    if args.get("device_type_id") is not None:
        device_type = constants.row(DeviceType, args["device_type_id"])
        if device_type is None:
            field_errors({"device_type_id": [f"No device type with id {args['device_type_id']}."]})
    on = args.get("on") or dt.date.today()
    return services.can_perform(staff.id, activity, device_type, on).as_dict()


@blp.route("/device-types/<int:device_type_id>/authorised-staff")
@blp.arguments(AuthorisedStaffArgs, location="query")
@blp.response(200, AuthorisedStaffSchema)
def authorised_staff(args, device_type_id):
    """Who was allowed to perform the activity on this device type on that date, and why."""
    require(*ALL_ROLES_READ)
    device_type = constants.row(DeviceType, device_type_id)
    if device_type is None:
        abort(404, message=f"No device type with id {device_type_id}.")
    activity = _activity(args["activity_id"])
    on = args.get("on") or dt.date.today()
    ids = services.candidates(activity, device_type, on, b_only=not args["include_refused"])
    clause = staff_clause(current_user())
    people = {s.id: s for s in db.session.scalars(
        select(Staff).where(Staff.id.in_(ids), *([clause] if clause is not None else [])))}
    decisions = services.decide_many(sorted(people), activity, device_type, on)
    staff = []
    for staff_id, decision in decisions.items():
        if decision.allowed or args["include_refused"]:
            person = people[staff_id]
            staff.append({"staff_id": staff_id, "name": person.name,
                          "employee_number": person.employee_number, **decision.as_dict()})
    staff.sort(key=lambda row: (not row["allowed"], row["name"]))
    access.note(people=len(staff), subject=f"bulk: authorised staff, {len(staff)} people")
    return {"device_type_id": device_type.id, "activity_id": activity.id, "on": on, "staff": staff}
