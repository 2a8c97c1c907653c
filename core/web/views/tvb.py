"""The TVB matrix editor (roles × activities, T/V/B per scope), assignments, and the XLSX export."""
from __future__ import annotations

import datetime as dt
import io

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from core.auth.permissions import ASSIGNERS, TVB_WRITERS, staff_clause, visible_staff_ids
from core.devices.models import DeviceType, TechnologyGroup
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity, Assignment, Cell, Role
from core.tvb.schemas import LETTERS
from core.errors import DomainError
from core.tvb.services import assign, end_assignment, may_assign, prepare_cell, valid_on
from core.web.access import require_role
from core.web.blueprint import blp
from core.web.errors import error_text, flash_error
from core.web.forms import AssignmentForm, choices
from core.web.util import arg_int, paginate_list, paginate_query
from core.web.views.device_types import search_device_types
from core import safe_cells
from core.safe_cells import put
from core.web.xlsx import named_style

# A page of the matrix: 25 roles × every activity (a university hospital has 200
# roles × 80 activities: all 16,000 cells on one page were 6 MB of HTML).
ROLES_PER_PAGE = 25
CELL_WRITERS = TVB_WRITERS  # as /api/v1/tvb/cells


def _scopes() -> dict:
    groups = {gid: (code, name) for gid, code, name in db.session.execute(
        select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name))}
    # Only the types a cell names (a large hospital has 3,000 types, its cells name a few).
    types = {tid: f"{m} {mo}" for tid, m, mo in db.session.execute(
        select(DeviceType.id, DeviceType.manufacturer, DeviceType.model)
        .where(DeviceType.id.in_(select(Cell.device_type_id).where(Cell.device_type_id.is_not(None)))))}
    return {"groups": groups, "types": types}


def scope_label(cell: Cell, scopes: dict) -> str:
    if cell.device_type_id is not None:
        return scopes["types"].get(cell.device_type_id, f"#{cell.device_type_id}")
    if cell.technology_group_id is not None:
        code, _name = scopes["groups"].get(cell.technology_group_id, ("?", ""))
        return _("TG %(code)s", code=code)
    return _("all")


def _cells_by_pair() -> dict:
    pairs: dict[tuple[int, int], list[Cell]] = {}
    for cell in db.session.scalars(select(Cell).order_by(Cell.technology_group_id, Cell.device_type_id, Cell.id)):
        pairs.setdefault((cell.role_id, cell.activity_id), []).append(cell)
    return pairs


def grouped(cells: list[Cell], scopes: dict) -> list[tuple[str, list[str]]]:
    """Cells with the same letters shown together: [("TVB", ["TG 1", "TG 3"]), ...]."""
    out: dict[str, list[str]] = {}
    for cell in cells:
        out.setdefault(cell.letters, []).append(scope_label(cell, scopes))
    return sorted(out.items(), key=lambda item: (-len(item[0]), item[0]))


@blp.route("/tvb")
def tvb():
    roles = db.session.scalars(select(Role).order_by(Role.name)).all()
    activities = db.session.scalars(select(Activity).order_by(Activity.lifecycle_phase.is_(None),
                                                              Activity.lifecycle_phase, Activity.name)).all()
    stmt = (select(Assignment, Staff.name, Role.name).join(Staff, Staff.id == Assignment.staff_id)
            .join(Role, Role.id == Assignment.role_id))
    ids = visible_staff_ids(g.user)
    if ids is not None:
        stmt = stmt.where(Assignment.staff_id.in_(ids))
    role_filter = arg_int("role_id")
    if role_filter is not None:
        stmt = stmt.where(Assignment.role_id == role_filter)
    current = request.args.get("current", "1") == "1"
    if current:
        stmt = stmt.where(valid_on(dt.date.today()))
    assignments = paginate_query(stmt.order_by(Role.name, Staff.name, Assignment.valid_from), scalars=False)
    return render_template("tvb.html", roles=roles, role_page=paginate_list(roles, ROLES_PER_PAGE, "roles_page"),
                           activities=activities, pairs=_cells_by_pair(),
                           scopes=_scopes(), grouped=grouped, assignments=assignments, role_filter=role_filter,
                           current=current, form=_assignment_form() if g.user.role in ASSIGNERS else None,
                           # Translated once for every cell of the page (see partials/tvb_cell.html).
                           edit_text=_("Edit"), edit_aria=_("Edit %(role)s × %(activity)s"),
                           today=dt.date.today())


