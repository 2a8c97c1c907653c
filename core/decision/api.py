"""The decision endpoints: may this person do this, and who may (the inspector's question)."""
import datetime as dt

from flask_smorest import Blueprint

from core.auth.permissions import ALL_ROLES_READ, current_user, require
from core.auth.visibility import visible_staff
from core.decision import services
from core.decision.schemas import AuthorisedStaffArgs, AuthorisedStaffSchema, CanPerformArgs, DecisionSchema

blp = Blueprint("decision", __name__, url_prefix="/api/v1", description="can_perform: bevoegd én bekwaam")


@blp.route("/staff/<int:staff_id>/can-perform")
@blp.arguments(CanPerformArgs, location="query")
@blp.response(200, DecisionSchema)
def can_perform(args, staff_id):
    """May this person perform the activity on the device type on that day, and why (not)?"""
    require(*ALL_ROLES_READ)
    staff = visible_staff(current_user(), staff_id)
    activity = services.activity_or_invalid(args["activity_id"], snapshot=True)
    device_type = None
    if args.get("device_type_id") is not None:
        device_type = services.device_type_or_invalid(args["device_type_id"], snapshot=True)
    on = args.get("on") or dt.date.today()
    return services.can_perform(staff.id, activity, device_type, on).as_dict()


@blp.route("/device-types/<int:device_type_id>/authorised-staff")
@blp.arguments(AuthorisedStaffArgs, location="query")
@blp.response(200, AuthorisedStaffSchema)
def authorised_staff(args, device_type_id):
    """Who was allowed to perform the activity on this device type on that date, and why."""
    require(*ALL_ROLES_READ)
    device_type = services.device_type_or_not_found(device_type_id, snapshot=True)
    activity = services.activity_or_invalid(args["activity_id"], snapshot=True)
    on = args.get("on") or dt.date.today()
    staff = [{"staff_id": person.id, "name": person.name, "employee_number": person.employee_number,
              **decision.as_dict()}
             for person, decision in services.authorised_staff(current_user(), activity, device_type, on,
                                                               args["include_refused"])]
    return {"device_type_id": device_type.id, "activity_id": activity.id, "on": on, "staff": staff}
