from marshmallow import Schema, fields, validate

from core.competence.models import COMPETENCE_ROLES, METHODS
from core.schemas import Day, Filters, StrictSchema

STATES = ("valid", "expiring", "expired")


class CompetenceSchema(StrictSchema):
    staff_id = fields.Integer(required=True)
    device_type_id = fields.Integer(allow_none=True)
    activity_id = fields.Integer(allow_none=True)
    role = fields.String(required=True, validate=validate.OneOf(COMPETENCE_ROLES))
    obtained_on = Day(required=True)
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    assessor_id = fields.Integer(allow_none=True)
    evidence = fields.String(allow_none=True, validate=validate.Length(max=200))
    expires_on = Day(allow_none=True, metadata={
        "description": "computed by the plugin that owns the requirement; typed in only where none does"})
    expiry_source = fields.String(dump_only=True)
    status = fields.Method("_status", dump_only=True)

    def _status(self, obj):
        import datetime as dt
        return obj.status_on(dt.date.today())


class CompetenceFilters(Filters):
    staff_id = fields.Integer()
    device_type_id = fields.Integer()
    activity_id = fields.Integer()
    role = fields.String(validate=validate.OneOf(COMPETENCE_ROLES))
    status = fields.String(validate=validate.OneOf(STATES), metadata={"description": "status today"})
    department_id = fields.Integer()


class MatrixArgs(Filters):
    department_id = fields.Integer()
    subdepartments = fields.Boolean(load_default=True, metadata={"description": "include the department's subtree"})
    technology_group_id = fields.Integer()
    role = fields.String(validate=validate.OneOf(COMPETENCE_ROLES))
    on = Day()


class MatrixCellSchema(Schema):
    state = fields.String(metadata={"description": "competent / expiring / expired / missing"})
    expires_on = Day(allow_none=True)


class MatrixRowSchema(Schema):
    staff_id = fields.Integer()
    cells = fields.List(fields.Nested(MatrixCellSchema), metadata={"description": "aligned with device_types"})


class MatrixStaffSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    employee_number = fields.String()
    employment_type = fields.String()


class MatrixDeviceTypeSchema(Schema):
    id = fields.Integer()
    manufacturer = fields.String()
    model = fields.String()
    name = fields.String()
    technology_group_id = fields.Integer()


class MatrixSchema(Schema):
    on = Day()
    staff = fields.List(fields.Nested(MatrixStaffSchema))
    device_types = fields.List(fields.Nested(MatrixDeviceTypeSchema))
    rows = fields.List(fields.Nested(MatrixRowSchema))
