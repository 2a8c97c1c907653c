"""TVB matrix rules: requirements validated per plugin, dates in order, one cell per scope."""
from __future__ import annotations

import datetime as dt

from marshmallow import ValidationError
from sqlalchemy import and_, or_, select

from core.errors import Conflict, FieldMessage, Invalid, NotFound
from core import locks
from core.extensions import db
from core.plugins_runtime import requirement_schemas
from core.tvb.history import check_effective_from
from core.tvb.models import ActivityVersion, Assignment, Cell, CellVersion


def prepare_activity(activity, data: dict, is_new: bool) -> None:
    check_effective_from(ActivityVersion, ActivityVersion.activity_id, activity.id, data.get("effective_from"))
    if activity.level is None:
        activity.level = "operational"
    requirements = activity.requirements or {}
    schemas = requirement_schemas()
    errors, cleaned = {}, {}
    for key, value in requirements.items():
        schema = schemas.get(key)
        if schema is None:
            errors[key] = [FieldMessage(
                f"No enabled plugin validates requirements '{key}' (known: {', '.join(sorted(schemas)) or 'none'}).",
                f"Geen ingeschakelde module controleert eisen '{key}' (bekend: "
                f"{', '.join(sorted(schemas)) or 'geen'}).")]
            continue
        try:
            cleaned[key] = schema().load(value)
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise Invalid({"requirements": [errors]})
    activity.requirements = {k: schemas[k]().dump(v) for k, v in cleaned.items()}


def prepare_cell(cell, data: dict, is_new: bool) -> None:
    check_effective_from(CellVersion, CellVersion.cell_id, cell.id, data.get("effective_from"))
    # The schema sees only the body: a PATCH adding a device type to a
    # group-scoped cell must be refused here, not by the CHECK constraint.
    if cell.technology_group_id is not None and cell.device_type_id is not None:
        raise Invalid({"device_type_id": [FieldMessage(
            "Scope a cell to a technology group or a device type, not both.",
            "Geef een cel een technologiegroep of een type hulpmiddel als bereik, niet beide.")]})
    same = select(Cell.id).where(
        Cell.role_id == cell.role_id, Cell.activity_id == cell.activity_id,
        Cell.technology_group_id.is_(None) if cell.technology_group_id is None else Cell.technology_group_id == cell.technology_group_id,
        Cell.device_type_id.is_(None) if cell.device_type_id is None else Cell.device_type_id == cell.device_type_id,
    )
    if cell.id is not None:
        same = same.where(Cell.id != cell.id)
    existing = db.session.scalar(same.limit(1))
    if existing is not None:
        raise Conflict(f"This role already has a cell for this activity in this scope (id {existing}); change that one.",
                       message_nl=f"Deze rol heeft voor deze activiteit al een cel met dit bereik (id {existing}); "
                                  "wijzig die.")


def prepare_assignment(assignment, data: dict, is_new: bool) -> None:
    if assignment.valid_to is not None and assignment.valid_to < assignment.valid_from:
        raise Invalid({"valid_to": [FieldMessage("The last day cannot be before valid_from.",
                                                "De laatste dag kan niet vóór de eerste liggen.")]},
                      message_nl="De laatste dag kan niet vóór de eerste liggen.")
    # The same assignment twice (same person, role and first day: a double submit, two
    # clients at once) is refused. Checked under the person's lock, so that two requests
    # at once cannot both pass the check. Overlapping periods stay allowed (a hand-over).
    locks.serialise(f"tvb_assignment:{assignment.staff_id}")
    overlap = select(Assignment.id).where(
        Assignment.staff_id == assignment.staff_id, Assignment.role_id == assignment.role_id,
        Assignment.valid_from == assignment.valid_from)
    if assignment.id is not None:
        overlap = overlap.where(Assignment.id != assignment.id)
    with db.session.no_autoflush:
        existing = db.session.scalar(overlap.limit(1))
    if existing is not None:
        raise Conflict(f"This person already holds this role from {assignment.valid_from.isoformat()} (assignment "
                       f"{existing}); change that one.",
                       message_nl=f"Deze persoon heeft deze rol al vanaf {assignment.valid_from.isoformat()} "
                                  f"(toewijzing {existing}); wijzig die.")


def valid_on(on: dt.date):
    """Assignments held on ``on``: valid_from <= on <= valid_to (valid_to inclusive, empty = open)."""
    return and_(Assignment.valid_from <= on, or_(Assignment.valid_to.is_(None), Assignment.valid_to >= on))


def may_assign(user, staff) -> bool:
    """A TVB administrator assigns everyone; an admin or a manager whom they may edit (a manager: their tree)."""
    from core.auth.permissions import may_edit_staff

    return staff is not None and (user.role == "tvb_admin" or may_edit_staff(user, staff))


def assign(user, staff, role_id: int, valid_from: dt.date, valid_to: dt.date | None) -> Assignment:
    """A person takes up a TVB role, for the API's POST /tvb/assignments and the page alike."""
    if not may_assign(user, staff):
        raise NotFound(f"No staff with id {getattr(staff, 'id', None)} whom you may assign.")
    assignment = Assignment(staff_id=staff.id, role_id=role_id, valid_from=valid_from, valid_to=valid_to)
    prepare_assignment(assignment, {}, True)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def end_assignment(user, assignment_id: int, last_day: dt.date) -> Assignment:
    """The assignment ends on ``last_day`` (inclusive), with the same checks as a PATCH of ``valid_to``."""
    from core.staff.models import Staff

    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not may_assign(user, db.session.get(Staff, assignment.staff_id)):
        raise NotFound(f"No assignment with id {assignment_id}.", message_nl=f"Geen toewijzing met id {assignment_id}.")
    if last_day < assignment.valid_from:  # checked before anything changes
        raise Invalid({"valid_to": [FieldMessage("The last day cannot be before valid_from.",
                                                "De laatste dag kan niet vóór de eerste liggen.")]},
                      message_nl="De laatste dag kan niet vóór de eerste liggen.")
    assignment.valid_to = last_day
    db.session.flush()
    return assignment
