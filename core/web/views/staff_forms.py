"""Adding and editing people, and their TVB roles, on the pages.

A person is written as POST/PATCH /api/v1/staff writes them (``crud.save`` with
the API's resource: the schema, unique employee numbers, ``check_staff`` and
the write check: a manager only within their department tree, an admin
anywhere). A role is assigned and ended by the services behind
/api/v1/tvb/assignments (``assign``, ``end_assignment``); ending asks for a
confirmation first.
"""
from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core import crud
from core.auth.permissions import managed_departments
from core.errors import DomainError, NotFound
from core.extensions import db
from core.staff.api import STAFF
from core.staff.models import Department, Staff
from core.staff.schemas import StaffSchema
from core.tvb.models import Assignment, Role
from core.tvb.services import assign, end_assignment, may_assign
from core.web.access import visible_staff
from core.web.blueprint import blp
from core.web.formats import datum
from core.web.views.staff import render_profile
from core.web.forms import EndRoleForm, StaffForm, choices, role_form
from core.web.writes import load, refused, staff_by_number

STAFF_FIELDS = {"manager_id": "manager_number"}


def _department_choices(form) -> None:
    stmt = select(Department.id, Department.name).order_by(Department.name)
    first = choices([("", _("no department"))])
    if g.user.role == "manager":  # only the departments they may place people in, and one is needed
        stmt, first = stmt.where(Department.id.in_(managed_departments(g.user))), []
    form.department_id.choices = first + choices(db.session.execute(stmt).all())


def _staff_page(form, staff=None, status=200, errors=()):
    return render_template("staff_form.html", form=form, staff=staff, errors=list(errors)), status


def _save_staff(form, staff: Staff | None):
    """Validate, then the API's write; the page again with each refusal beside its field (422), or the profile."""
    _department_choices(form)
    if not form.validate_on_submit():
        db.session.rollback()
        return _staff_page(form, staff, 422)
    manager = staff_by_number(form.manager_number.data)
    if form.manager_number.data and form.manager_number.data.strip() and manager is None:
        form.manager_number.errors = list(form.manager_number.errors) + [_("No person with this employee number.")]
        return _staff_page(form, staff, 422)
    payload = {"employee_number": form.employee_number.data.strip(), "name": form.name.data.strip(),
               "email": (form.email.data or "").strip() or None, "department_id": form.department_id.data,
               "manager_id": manager.id if manager else None, "employment_type": form.employment_type.data,
               "company": (form.company.data or "").strip() or None, "active": bool(form.active.data),
               "start_date": form.start_date.data.isoformat() if form.start_date.data else None}
    data, rest = load(StaffSchema, payload, form, STAFF_FIELDS)
    if data is not None:
        try:
            if staff is None:
                staff = crud.save(STAFF, Staff(), data, is_new=True)
                flash(_("Person added."), "success")
            else:
                crud.save(STAFF, crud.get_visible(STAFF, staff.id, for_update=True), data, is_new=False)
                flash(_("Person saved."), "success")
        except DomainError as exc:
            rest = refused(form, exc, STAFF_FIELDS)
        else:
            return redirect(url_for("web.staff_profile", staff_id=staff.id))
    db.session.rollback()
    return _staff_page(form, staff, 422, rest)


@blp.route("/staff/new", methods=["GET", "POST"])
def staff_new():
    form = StaffForm()
    if request.method == "POST":
        return _save_staff(form, None)
    _department_choices(form)
    if g.user.role == "manager":
        form.department_id.data = g.user.department_id
    return _staff_page(form)


@blp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
def staff_edit(staff_id):
    staff = visible_staff(staff_id)  # the route's guard refused a manager outside their tree
    if request.method == "POST":
        return _save_staff(StaffForm(), staff)
    form = StaffForm(obj=staff)
    manager = db.session.get(Staff, staff.manager_id) if staff.manager_id else None
    form.manager_number.data = manager.employee_number if manager else ""
    _department_choices(form)
    return _staff_page(form, staff)


# --- TVB roles from the profile ------------------------------------------------------------------------


@blp.route("/staff/<int:staff_id>/roles", methods=["POST"])
def staff_role_assign(staff_id):
    """The person takes up a TVB role: ``assign``, as POST /api/v1/tvb/assignments."""
    staff = visible_staff(staff_id)
    form = role_form()
    if form.validate_on_submit():
        try:
            assign(g.user, staff, form.role_id.data, form.valid_from.data, form.valid_to.data)
        except NotFound:
            raise
        except DomainError as exc:
            g.role_form_errors = refused(form, exc)
        else:
            flash(_("Role assigned."), "success")
            return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor="roles"))
    db.session.rollback()
    g.role_form = form
    return render_profile(staff, 422)


def _assignment_of(staff: Staff, assignment_id: int) -> tuple[Assignment, str]:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.staff_id != staff.id or not may_assign(g.user, staff):
        raise NotFound(f"No assignment with id {assignment_id}.", message_nl=f"Geen toewijzing met id {assignment_id}.")
    return assignment, db.session.get(Role, assignment.role_id).name


@blp.route("/staff/<int:staff_id>/roles/<int:assignment_id>/end", methods=["GET", "POST"])
def staff_role_end(staff_id, assignment_id):
    """End a role: first a page that says what ends when, then ``end_assignment`` once confirmed."""
    staff = visible_staff(staff_id)
    assignment, role_name = _assignment_of(staff, assignment_id)
    form = EndRoleForm()
    if request.method == "GET":
        form.valid_to.data = max(dt.date.today(), assignment.valid_from)
        return _end_page(staff, assignment, role_name, form)
    if not form.validate_on_submit():
        db.session.rollback()
        return _end_page(staff, assignment, role_name, form, 422)
    if form.confirm.data != "yes":  # not confirmed yet: the same page, nothing written
        return _end_page(staff, assignment, role_name, form)
    try:
        end_assignment(g.user, assignment.id, form.valid_to.data)
    except NotFound:
        raise
    except DomainError as exc:
        db.session.rollback()
        errors = refused(form, exc)
        return _end_page(staff, assignment, role_name, form, 422, errors)
    flash(_("Role %(role)s ends on %(date)s.", role=role_name, date=datum(form.valid_to.data)),
          "success")
    return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor="roles"))


def _end_page(staff, assignment, role_name, form, status=200, errors=()):
    return render_template("role_end.html", staff=staff, assignment=assignment, role_name=role_name, form=form,
                           errors=list(errors)), status
