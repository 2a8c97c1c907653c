"""Recording competences on the pages: one person's (new, or a renewal) and a training session's.

The same writes as POST /api/v1/competences (``core.competence.recording``):
the schema, the references, ``services.prepare`` (nobody assesses their own
competence; the plugin that owns a requirement computes the expiry) and the
write check (a manager only in their own department tree).
"""
from __future__ import annotations

import datetime as dt
import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from core.auth.permissions import department_tree, managed_departments, staff_clause
from core.competence.recording import COMPETENCES, SessionRefused, record, record_session
from core.competence.schemas import CompetenceSchema
from core.crud import get_visible
from core.devices.models import DeviceType
from core.errors import DomainError
from core.extensions import db
from core.staff.models import Department, Staff
from core.web.access import visible_staff
from core.web.blueprint import blp
from core.web.formats import datum
from core.web.forms import CompetenceForm, TrainingSessionForm, choices
from core.web.util import arg_int
from core.web.views.device_types import search_device_types
from core.web.writes import load, message, refused, staff_by_number

SUGGESTIONS = 20
# The employee numbers pasted into a session: separated by spaces, commas, semicolons or lines.
NUMBER_SEPARATORS = re.compile(r"[\s,;]+")


# --- suggestions as one types -------------------------------------------------------------------


@blp.route("/device-types/suggestions")
def device_type_suggestions():
    """``<option>``s of device types for a write form's device-type select (an htmx fragment)."""
    typed = (request.args.get("device_type_search") or "").strip()
    return render_template("partials/device_type_choice_options.html", types=search_device_types(typed),
                           typed=typed)


@blp.route("/staff/suggestions")
def staff_suggestions():
    """``<option>``s for a person field's datalist: visible active people whose name or number holds what was typed."""
    typed = next((v.strip() for k, v in request.args.items() if k.endswith("number") and v.strip()), "")
    people = []
    if len(typed) >= 2:
        stmt = select(Staff.id, Staff.name, Staff.employee_number).where(
            Staff.active.is_(True), or_(Staff.name.icontains(typed, autoescape=True),
                                        Staff.employee_number.icontains(typed, autoescape=True)))
        clause = staff_clause(g.user)
        if clause is not None:
            stmt = stmt.where(clause)
        people = db.session.execute(stmt.order_by(Staff.name).limit(SUGGESTIONS)).all()
    return render_template("partials/staff_options.html", people=people)


# --- one person's competence ------------------------------------------------------------------------


def _device_type_choices(form) -> bool:
    """The select offers the type chosen (or submitted) only: the rest come from the suggestions.
    False when a type was submitted that does not exist."""
    chosen = form.device_type_id.data
    form.device_type_id.choices = choices([("", "–")])
    if chosen is None:
        return True
    found = db.session.execute(select(DeviceType.id, DeviceType.manufacturer, DeviceType.model, DeviceType.name)
                               .where(DeviceType.id == chosen)).first()
    if found is not None:
        form.device_type_id.choices += choices([(found.id, f"{found.manufacturer} {found.model} ({found.name})")])
    return found is not None


def _validate(form) -> bool:
    """The form's own checks, and the device type chosen exists."""
    valid = form.validate_on_submit()
    if not _device_type_choices(form):
        form.device_type_id.errors = list(form.device_type_id.errors) + [_("Choose a device type.")]
        valid = False
    return valid


def competence_payload(form) -> tuple[dict | None, list[str]]:
    """The form's values as the API's body, through ``CompetenceSchema`` (without the person)."""
    rest = []
    assessor = staff_by_number(form.assessor_number.data)
    if form.assessor_number.data and form.assessor_number.data.strip() and assessor is None:
        form.assessor_number.errors = list(form.assessor_number.errors) + [_("No person with this employee number.")]
    payload = {"staff_id": 0, "device_type_id": form.device_type_id.data, "role": form.role.data,
               "method": form.method.data, "obtained_on": _iso(form.obtained_on.data),
               "assessor_id": assessor.id if assessor else None, "expires_on": _iso(form.expires_on.data),
               "evidence": (form.evidence.data or "").strip() or None}
    data, rest = load(CompetenceSchema, payload, form, {"assessor_id": "assessor_number"})
    if data is None or form.errors:
        return None, rest
    data.pop("staff_id")
    return data, rest


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _saved_text(competence) -> str:
    if competence.expires_on is None:
        return _("Competence recorded (no expiry).")
    return _("Competence recorded; it expires on %(date)s.", date=datum(competence.expires_on))


