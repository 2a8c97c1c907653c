from marshmallow import fields, validate

from core.devices.models import DEVICE_CLASSES, DEVICE_STATUSES
from core.schemas import FIRST_DAY, LAST_DAY, Day, Filters, StrictSchema

# Domain dates stay within what a hospital can mean: no year 9999 reaching date arithmetic.
DATE_BOUNDS = validate.Range(FIRST_DAY, LAST_DAY, error="Must be between {min} and {max}.")


class TechnologyGroupSchema(StrictSchema):
    code = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    name_en = fields.String(dump_only=True)


class DeviceTypeSchema(StrictSchema):
    manufacturer = fields.String(required=True, validate=validate.Length(1, 200))
    model = fields.String(required=True, validate=validate.Length(1, 200))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    technology_group_id = fields.Integer(required=True)
    mdr_class = fields.String(allow_none=True, validate=validate.OneOf(DEVICE_CLASSES))
    lifecycle_phase = fields.Integer(validate=validate.Range(1, 7))
    released_on = Day(allow_none=True, metadata={
        "description": "set by the release procedure; given only when a type already in use is registered "
                       "in phase 6 (a legacy registration)"})
    legacy_registration = fields.Boolean(dump_only=True, metadata={
        "description": "registered already in use, with its historical release date, not released here"})
    phase_since = Day(load_only=True, metadata={
        "description": "with lifecycle_phase: the date the new phase takes effect (default today)"})


class DeviceTypeFilters(Filters):
    technology_group_id = fields.Integer()
    lifecycle_phase = fields.Integer()
    mdr_class = fields.String(validate=validate.OneOf(DEVICE_CLASSES))
    q = fields.String(metadata={"description": "part of manufacturer, model or name"})


class DeviceSchema(StrictSchema):
    asset_number = fields.String(required=True, validate=validate.Length(1, 60))
    serial_number = fields.String(allow_none=True, validate=validate.Length(max=100))
    device_type_id = fields.Integer(required=True)
    department_id = fields.Integer(allow_none=True)
    status = fields.String(validate=validate.OneOf(DEVICE_STATUSES))


class DeviceFilters(Filters):
    device_type_id = fields.Integer()
    department_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(DEVICE_STATUSES))
    technology_group_id = fields.Integer()
