"""REST resources /tvb/roles, /tvb/activities, /tvb/cells, /tvb/assignments."""
from flask_smorest import Blueprint

from core import crud
from core.auth.permissions import ASSIGNERS, TVB_WRITERS, visible_staff_ids
from core.devices.models import DeviceType, TechnologyGroup
from core.extensions import db
from core.staff.models import Staff
from core.tvb import services
from core.tvb.models import Activity, Assignment, Cell, Role
from core.tvb.schemas import (
    ActivityFilters, ActivitySchema, AssignmentFilters, AssignmentSchema, CellFilters, CellSchema, RoleSchema,
)

blp = Blueprint("tvb", __name__, url_prefix="/api/v1/tvb", description="TVB matrix: roles, activities, cells, assignments")


def _assignment_scope(user):
    ids = visible_staff_ids(user)
    return None if ids is None else Assignment.staff_id.in_(ids)


def _may_assign(user, assignment) -> bool:
    return services.may_assign(user, db.session.get(Staff, assignment.staff_id))


crud.register(blp, crud.Resource(
    name="role", path="/roles", model=Role, schema=RoleSchema,
    write_roles=TVB_WRITERS, unique=[("name",)], order_by=Role.name,
))
crud.register(blp, crud.Resource(
    name="activity", path="/activities", model=Activity, schema=ActivitySchema,
    filter_schema=ActivityFilters, write_roles=TVB_WRITERS, unique=[("name",)],
    before_save=services.prepare_activity, order_by=Activity.name,
))
CELLS = crud.Resource(
    name="cell", path="/cells", model=Cell, schema=CellSchema, filter_schema=CellFilters,
    write_roles=TVB_WRITERS,
    references={"role_id": Role, "activity_id": Activity,
                "technology_group_id": TechnologyGroup, "device_type_id": DeviceType},
    before_save=services.prepare_cell,
)
crud.register(blp, CELLS)
ASSIGNMENTS = crud.Resource(
    name="assignment", path="/assignments", model=Assignment, schema=AssignmentSchema,
    person_of=lambda obj: obj.staff_id,
    filter_schema=AssignmentFilters, write_roles=ASSIGNERS,
    references={"staff_id": Staff, "role_id": Role},
    scope=_assignment_scope, may_write=_may_assign,
    before_save=services.prepare_assignment,
    filter_clauses={"on": services.valid_on},
)
crud.register(blp, ASSIGNMENTS)
