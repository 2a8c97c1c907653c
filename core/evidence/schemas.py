from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.schemas import Day, Filters, StrictSchema

LANG = fields.String(validate=validate.OneOf(("nl", "en")), metadata={
    "description": "nl or en; without it the Accept-Language header decides, Dutch by default"})


class ReportArgs(Filters):
    device_type_id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    on = Day(metadata={"description": "the day the report is for (default today); the past as it stood"})
    lang = LANG


class PassportArgs(Filters):
    on = Day(metadata={"description": "the day (default today)"})
    lang = LANG


class FeedCreateSchema(StrictSchema):
    staff_id = fields.Integer(load_only=True, metadata={"description": "a person's own feed"})
    department_id = fields.Integer(load_only=True, metadata={
        "description": "a department manager's feed: everyone in the department and those below it"})
    label = fields.String(validate=validate.Length(max=100), load_only=True)

    @validates_schema
    def _one_subject(self, data, **kwargs):
        if ("staff_id" in data) == ("department_id" in data):
            raise ValidationError({"staff_id": ["Give staff_id or department_id (one of them)."],
                                   "department_id": ["Give staff_id or department_id (one of them)."]})


class FeedSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    staff_id = fields.Integer(allow_none=True)
    department_id = fields.Integer(allow_none=True)
    label = fields.String(allow_none=True)
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class IssuedFeedSchema(FeedSchema):
    url = fields.String(metadata={"description": "the private feed URL; shown once, keep it secret"})
