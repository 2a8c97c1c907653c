"""Self-service CPD (deskundigheidsbevordering) with a certificate, and its review by the manager.

CPD belongs to the VZI plugin (its rows carry the status pending / approved /
rejected and the attachment); with the plugin disabled the section is absent.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal

from flask import abort, flash, g, redirect, send_file, url_for
from flask_babel import get_locale, gettext as _
from sqlalchemy import select

from core.auth.permissions import may_edit_staff
from core.db import utcnow
from core.devices.models import TechnologyGroup
from core.extensions import db
from core.staff.models import Staff
from core.web import plugins, uploads
from core.web.access import visible_staff
from core.web.blueprint import blp
from core.web.forms import CpdForm, ReviewForm, choices

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
# Who may open a certificate besides the person and whoever may edit them (their manager, admins).
FILE_READERS = ("admin", "auditor")


def model():
    from plugins.vzi_mt.models import CpdActivity
    return CpdActivity


def supported() -> bool:
    return plugins.enabled("vzi_mt")


def may_register(staff: Staff) -> bool:
    user = g.user
    if user.role == "auditor":
        return False
    return user.staff_id == staff.id or may_edit_staff(user, staff)


def may_review(staff: Staff) -> bool:
    # Nobody approves their own hours.
    return may_edit_staff(g.user, staff) and g.user.staff_id != staff.id


def group_choices() -> list:
    groups = db.session.execute(select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name,
                                       TechnologyGroup.name_en).order_by(TechnologyGroup.code)).all()
    english = str(get_locale()) == "en"
    return choices([(0, _("General, non-technical training"))] + [
        (gid, f"{code}. {name_en if english else name}") for gid, code, name, name_en in groups])


def context(staff: Staff, today: dt.date, form: CpdForm | None = None) -> dict | None:
    if not plugins.enabled("vzi_mt"):
        return None
    CpdActivity = model()
    rows = db.session.execute(
        select(CpdActivity, TechnologyGroup.code).outerjoin(TechnologyGroup, TechnologyGroup.id == CpdActivity.technology_group_id)
        .where(CpdActivity.staff_id == staff.id).order_by(CpdActivity.date.desc(), CpdActivity.id.desc())).all()
    ok = supported()
    totals = {PENDING: Decimal("0"), APPROVED: Decimal("0"), REJECTED: Decimal("0")}
    for row, _code in rows:
        totals[getattr(row, "status", APPROVED)] += row.hours
    if form is None and ok and may_register(staff):
        form = CpdForm()
        form.technology_group_id.choices = group_choices()
    return {"supported": ok, "rows": rows, "totals": totals, "form": form if ok and may_register(staff) else None,
            "may_review": ok and may_review(staff), "review_form": ReviewForm() if ok else None}


@blp.route("/staff/<int:staff_id>/cpd", methods=["POST"])
def cpd_register(staff_id):
    staff = visible_staff(staff_id)
    if not supported():
        abort(404, description="CPD self-service needs the VZI plugin with CPD review.")
    if not may_register(staff):
        abort(403, description="You may not register CPD for this person.")
    form = CpdForm()
    form.technology_group_id.choices = group_choices()
    stored = None
    if form.validate_on_submit():
        try:
            data = uploads.read_limited(form.certificate.data.stream)
            uploads.check(data)
        except uploads.UploadError as exc:
            form.certificate.errors = list(form.certificate.errors) + [str(exc)]
        else:
            stored = uploads.store(data)
    if stored is None:
        from core.web.views.staff import render_profile
        return render_profile(staff, cpd_form=form, status=422)
    reviewer = may_review(staff)
    row = model()(staff_id=staff.id, date=form.date.data, hours=form.hours.data, title=form.title.data.strip(),
                  technology_group_id=form.technology_group_id.data or None,
                  attachment=stored, attachment_name=_safe_name(form.certificate.data.filename),
                  # A manager registering for their people has reviewed it by doing so.
                  status=APPROVED if reviewer else PENDING,
                  reviewed_by=g.user.id if reviewer else None, reviewed_at=utcnow() if reviewer else None)
    from plugins.vzi_mt.services import check_cpd_activity
    check_cpd_activity(db.session, row)
    db.session.add(row)
    db.session.flush()
    flash(_("CPD activity registered; it counts once it has been approved.") if not reviewer
          else _("CPD activity registered and approved."), "success")
    return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor="cpd"))


def _safe_name(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return base[:255] or "certificate"


@blp.route("/staff/<int:staff_id>/cpd/<int:cpd_id>/review", methods=["POST"])
def cpd_review(staff_id, cpd_id):
    staff = visible_staff(staff_id)
    if not supported():
        abort(404, description="CPD review needs the VZI plugin with CPD review.")
    if not may_review(staff):
        abort(403, description="Only the person's manager or an administrator reviews CPD, never the person.")
    row = db.session.scalar(select(model()).where(model().id == cpd_id, model().staff_id == staff.id))
    if row is None:
        abort(404, description=f"No CPD activity with id {cpd_id} for this person.")
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400, description=_("Choose approve or reject."))
    reason = (form.reason.data or "").strip()
    if form.decision.data == REJECTED and not reason:
        flash(_("Give a reason when you reject."), "error")
        return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor=f"cpd-{row.id}"))
    row.status = form.decision.data
    row.rejection_reason = reason if form.decision.data == REJECTED else None
    row.reviewed_by, row.reviewed_at = g.user.id, utcnow()
    db.session.flush()
    flash(_("CPD activity approved.") if row.status == APPROVED else _("CPD activity rejected."), "success")
    return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor="cpd"))


@blp.route("/uploads/<name>")
def upload_file(name):
    """A certificate, only for the person, whoever may edit them (manager, admin) and auditors."""
    if not uploads.STORED_NAME.match(name) or not supported():
        abort(404)
    row = db.session.scalar(select(model()).where(model().attachment == name))
    if row is None:
        abort(404)
    staff = db.session.get(Staff, row.staff_id)
    user = g.user
    if not (user.staff_id == staff.id or may_edit_staff(user, staff) or user.role in FILE_READERS):
        abort(404)  # its existence is not revealed
    stored = uploads.load(name)
    if stored is None:
        abort(404)
    response = send_file(io.BytesIO(stored.data), mimetype=stored.mime, download_name=row.attachment_name or name,
                         as_attachment=False, etag=stored.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
