"""REST resources /departments and /staff."""
from flask_smorest import Blueprint
from sqlalchemy import or_

from core import crud, locks
from core.auth.permissions import STAFF_WRITERS, may_edit_staff, staff_clause
from core.staff.models import Department, Staff
from core.staff.services import check_staff
from core.staff.schemas import DepartmentFilters, DepartmentSchema, StaffFilters, StaffSchema

blp = Blueprint("staff", __name__, url_prefix="/api/v1", description="Departments (afdelingen) and staff (medewerkers)")


def _department_parent_ok(obj, data, is_new):
    # A department may not become its own ancestor.
    from core.auth.permissions import department_tree
    if obj.parent_id is not None and obj.id is not None:
        locks.serialise("department_tree")  # two moves at once could each pass and together loop
    if obj.parent_id is not None and obj.id is not None and obj.parent_id in department_tree(obj.id):
        crud.field_errors({"parent_id": ["A department cannot be placed under itself or its own sub-department."]})


crud.register(blp, crud.Resource(
    name="department", path="/departments", model=Department,
    schema=DepartmentSchema, filter_schema=DepartmentFilters,
    unique=[("code",)], references={"parent_id": Department},
    before_save=_department_parent_ok, order_by=Department.code,
))

STAFF = crud.Resource(
    name="staff", path="/staff", model=Staff,
    person_of=lambda obj: obj.id,
    schema=StaffSchema, filter_schema=StaffFilters,
    write_roles=STAFF_WRITERS,
    unique=[("employee_number",)],
    references={"department_id": Department, "manager_id": Staff},
    scope=staff_clause, may_write=may_edit_staff,
    before_save=check_staff,
    filter_clauses={"q": lambda q: or_(Staff.name.ilike(f"%{q}%"), Staff.employee_number.ilike(f"%{q}%"))},
    order_by=Staff.name,
)
crud.register(blp, STAFF)
