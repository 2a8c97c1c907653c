from marshmallow import fields, validate

from core.schemas import Day, Filters

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
