"""Staff list and profile; a technician's own profile is their self-service page."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import func, or_, select
from werkzeug.exceptions import HTTPException

from core.audit.models import AuditEntry
from core.auth.permissions import department_tree, may_edit_staff, staff_clause
from core.competence.models import Competence
from core.decision.services import can_perform
from core.devices.models import DeviceType
from core.extensions import db
from core.plugins_runtime import staff_summaries
from core.staff.models import Department, Staff
from core.tvb.models import Activity, Assignment, Role
from core.schemas import FIRST_DAY, LAST_DAY
from core.web import plugins
from core.web.access import visible_staff
from core.web.blueprint import blp
from core.web.util import arg_date, arg_int, paginate_query
from core.web.views import cpd
from core.web.views.device_types import technology_groups

AUDIT_ROLES = ("admin", "auditor")  # as GET /api/v1/audit
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


def render_profile(staff: Staff, cpd_form=None, status: int = 200):
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
    return render_template(
        "staff_profile.html", staff=staff, department=department, today=today, competences=competences,
        assignments=assignments, summaries=staff_summaries(staff.id, today), vzi=_vzi(staff, today),
        may_edit=may_edit_staff(g.user, staff), audit=_audit(staff.id, competences, assignments),
        activities=db.session.scalars(select(Activity).order_by(Activity.name)).all(),
        groups=technology_groups(), device_types=device_types, own_device_types_only=own_device_types_only,
        cpd=cpd.context(staff, today, cpd_form)), status


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


def _vzi(staff: Staff, today: dt.date) -> dict | None:
    """The VZI evaluation with its shortfalls (in the page's language), the forecast of the running
    period and the cancellation of the registration, if the plugin is on."""
    if not plugins.enabled("vzi_mt"):
        return None
    from plugins.vzi_mt import services
    result = services.profile_panel(db.session, staff.id, today, get_locale().language)
    result["may_cancel"] = g.user.role in ("admin", "manager") and may_edit_staff(g.user, staff)
    return result


@blp.route("/staff/<int:staff_id>/vzi/registration-cancellation", methods=["POST"])
def vzi_cancel_registration(staff_id):
    """Opzegging of the VZI registration from the profile (as POST /api/v1/vzi/.../registration-cancellations)."""
    staff = visible_staff(staff_id)
    if not plugins.enabled("vzi_mt"):
        abort(404)
    if g.user.role not in ("admin", "manager") or not may_edit_staff(g.user, staff):
        abort(403)
    from plugins.vzi_mt import services
    texts = services.panel_texts(get_locale().language)
    back = redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor="registrations"))
    try:
        day = dt.date.fromisoformat(request.form.get("cancelled_on", ""))
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        flash(texts["bad_date"], "error")
        return back
    reason = request.form.get("reason", "").strip()[:1000]
    if not reason:
        flash(texts["reason_required"], "error")
        return back
    try:
        services.cancel_registration(db.session, staff.id, day, reason, g.user.id)
    except HTTPException as exc:
        db.session.rollback()
        flash(texts["period_starts"] if exc.code == 409 else texts["nothing_to_cancel"], "error")
        return back
    flash(texts["cancelled"] % {"date": day.isoformat()}, "success")
    return back


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
    activity = db.session.get(Activity, arg_int("activity_id") or 0)
    if activity is None:
        abort(422, description="Choose an activity.")
    device_type = None
    if arg_int("device_type_id") is not None:
        device_type = db.session.get(DeviceType, arg_int("device_type_id"))
        if device_type is None:
            abort(422, description="No such device type.")
    on = arg_date("on", default=dt.date.today())
    decision = can_perform(staff.id, activity, device_type, on)
    template = "partials/decision.html" if request.headers.get("HX-Request") else "decision_page.html"
    return render_template(template, decision=decision, staff=staff, activity=activity,
                           device_type=device_type, on=on)
