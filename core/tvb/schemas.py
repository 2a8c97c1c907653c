from marshmallow import ValidationError, fields, validate, validates_schema

from core.schemas import Day, Filters, StrictSchema
from core.tvb.models import LEVELS

LETTERS = ("T", "V", "B")


class RoleSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(allow_none=True)


class ActivitySchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    level = fields.String(validate=validate.OneOf(LEVELS))
    lifecycle_phase = fields.Integer(allow_none=True, validate=validate.Range(1, 7))
    requirements = fields.Dict(keys=fields.String(), values=fields.Dict(), metadata={
        "description": "keyed by plugin name, each validated by that plugin's schema"})
    effective_from = Day(load_only=True, metadata={
        "description": "the day a change of the requirements takes effect (default today); earlier days "
                       "keep the requirements they had"})


class Letters(fields.Field):
    """"TVB" or ["T", "B"] in, canonical "TVB"-ordered string out."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = list(value) if isinstance(value, (str, list)) else None
        if not items or any(item not in LETTERS for item in items) or len(set(items)) != len(items):
            raise ValidationError('A non-empty subset of "T", "V", "B".')
        return "".join(letter for letter in LETTERS if letter in items)

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class CellSchema(StrictSchema):
    role_id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    letters = Letters(required=True)
    technology_group_id = fields.Integer(allow_none=True)
    device_type_id = fields.Integer(allow_none=True)
    effective_from = Day(load_only=True, metadata={
        "description": "the day this change takes effect (default today); earlier days are decided by the "
                       "cell as it was"})

    @validates_schema
    def _one_scope(self, data, **kwargs):
        if data.get("technology_group_id") is not None and data.get("device_type_id") is not None:
            raise ValidationError("Scope a cell to a technology group or a device type, not both.", "device_type_id")


class AssignmentSchema(StrictSchema):
    staff_id = fields.Integer(required=True)
    role_id = fields.Integer(required=True)
    valid_from = Day(required=True)
    valid_to = Day(allow_none=True, metadata={"description": "last day the role is held; empty = open"})


class CellFilters(Filters):
    role_id = fields.Integer()
    activity_id = fields.Integer()
    technology_group_id = fields.Integer()
    device_type_id = fields.Integer()


class AssignmentFilters(Filters):
    staff_id = fields.Integer()
    role_id = fields.Integer()
    on = Day(metadata={"description": "only assignments valid on this date"})


class ActivityFilters(Filters):
    level = fields.String(validate=validate.OneOf(LEVELS))
    lifecycle_phase = fields.Integer()
