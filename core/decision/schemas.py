from marshmallow import Schema, fields

from core.schemas import Day


class CanPerformArgs(Schema):
    activity_id = fields.Integer(required=True)
    device_type_id = fields.Integer(allow_none=True, metadata={
        "description": "omit for activities not tied to a device type (a reserved procedure)"})
    on = Day(metadata={"description": "the day to decide for (default today); the past is decided as it stood"})


class AuthorisedStaffArgs(Schema):
    activity_id = fields.Integer(required=True)
    on = Day()
    include_refused = fields.Boolean(load_default=False, metadata={
        "description": "also list people with a role for the activity who were refused, with why"})


class ReasonSchema(Schema):
    source = fields.String()
    code = fields.String()
    message = fields.String()
    ok = fields.Boolean()


class DecisionSchema(Schema):
    allowed = fields.Boolean()
    reasons = fields.List(fields.Nested(ReasonSchema))


class StaffDecisionSchema(DecisionSchema):
    staff_id = fields.Integer()
    name = fields.String()
    employee_number = fields.String()


class AuthorisedStaffSchema(Schema):
    device_type_id = fields.Integer()
    activity_id = fields.Integer()
    on = Day()
    staff = fields.List(fields.Nested(StaffDecisionSchema))
