"""The alerts inbox (the in-app channel): the same rows and visibility as GET /api/v1/alerts."""
from __future__ import annotations

from flask import g, render_template, request
from sqlalchemy import select

from core.alerts.inbox import acknowledge_alert, visible_alerts
from core.alerts.models import Alert
from core.auth.permissions import ACKNOWLEDGERS
from core.extensions import db
from core.web.access import require_role
from core.web.blueprint import blp
from core.web.util import paginate_query
from core.web.names import subject_names



def _visible(stmt):
    clause = visible_alerts(g.user)
    return stmt if clause is None else stmt.where(clause)


@blp.route("/alerts")
def alerts():
    stmt = _visible(select(Alert))
    state = request.args.get("state", "open")
    if state == "open":
        stmt = stmt.where(Alert.acknowledged_at.is_(None))
    elif state == "acknowledged":
        stmt = stmt.where(Alert.acknowledged_at.is_not(None))
    kind = request.args.get("kind", "")
    if kind:
        stmt = stmt.where(Alert.kind == kind)
    page = paginate_query(stmt.order_by(Alert.due_on, Alert.id))
    kinds = db.session.scalars(_visible(select(Alert.kind).distinct()).order_by(Alert.kind)).all()
    return render_template("alerts.html", page=page, names=subject_names(page.items), kinds=kinds,
                           state=state, kind=kind)


@blp.route("/alerts/<int:alert_id>/acknowledge", methods=["POST"])
def acknowledge(alert_id):
    require_role(*ACKNOWLEDGERS)
    alert = acknowledge_alert(g.user, alert_id)  # as POST /api/v1/alerts/<id>/acknowledge
    names = subject_names([alert])
    if request.headers.get("HX-Request"):
        return render_template("partials/alert_row.html", alert=alert, names=names)
    from flask import redirect, url_for
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("web.alerts"))
