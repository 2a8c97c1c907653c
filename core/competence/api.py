"""REST resource /competences."""
import datetime as dt

from flask import current_app
from flask_smorest import Blueprint

from core import crud
from core.audit import access
from core.competence.recording import COMPETENCES
from core.competence.schemas import MatrixApiArgs, MatrixResponseSchema

blp = Blueprint("competence", __name__, url_prefix="/api/v1", description="Competences (bekwaamheden)")


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