def _pair(role_id: int, activity_id: int) -> tuple[Role, Activity]:
    role, activity = db.session.get(Role, role_id), db.session.get(Activity, activity_id)
    if role is None or activity is None:
        abort(404, description="No such role or activity.")
    return role, activity


def _cells(role_id: int, activity_id: int) -> list[Cell]:
    return list(db.session.scalars(select(Cell).where(Cell.role_id == role_id, Cell.activity_id == activity_id)
                                   .order_by(Cell.technology_group_id, Cell.device_type_id, Cell.id)))


def _render_cell(role, activity, editing=False, error=None):
    scopes = _scopes()
    template = "partials/tvb_cell_edit.html" if editing else "partials/tvb_cell.html"
    context = {"role": role, "activity": activity, "cells": _cells(role.id, activity.id), "scopes": scopes,
               "grouped": grouped, "scope_label": scope_label, "error": error, "letters": LETTERS}
    if editing:
        context["groups"] = db.session.execute(select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name)
                                               .order_by(TechnologyGroup.code)).all()
        # Device types are searched as one types (tvb_device_type_suggestions), not listed:
        # a large hospital's 3,000 options were most of the cell editor's bytes.
    return render_template(template, **context)


@blp.route("/tvb/cells/<int:role_id>/<int:activity_id>")
def tvb_cell(role_id, activity_id):
    role, activity = _pair(role_id, activity_id)
    return _render_cell(role, activity)


@blp.route("/tvb/cells/<int:role_id>/<int:activity_id>/edit")
def tvb_cell_edit(role_id, activity_id):
    require_role(*CELL_WRITERS)
    role, activity = _pair(role_id, activity_id)
    return _render_cell(role, activity, editing=True)


def _letters(values) -> str:
    return "".join(letter for letter in LETTERS if letter in values)


def _new_cell(role, activity) -> Cell | None:
    scope = request.form.get("new_scope", "") or request.form.get("new_device_type", "")
    letters = _letters(request.form.getlist("new_letters"))
    if not scope or not letters:
        return None
    cell = Cell(role_id=role.id, activity_id=activity.id, letters=letters)
    kind, _sep, ident = scope.partition(":")
    if kind == "tg" and ident.isdigit() and db.session.get(TechnologyGroup, int(ident)):
        cell.technology_group_id = int(ident)
    elif kind == "dt" and ident.isdigit() and db.session.get(DeviceType, int(ident)):
        cell.device_type_id = int(ident)
    elif kind != "all":
        abort(422, description="Unknown scope.")
    return cell


@blp.route("/tvb/cells/<int:role_id>/<int:activity_id>", methods=["POST"])
def tvb_cell_save(role_id, activity_id):
    """Save the letters of every scope of one role × activity; no letters left removes that scope."""
    require_role(*CELL_WRITERS)
    role, activity = _pair(role_id, activity_id)
    if request.form.get("new_scope") and request.form.get("new_device_type"):
        # Two scopes for one new cell: which was meant cannot be told, so nothing is saved.
        return _render_cell(role, activity, editing=True,
                            error=_("Choose either a scope or a device type for the new cell, not both."))
    new = _new_cell(role, activity)
    if new is not None:
        try:
            prepare_cell(new, {}, True)  # one cell per scope: refused before anything changes
        except DomainError as exc:
            return _render_cell(role, activity, editing=True, error=error_text(exc))
    for cell in _cells(role.id, activity.id):
        letters = _letters(request.form.getlist(f"letters_{cell.id}"))
        if not letters:
            db.session.delete(cell)
        elif letters != cell.letters:
            cell.letters = letters
    if new is not None:
        db.session.add(new)
    db.session.flush()
    if request.headers.get("HX-Request"):
        return _render_cell(role, activity)
    return redirect(url_for("web.tvb"))


SUGGESTIONS = 20


@blp.route("/tvb/device-type-suggestions")
def tvb_device_type_suggestions():
    """At most SUGGESTIONS ``<option>``s for the cell editor: device types whose manufacturer, model
    or name holds every word typed (two characters at least)."""
    require_role(*CELL_WRITERS)
    typed = (request.args.get("device_type_search") or "").strip()
    return render_template("partials/tvb_device_type_options.html", types=search_device_types(typed, SUGGESTIONS),
                           typed=typed)


def _assignable_staff():
    """Whom the user may assign: a TVB administrator everyone active, others their own tree."""
    stmt = select(Staff.id, Staff.name, Staff.employee_number).where(Staff.active.is_(True))
    clause = None if g.user.role == "tvb_admin" else staff_clause(g.user)
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt


