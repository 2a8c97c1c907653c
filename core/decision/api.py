"""The decision endpoints: may this person do this, and who may (the inspector's question)."""
import datetime as dt

from flask import current_app, request
from flask_smorest import Blueprint

from core.auth.permissions import ALL_ROLES_READ, current_user, require
from core.auth.visibility import visible_staff
from core.decision import services
from core.decision.schemas import AuthorisedStaffArgs, AuthorisedStaffSchema, CanPerformArgs, DecisionSchema
from core.reason_texts import decision_dict

blp = Blueprint("decision", __name__, url_prefix="/api/v1", description="can_perform: bevoegd én bekwaam")


def answer_language() -> str:
    """``nl`` when the client asks for Dutch (``Accept-Language: nl``): the reasons' messages are then
    Dutch; otherwise English, as the contract always answered. Codes and keys never change."""
    return request.accept_languages.best_match(["en", "nl"], default="en") or "en"


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
    return decision_dict(services.can_perform(staff.id, activity, device_type, on), answer_language())


@blp.route("/device-types/<int:device_type_id>/authorised-staff")
@blp.arguments(AuthorisedStaffArgs, location="query")
@blp.response(200, AuthorisedStaffSchema)
def authorised_staff(args, device_type_id):
    """Who was allowed to perform the activity on this device type on that date, and why."""
    require(*ALL_ROLES_READ)
    device_type = services.device_type_or_not_found(device_type_id, snapshot=True)
    activity = services.activity_or_invalid(args["activity_id"], snapshot=True)
    on = args.get("on") or dt.date.today()
    language, shown = answer_language(), {}
    staff = [{"staff_id": person.id, "name": person.name, "employee_number": person.employee_number,
              **decision_dict(decision, language, shown)}
             for person, decision in services.authorised_staff(current_user(), activity, device_type, on,
                                                               args["include_refused"])]
    # Serialised here rather than by AuthorisedStaffSchema (which documents it): a thousand
    # people with their reasons through marshmallow cost more than deciding them.
    # tests/core/test_decision.py checks the two give the same JSON.
    return current_app.json.response({"device_type_id": device_type.id, "activity_id": activity.id,
                                      "on": on.isoformat(), "staff": staff})
