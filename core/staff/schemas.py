from marshmallow import ValidationError, fields, validate, validates_schema

from core.schemas import Day, Filters, StrictSchema
from core.staff.models import EMPLOYMENT_TYPES, needs_company


class DepartmentSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(1, 40))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    parent_id = fields.Integer(allow_none=True)


class DepartmentFilters(Filters):
    parent_id = fields.Integer()
    code = fields.String()


class StaffSchema(StrictSchema):
    employee_number = fields.String(required=True, validate=validate.Length(1, 40))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    email = fields.Email(allow_none=True)
    department_id = fields.Integer(allow_none=True)
    manager_id = fields.Integer(allow_none=True)
    employment_type = fields.String(validate=validate.OneOf(EMPLOYMENT_TYPES))
    company = fields.String(allow_none=True, validate=validate.Length(max=200))
    active = fields.Boolean()
    start_date = Day(allow_none=True)

    @validates_schema
    def _external_has_company(self, data, **kwargs):
        if "company" in data and needs_company(data.get("employment_type"), data.get("company")):
            raise ValidationError("An external person needs the company they work for.", "company")


class StaffFilters(Filters):
    department_id = fields.Integer(metadata={"description": "only this department (not its subtree)"})
    active = fields.Boolean()
    employment_type = fields.String(validate=validate.OneOf(EMPLOYMENT_TYPES))
    manager_id = fields.Integer()
    q = fields.String(metadata={"description": "part of the name or employee number"})
