"""Staff list and profile; a technician's own profile is their self-service page."""
from __future__ import annotations

import datetime as dt

from flask import g, render_template, request
from sqlalchemy import func, or_, select

from core.audit.models import AuditEntry
from core.auth.permissions import AUDIT_READERS, department_tree, may_edit_staff, staff_clause
from core.competence.models import Competence
from core.decision.services import activity_or_invalid, can_perform, device_type_or_invalid
from core.devices.models import DeviceType
from core.extensions import db
from core.plugins_runtime import profile_panels_by_plugin, staff_summaries
from core.staff.models import Department, Staff
from core.tvb.models import Activity, Assignment, Role
from core.tvb.services import may_assign
from core.web.access import visible_staff
from core.web.forms import role_form
from core.web.blueprint import blp
from core.web.panels import rendered
from core.web.util import arg_date, arg_int, paginate_query
from core.web.views.device_types import technology_groups

AUDIT_ROLES = AUDIT_READERS  # as GET /api/v1/audit
AUDIT_LIMIT = 50


def departments():
    return db.session.execute(select(Department.id, Department.name).order_by(Department.name)).all()


@blp.route("/staff")
def staff_list():
    stmt = select(Staff, Department.name.label("department")).outerjoin(Department, Department.id == Staff.department_id)
    clause = staff_clause(g.user)
    if clause is not None:
        stmt = stmt.where(clause)
    q = request.args.get("q", "").strip()
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(Staff.name).like(like), func.lower(Staff.employee_number).like(like),
                              func.lower(Staff.company).like(like)))
    department_id = arg_int("department_id")
    if department_id is not None:
        stmt = stmt.where(Staff.department_id.in_(department_tree(department_id)))
    show = request.args.get("show", "active")
    if show == "active":
        stmt = stmt.where(Staff.active.is_(True))
    page = paginate_query(stmt.order_by(Staff.name, Staff.id), scalars=False)
    return render_template("staff_list.html", page=page, q=q, department_id=department_id, show=show,
                           departments=departments())


@blp.route("/staff/<int:staff_id>")
def staff_profile(staff_id):
    return render_profile(visible_staff(staff_id))


def render_profile(staff: Staff, status: int = 200):
    """The profile page; a plugin's form refused by its own route comes back through here (``status`` 422)."""
    today = dt.date.today()
    department = db.session.get(Department, staff.department_id) if staff.department_id else None
    competences = db.session.execute(
        select(Competence, DeviceType, Activity.name.label("activity"))
        .outerjoin(DeviceType, DeviceType.id == Competence.device_type_id)
        .outerjoin(Activity, Activity.id == Competence.activity_id)
        .where(Competence.staff_id == staff.id)
        .order_by(DeviceType.manufacturer, DeviceType.model, Competence.role, Competence.obtained_on.desc())).all()
    assignments = db.session.execute(
        select(Assignment, Role.name).join(Role, Role.id == Assignment.role_id)
        .where(Assignment.staff_id == staff.id).order_by(Assignment.valid_from.desc())).all()
    device_types, own_device_types_only = check_device_types(staff.id, None)
    by_plugin = profile_panels_by_plugin(staff, g.user, today)
    panels = sorted((panel for found in by_plugin.values() for panel in found), key=lambda panel: panel.order)
    # A plugin with panels shows its summary there; the others' summaries get a card of their own.
    summaries = staff_summaries(staff.id, today, skip={name for name, found in by_plugin.items() if found})
    return render_template(
        "staff_profile.html", staff=staff, department=department, today=today, competences=competences,
        assignments=assignments, summaries=summaries,
        panels=rendered(panels, staff=staff, today=today, viewer=g.user),
        may_edit=may_edit_staff(g.user, staff), audit=_audit(staff.id, competences, assignments),
        **_role_form(staff),
        activities=db.session.scalars(select(Activity).order_by(Activity.name)).all(),
        groups=technology_groups(), device_types=device_types, own_device_types_only=own_device_types_only), status


def _role_form(staff: Staff) -> dict:
    """The profile's "assign a role" form for whoever may assign this person (a refused one with its errors)."""
    if not may_assign(g.user, staff):
        return {"role_form": None, "role_errors": [], "may_assign": False}
    return {"role_form": role_form(g.pop("role_form", None)), "role_errors": g.pop("role_form_errors", []),
            "may_assign": True}


# Up to this many device types the "may this person …" check offers them all; a
# university hospital has 3,000, so there it offers the person's own and, by
# technology group, the rest (a select of 3,000 was 170 KB on every profile).
ALL_DEVICE_TYPES_UP_TO = 300


def check_device_types(staff_id: int, group_id: int | None) -> tuple[list, bool]:
    """The device types the check offers, and whether they are only the person's own.

    A technology group's types; without a group all of them when they are few,
    else the types the person holds a record for.
    """
    stmt = select(DeviceType.id, DeviceType.manufacturer, DeviceType.model).order_by(
        DeviceType.manufacturer, DeviceType.model)
    if group_id is not None:
        return db.session.execute(stmt.where(DeviceType.technology_group_id == group_id)).all(), False
    if db.session.scalar(select(func.count()).select_from(DeviceType)) <= ALL_DEVICE_TYPES_UP_TO:
        return db.session.execute(stmt).all(), False
    held = select(Competence.device_type_id).where(Competence.staff_id == staff_id)
    return db.session.execute(stmt.where(DeviceType.id.in_(held))).all(), True


@blp.route("/staff/<int:staff_id>/device-type-options")
def staff_device_type_options(staff_id):
    """The check's device-type ``<option>``s for a technology group (an htmx fragment)."""
    staff = visible_staff(staff_id)
    return render_template("partials/device_type_options.html",
                           device_types=check_device_types(staff.id, arg_int("technology_group_id"))[0])


def _audit(staff_id: int, competences, assignments) -> list | None:
    if g.user.role not in AUDIT_ROLES:
        return None
    subjects = [(AuditEntry.entity == "staff") & (AuditEntry.entity_id == staff_id)]
    competence_ids = [row.Competence.id for row in competences]
    assignment_ids = [row.Assignment.id for row in assignments]
    if competence_ids:
        subjects.append((AuditEntry.entity == "competence") & AuditEntry.entity_id.in_(competence_ids))
    if assignment_ids:
        subjects.append((AuditEntry.entity == "tvb_assignment") & AuditEntry.entity_id.in_(assignment_ids))
    return db.session.scalars(select(AuditEntry).where(or_(*subjects))
                              .order_by(AuditEntry.id.desc()).limit(AUDIT_LIMIT)).all()


@blp.route("/staff/<int:staff_id>/can-perform")
def staff_can_perform(staff_id):
    """The "may this person do X on device Y?" answer with its reasons (an htmx fragment)."""
    staff = visible_staff(staff_id)
    activity = activity_or_invalid(arg_int("activity_id"))
    device_type = None
    if arg_int("device_type_id") is not None:
        device_type = device_type_or_invalid(arg_int("device_type_id"))
    on = arg_date("on", default=dt.date.today())
    decision = can_perform(staff.id, activity, device_type, on)
    template = "partials/decision.html" if request.headers.get("HX-Request") else "decision_page.html"
    return render_template(template, decision=decision, staff=staff, activity=activity,
                           device_type=device_type, on=on)
