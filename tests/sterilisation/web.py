"""The sterilisation plugin's pages: the register, and its panels on the core's pages."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, g, render_template
from sqlalchemy import select

from core.audit import access
from core.auth import routes
from core.auth.permissions import staff_clause
from core.competence.models import Competence
from core.contract import Panel
from core.staff.models import Staff
from tests.sterilisation import register

blp = Blueprint(register.NAME, __name__, url_prefix="/sterilisatie", template_folder="templates")
blp.bekwaam_access = {"index": {"GET": routes.READ}}


@blp.route("/")
def index():
    """The register, limited to the people this user may see (and noted in the access log)."""
    from core.extensions import db
    rows = register.rows(db.session, staff_clause(g.user))
    access.note(people=len({row.id for row in rows}), subject=f"bulk: sterilisation register, {len(rows)} rows")
    return render_template("sterilisation/index.html", rows=rows)


def profile_panel(session, staff: Staff, on: dt.date) -> Panel:
    try:
        number = register.registered_on(session, [staff.id], on).get(staff.id)
        unreadable = False
    except register.RegisterUnreadable:
        number, unreadable = None, True
    return Panel(title="Sterilisatieassistent", template="sterilisation/profile_panel.html", order=60,
                 anchor="sterilisatie", context={"number": number, "unreadable": unreadable})


def device_type_panel(session, device_type, viewer, on: dt.date) -> Panel:
    """How many people this viewer may see hold a record for this type and are registered (two queries)."""
    stmt = select(Competence.staff_id).distinct().join(Staff, Staff.id == Competence.staff_id).where(
        Competence.device_type_id == device_type.id, Staff.active.is_(True))
    clause = staff_clause(viewer)
    if clause is not None:
        stmt = stmt.where(clause)
    holders = list(session.scalars(stmt))
    try:
        registered = len(register.registered_on(session, holders, on))
    except register.RegisterUnreadable:
        registered = None
    return Panel(title="Sterilisatie", template="sterilisation/device_type_panel.html", order=70,
                 anchor="sterilisatie", context={"holders": len(holders), "registered": registered})
