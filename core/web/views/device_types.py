"""Device types: list, and per type the release checklist, the plugins' panels and who may work on it."""
from __future__ import annotations

import datetime as dt

from flask import g, render_template, request
from sqlalchemy import func, or_, select

from core.auth.models import User
from core.auth.permissions import HOSPITAL_WIDE_WRITERS, staff_clause
from core.competence.models import Competence, expiry_status
from core.decision.services import activity_or_invalid, authorised_staff, device_type_or_not_found
from core.devices.models import Device, DeviceType, DeviceTypePhase, TechnologyGroup
from core.extensions import db
from core.plugins_runtime import device_type_panels, release_blockers
from core.staff.models import Staff
from core.tvb.models import Activity
from core.web.blueprint import blp
from core.web.forms import PHASES, PhaseForm
from core.web.panels import rendered
from core.web.util import arg_date, arg_int, paginate_query


def technology_groups():
    return db.session.execute(select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name,
                                     TechnologyGroup.name_en).order_by(TechnologyGroup.code)).all()


@blp.route("/device-types")
def device_types():
    stmt = select(DeviceType, TechnologyGroup.code, TechnologyGroup.name, TechnologyGroup.name_en).join(
        TechnologyGroup, TechnologyGroup.id == DeviceType.technology_group_id)
    q = request.args.get("q", "").strip()
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(DeviceType.manufacturer).like(like), func.lower(DeviceType.model).like(like),
                              func.lower(DeviceType.name).like(like)))
    group = arg_int("technology_group_id")
    if group is not None:
        stmt = stmt.where(DeviceType.technology_group_id == group)
    page = paginate_query(stmt.order_by(DeviceType.manufacturer, DeviceType.model), scalars=False)
    return render_template("device_types.html", page=page, q=q, group=group, groups=technology_groups())


@blp.route("/device-types/<int:device_type_id>")
def device_type(device_type_id):
    return render_device_type(device_type_or_not_found(device_type_id))


def render_device_type(device_type: DeviceType, status: int = 200):
    """The page; a plugin's form refused by its own route comes back through here (``status`` 422)."""
    today = dt.date.today()
    group = db.session.get(TechnologyGroup, device_type.technology_group_id)
    devices = db.session.scalar(select(func.count()).select_from(Device).where(Device.device_type_id == device_type.id))
    panels = rendered(device_type_panels(device_type, g.user, today), device_type=device_type, today=today,
                      viewer=g.user)
    return render_template(
        "device_type.html", device_type=device_type, group=group, devices=devices, today=today, panels=panels,
        blockers=release_blockers(device_type, today), competent=_competent(device_type, today),
        activities=db.session.scalars(select(Activity).order_by(Activity.name)).all(),
        phases=_phase_history(device_type.id), phase_names=PHASES, **_phase_form(device_type)), status


def _phase_history(device_type_id: int) -> list:
    """The dated phases of the type, newest first, with who recorded each (Leidraad levensloop)."""
    return db.session.execute(
        select(DeviceTypePhase.phase, DeviceTypePhase.valid_from, User.email)
        .outerjoin(User, User.id == DeviceTypePhase.recorded_by)
        .where(DeviceTypePhase.device_type_id == device_type_id)
        .order_by(DeviceTypePhase.valid_from.desc(), DeviceTypePhase.id.desc())).all()


def _phase_form(device_type: DeviceType) -> dict:
    """The phase form for hospital-wide writers only (a refused one comes back with its errors)."""
    if g.user.role not in HOSPITAL_WIDE_WRITERS:
        return {"phase_form": None, "phase_errors": [], "may_write": False}
    form = g.pop("phase_form", None)
    if form is None:
        form = PhaseForm(formdata=None)
        form.lifecycle_phase.data = device_type.lifecycle_phase
    return {"phase_form": form, "phase_errors": g.pop("phase_errors", []), "may_write": True}


def _competent(device_type: DeviceType, today: dt.date) -> list:
    """Visible active people with a record for this type: their best record per role, as the matrix shows it."""
    latest = func.max(Competence.expires_on)
    stmt = (select(Staff.id, Staff.name, Competence.role, latest.label("expires_on"),
                   (func.count() - func.count(Competence.expires_on)).label("open_ended"))
            .join(Staff, Staff.id == Competence.staff_id)
            .where(Competence.device_type_id == device_type.id, Staff.active.is_(True), Competence.obtained_on <= today)
            .group_by(Staff.id, Staff.name, Competence.role).order_by(Competence.role, Staff.name))
    clause = staff_clause(g.user)
    if clause is not None:
        stmt = stmt.where(clause)
    rows = []
    for row in db.session.execute(stmt):
        expires = None if row.open_ended else row.expires_on
        status = expiry_status(expires, today)
        state = "competent" if status == "valid" else status
        rows.append({"staff_id": row.id, "name": row.name, "role": row.role, "expires_on": expires, "state": state})
    order = {"competent": 0, "expiring": 1, "expired": 2}
    return sorted(rows, key=lambda r: (r["role"], order[r["state"]], r["name"]))


SUGGESTIONS = 20
SEARCH_WORDS = 5


def search_device_types(typed: str, limit: int = SUGGESTIONS) -> list:
    """Device types whose manufacturer, model or name holds every word typed (two characters at least)."""
    typed = (typed or "").strip()
    if len(typed) < 2:
        return []
    stmt = select(DeviceType.id, DeviceType.manufacturer, DeviceType.model, DeviceType.name)
    for word in typed.split()[:SEARCH_WORDS]:
        stmt = stmt.where(or_(DeviceType.manufacturer.icontains(word, autoescape=True),
                              DeviceType.model.icontains(word, autoescape=True),
                              DeviceType.name.icontains(word, autoescape=True)))
    return db.session.execute(stmt.order_by(DeviceType.manufacturer, DeviceType.model, DeviceType.id)
                              .limit(limit)).all()


@blp.route("/device-types/<int:device_type_id>/authorised")
def device_type_authorised(device_type_id):
    """Who may perform an activity on this type on a date, and why (an htmx fragment):
    the same answer as GET /api/v1/device-types/<id>/authorised-staff?include_refused=true."""
    device_type = device_type_or_not_found(device_type_id)
    activity = activity_or_invalid(arg_int("activity_id"))
    on = arg_date("on", default=dt.date.today())
    rows = authorised_staff(g.user, activity, device_type, on, include_refused=True)
    template = "partials/authorised.html" if request.headers.get("HX-Request") else "authorised_page.html"
    return render_template(template, rows=rows, activity=activity, device_type=device_type, on=on)
