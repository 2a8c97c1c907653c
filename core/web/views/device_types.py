"""Device types: list, and per type the screening, requirements, release checklist and who may work on it."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.exceptions import HTTPException

from core.auth.permissions import HOSPITAL_WIDE_WRITERS, staff_clause
from core.competence.models import Competence, expiry_status
from core.decision.services import candidates, decide_many
from core.devices.models import Device, DeviceType, TechnologyGroup
from core.extensions import db
from core.plugins_runtime import release_blockers
from core.staff.models import Staff
from core.tvb.models import Activity
from core.web import plugins
from core.web.access import require_role
from core.web.blueprint import blp
from core.web.forms import ScreeningForm
from core.web.util import arg_date, arg_int, paginate_query

SCREENERS = HOSPITAL_WIDE_WRITERS  # as POST /api/v1/leidraad/device-types/<id>/screenings


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


def _device_type(device_type_id: int) -> DeviceType:
    device_type = db.session.get(DeviceType, device_type_id)
    if device_type is None:
        abort(404, description=f"No device type with id {device_type_id}.")
    return device_type


@blp.route("/device-types/<int:device_type_id>")
def device_type(device_type_id):
    return render_device_type(_device_type(device_type_id))


def render_device_type(device_type: DeviceType, form: ScreeningForm | None = None, status: int = 200):
    today = dt.date.today()
    leidraad = None
    if plugins.enabled("leidraad"):
        from plugins.leidraad import services
        from plugins.leidraad.models import Screening
        leidraad = {
            "requirements": services.requirements_for(device_type, today),
            "screenings": db.session.scalars(select(Screening).where(Screening.device_type_id == device_type.id)
                                             .order_by(Screening.screened_on.desc(), Screening.id.desc())).all(),
            "form": (form or ScreeningForm()) if g.user.role in SCREENERS else None,
        }
    group = db.session.get(TechnologyGroup, device_type.technology_group_id)
    devices = db.session.scalar(select(func.count()).select_from(Device).where(Device.device_type_id == device_type.id))
    return render_template(
        "device_type.html", device_type=device_type, group=group, devices=devices, today=today, leidraad=leidraad,
        blockers=release_blockers(device_type, today), competent=_competent(device_type, today),
        activities=db.session.scalars(select(Activity).order_by(Activity.name)).all()), status


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


@blp.route("/device-types/<int:device_type_id>/screenings", methods=["POST"])
def device_type_screen(device_type_id):
    require_role(*SCREENERS)
    device_type = _device_type(device_type_id)
    if not plugins.enabled("leidraad"):
        abort(404, description="Risk screening needs the Leidraad plugin.")
    from plugins.leidraad.services import add_screening
    form = ScreeningForm()
    if not form.validate_on_submit():
        return render_device_type(device_type, form, 422)
    data = {"screened_on": form.screened_on.data, "product_risk": form.product_risk.data or None,
            "usage_context": form.usage_context.data, "novelty": form.novelty.data, "impact": form.impact.data,
            "note": (form.note.data or "").strip() or None}
    try:
        screening, changes = add_screening(device_type, data, g.user.id)
    except HTTPException as exc:
        errors = (getattr(exc, "data", None) or {}).get("errors") or {}
        for name, messages in errors.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = list(field.errors) + list(messages)
        db.session.rollback()
        return render_device_type(device_type, form, 422)
    flash(_("Screened: risk class %(risk_class)s.", risk_class=_(screening.risk_class))
          + (" " + _("%(n)s competence records changed expiry.", n=len(changes)) if changes else ""), "success")
    return redirect(url_for("web.device_type", device_type_id=device_type.id, _anchor="screening"))


@blp.route("/device-types/<int:device_type_id>/authorised")
def device_type_authorised(device_type_id):
    """Who may perform an activity on this type on a date, and why (an htmx fragment)."""
    device_type = _device_type(device_type_id)
    activity = db.session.get(Activity, arg_int("activity_id") or 0)
    if activity is None:
        abort(422, description="Choose an activity.")
    on = arg_date("on", default=dt.date.today())
    ids = candidates(activity, device_type, on)
    clause = staff_clause(g.user)
    people = {s.id: s for s in db.session.scalars(
        select(Staff).where(Staff.id.in_(ids), *([clause] if clause is not None else [])))} if ids else {}
    decisions = decide_many(sorted(people), activity, device_type, on)
    rows = sorted(((people[sid], d) for sid, d in decisions.items()), key=lambda r: (not r[1].allowed, r[0].name))
    template = "partials/authorised.html" if request.headers.get("HX-Request") else "authorised_page.html"
    return render_template(template, rows=rows, activity=activity, device_type=device_type, on=on)