def _assignment_form(form: AssignmentForm | None = None) -> AssignmentForm:
    form = form or AssignmentForm()
    form.role_id.choices = choices(db.session.execute(select(Role.id, Role.name).order_by(Role.name)))
    return form


@blp.route("/tvb/staff-suggestions")
def tvb_staff_suggestions():
    """``<option>``s for the person field's datalist: name or employee number containing what was typed."""
    require_role(*ASSIGNERS)
    typed = (request.args.get("staff_number") or "").strip()
    people = []
    if len(typed) >= 2:
        people = db.session.execute(
            _assignable_staff().where(or_(Staff.name.icontains(typed, autoescape=True),
                                          Staff.employee_number.icontains(typed, autoescape=True)))
            .order_by(Staff.name).limit(SUGGESTIONS)).all()
    return render_template("partials/staff_options.html", people=people)


@blp.route("/tvb/assignments", methods=["POST"])
def tvb_assign():
    require_role(*ASSIGNERS)
    form = _assignment_form()
    if not form.validate_on_submit():
        flash(_("The assignment was not saved: %(errors)s",
                errors="; ".join(f"{form[k].label.text}: {', '.join(v)}" for k, v in form.errors.items())), "error")
        return redirect(url_for("web.tvb", _anchor="assignments"))
    number = form.staff_number.data.strip()
    staff = db.session.scalar(select(Staff).where(Staff.employee_number == number))
    if staff is None or not staff.active or not may_assign(g.user, staff):
        # The same answer for "unknown" and "not yours": no probing of other departments.
        flash(_("No person with employee number %(number)s whom you may assign.", number=number), "error")
        return redirect(url_for("web.tvb", _anchor="assignments"))
    try:  # the same service as POST /api/v1/tvb/assignments: the same checks, the same lock
        assign(g.user, staff, form.role_id.data, form.valid_from.data, form.valid_to.data)
    except DomainError as exc:
        db.session.rollback()
        flash_error(exc)
        return redirect(url_for("web.tvb", _anchor="assignments"))
    flash(_("Assignment saved."), "success")
    return redirect(url_for("web.tvb", _anchor="assignments"))


@blp.route("/tvb/assignments/<int:assignment_id>/end", methods=["POST"])
def tvb_assignment_end(assignment_id):
    require_role(*ASSIGNERS)
    try:
        last_day = dt.date.fromisoformat(request.form.get("valid_to", ""))
    except ValueError:
        last_day = dt.date.today()
    try:
        end_assignment(g.user, assignment_id, last_day)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash_error(exc)
    else:
        flash(_("Assignment ended."), "success")
    return redirect(url_for("web.tvb", _anchor="assignments"))


@blp.route("/tvb.xlsx")
def tvb_xlsx():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    roles = db.session.scalars(select(Role).order_by(Role.name)).all()
    activities = db.session.scalars(select(Activity).order_by(Activity.name)).all()
    pairs, scopes = _cells_by_pair(), _scopes()
    book = Workbook()
    sheet = book.active
    sheet.title = _("TVB matrix")[:31]
    wrapped = named_style(book, "bekwaam-wrapped", alignment=Alignment(wrap_text=True, vertical="top"))
    heading = named_style(book, "bekwaam-heading", font=Font(bold=True),
                          alignment=Alignment(wrap_text=True, vertical="top"))
    for column, title in enumerate([_("Role")] + [a.name for a in activities], start=1):
        put(sheet, 1, column, title).style = heading
    for number, role in enumerate(roles, start=2):
        put(sheet, number, 1, role.name).style = wrapped
        for column, activity in enumerate(activities, start=2):
            parts = grouped(pairs.get((role.id, activity.id), []), scopes)
            text = "\n".join(f"{letters} ({', '.join(where)})" for letters, where in parts)
            put(sheet, number, column, text).style = wrapped
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 36
    people = book.create_sheet(_("Assignments"))
    safe_cells.append(people, [_("Employee number"), _("Name"), _("Role"), _("From"), _("Up to and including")])
    stmt = (select(Staff.employee_number, Staff.name, Role.name, Assignment.valid_from, Assignment.valid_to)
            .join(Staff, Staff.id == Assignment.staff_id).join(Role, Role.id == Assignment.role_id))
    ids = visible_staff_ids(g.user)
    if ids is not None:
        stmt = stmt.where(Assignment.staff_id.in_(ids))
    for row in db.session.execute(stmt.order_by(Role.name, Staff.name, Assignment.valid_from)):
        safe_cells.append(people, list(row))
    for cell in people[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=f"tvb-matrix-{dt.date.today().isoformat()}.xlsx")
