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


class MatrixApiArgs(MatrixArgs):
    format = fields.String(load_default="full", validate=validate.OneOf(("full", "compact")), metadata={
        "description": "full (default): every cell as {state, expires_on}. compact: the states named once "
                       "(`states`) and per row only the cells that are not missing, as [column, state index, "
                       "expires_on] (column: index in `device_types`); an unlisted cell is missing. "
                       "Either is sent gzip-compressed when the request says Accept-Encoding: gzip."})


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


class MatrixAnyRowSchema(Schema):
    staff_id = fields.Integer()
    cells = fields.List(fields.Raw(), metadata={
        "description": "full: one {state, expires_on} per device type, aligned with device_types; "
                       "compact: [column, state index, expires_on] per cell that is not missing"})


class MatrixResponseSchema(MatrixSchema):
    """What GET /competence-matrix answers in either format (MatrixSchema is the full one)."""

    format = fields.String(metadata={"description": "'compact' in the compact format; absent in the full one"})
    states = fields.List(fields.String(), metadata={"description": "compact: the state of each index"})
    rows = fields.List(fields.Nested(MatrixAnyRowSchema))
