"""REST resource /competences."""
import datetime as dt

from flask import current_app
from flask_smorest import Blueprint

from core import crud
from core.audit import access
from core.auth.permissions import STAFF_WRITERS, may_edit_staff, visible_staff_ids
from core.competence import services
from core.competence.models import Competence
from core.competence.schemas import CompetenceFilters, CompetenceSchema, MatrixApiArgs, MatrixResponseSchema
from core.devices.models import DeviceType
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity

blp = Blueprint("competence", __name__, url_prefix="/api/v1", description="Competences (bekwaamheden)")


def _scope(user):
    ids = visible_staff_ids(user)
    return None if ids is None else Competence.staff_id.in_(ids)


def _may_write(user, competence) -> bool:
    return may_edit_staff(user, db.session.get(Staff, competence.staff_id))


COMPETENCES = crud.Resource(
    name="competence", path="/competences", model=Competence,
    person_of=lambda obj: obj.staff_id,
    schema=CompetenceSchema, filter_schema=CompetenceFilters,
    write_roles=STAFF_WRITERS,
    references={"staff_id": Staff, "device_type_id": DeviceType, "activity_id": Activity, "assessor_id": Staff},
    scope=_scope, may_write=_may_write, before_save=services.prepare,
    filter_clauses={
        "status": lambda s: services.status_clause(s, dt.date.today()),
        "department_id": services.department_clause,
    },
    order_by=Competence.id,
)
crud.register(blp, COMPETENCES)



@blp.route("/competence-matrix")
@blp.arguments(MatrixApiArgs, location="query")
@blp.response(200, MatrixResponseSchema)
def competence_matrix(args):
    """Staff × device types with each cell's state and expiry date; rows align with ``device_types``.

    Without ``technology_group_id`` the columns are the device types anyone in
    the selection holds a competence for. ``format=compact`` sends each cell
    once without keys and leaves out the missing ones (see the parameter).
    """
    from core.auth.permissions import ALL_ROLES_READ, current_user, require
    from core.competence import matrix

    require(*ALL_ROLES_READ)
    compact = args["format"] == "compact"
    data = matrix.build(current_user(), on=args.get("on") or dt.date.today(),
                        department_id=args.get("department_id"), subdepartments=args["subdepartments"],
                        technology_group_id=args.get("technology_group_id"), role=args.get("role"),
                        cells=not compact)
    access.note(people=len(data["staff"]), subject=f"bulk: competence matrix, {len(data['staff'])} people")
    # Serialised here rather than by MatrixSchema (which still documents the full format): dumping
    # 100,000 nested cells through marshmallow took most of a large department's
    # request. tests/core/test_matrix.py checks the two give the same JSON.
    return current_app.json.response(matrix.as_compact(data) if compact else matrix.as_json(data))