def _record_page(staff: Staff, form, renewing=None, status: int = 200, errors=()):
    _device_type_choices(form)
    return render_template("competence_form.html", staff=staff, form=form, renewing=renewing, errors=list(errors),
                           today=dt.date.today()), status


def _submit(staff: Staff, form, renewing=None):
    if _validate(form):
        data, rest = competence_payload(form)
        if data is not None:
            try:
                competence = record({**data, "staff_id": staff.id})
            except DomainError as exc:
                rest = refused(form, exc, {"assessor_id": "assessor_number"})
            else:
                flash(_saved_text(competence), "success")
                return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor="competences"))
        db.session.rollback()
        return _record_page(staff, form, renewing, 422, rest)
    db.session.rollback()
    return _record_page(staff, form, renewing, 422)


@blp.route("/staff/<int:staff_id>/competences/new", methods=["GET", "POST"])
def competence_new(staff_id):
    staff = visible_staff(staff_id)  # the route's guard refused the person to anyone who may not edit them
    form = CompetenceForm()
    if request.method == "POST":
        return _submit(staff, form)
    form.obtained_on.data = dt.date.today()
    return _record_page(staff, form)


@blp.route("/staff/<int:staff_id>/competences/<int:competence_id>/renew", methods=["GET", "POST"])
def competence_renew(staff_id, competence_id):
    """A renewal is a new record, prefilled from the old one; the old one keeps its history."""
    staff = visible_staff(staff_id)
    old = get_visible(COMPETENCES, competence_id)
    if old.staff_id != staff.id or old.device_type_id is None:
        abort(404)
    form = CompetenceForm()
    if request.method == "POST":
        return _submit(staff, form, renewing=old)
    form.device_type_id.data, form.role.data, form.method.data = old.device_type_id, old.role, old.method
    form.obtained_on.data = dt.date.today()
    assessor = db.session.get(Staff, old.assessor_id) if old.assessor_id else None
    form.assessor_number.data = assessor.employee_number if assessor else ""
    return _record_page(staff, form, renewing=old)


# --- a training session: one type, one day, one assessor, many people -----------------------------------


def _session_departments() -> list:
    stmt = select(Department.id, Department.name).order_by(Department.name)
    if g.user.role == "manager":
        stmt = stmt.where(Department.id.in_(managed_departments(g.user)))
    return db.session.execute(stmt).all()


def _department_people(department_id: int | None) -> list:
    """The active people of the department (and those below it) whom the user may see, for the checklist."""
    if department_id is None:
        return []
    stmt = select(Staff.id, Staff.name, Staff.employee_number).where(
        Staff.active.is_(True), Staff.department_id.in_(department_tree(department_id)))
    clause = staff_clause(g.user)
    if clause is not None:
        stmt = stmt.where(clause)
    return db.session.execute(stmt.order_by(Staff.name).limit(500)).all()


def _session_page(form, department_id, status=200, errors=(), refusals=()):
    _device_type_choices(form)
    departments = _session_departments()
    if department_id is None and g.user.role == "manager" and departments:
        department_id = g.user.department_id or departments[0].id
    return render_template("training_session.html", form=form, departments=departments, department_id=department_id,
                           people=_department_people(department_id), chosen=set(form.people.data or []),
                           errors=list(errors), refusals=refusals, today=dt.date.today()), status


@blp.route("/competences/session", methods=["GET", "POST"])
def training_session():
    """All or nothing: when one person is refused nothing is written, and each refused person is named."""
    form = TrainingSessionForm()
    department_id = arg_int("department_id") or arg_int("department_id", request.form)
    if request.method == "GET":
        form.obtained_on.data = dt.date.today()
        return _session_page(form, department_id)
    numbers = list(form.people.data or []) + [n for n in NUMBER_SEPARATORS.split(form.numbers.data or "") if n]
    if not _validate(form):
        db.session.rollback()
        return _session_page(form, department_id, 422)
    data, rest = competence_payload(form)
    if data is None:
        db.session.rollback()
        return _session_page(form, department_id, 422, rest)
    try:
        written = record_session(g.user, numbers, data)
    except SessionRefused as exc:
        refusals = [(r.number, r.name, [message(m) for m in r.reasons]) for r in exc.refusals]
        return _session_page(form, department_id, 422, [_("Nothing was recorded: correct or remove the people below.")],
                             refusals)
    except DomainError as exc:
        db.session.rollback()
        rest = refused(form, exc)
        return _session_page(form, department_id, 422, rest)
    flash(_("Training session recorded for %(n)s people.", n=len(written)), "success")
    return redirect(url_for("web.training_session", department_id=department_id))
