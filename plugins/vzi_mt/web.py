"""The VZI plugin's part of the pages: its panels on a person's profile and their routes.

The registration panel (evaluation against the certification norms, the
forecast of the running period, the cancellation of the registration) and
self-service CPD (deskundigheidsbevordering) with a certificate and its review
by the manager. The routes call the same services as the API
(``plugins.vzi_mt.services``): one rule, two doors. With the plugin disabled
none of this exists.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal

from flask import Blueprint, abort, flash, g, redirect, render_template, send_file, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, select
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.audit import access
from core.auth import routes
from core.auth.permissions import AUDIT_READERS, STAFF_WRITERS, may_edit_staff, staff_clause
from core.auth.visibility import editable_staff, visible_staff
from core.contract import DashboardQueue, DashboardTile, Panel, QueueItem
from core.devices.models import TechnologyGroup
from core.errors import Conflict, DomainError, Invalid
from core.extensions import db
from core.staff.models import Staff
from core.web import uploads
from core.web.errors import error_text, field_errors, flash_error
from core.web.formats import datum, getal
from core.web.util import paginate_query
from core.web.forms import AtMost, DayField, ListField, LocaleDecimalField, MoreThan, NotInFuture, choices
from core.web.views.staff import render_profile
from plugins.vzi_mt import models, rules, services

blp = Blueprint("vzi_mt", __name__, template_folder="templates")
blp.bekwaam_access = {
    "cpd_register": {"POST": routes.SELF_SERVICE},
    "cpd_review": {"POST": routes.STAFF_DATA},
    "cancel_registration": {"POST": routes.STAFF_DATA},
    "grant_certification": {"POST": routes.STAFF_DATA},  # as POST /api/v1/vzi/staff/<id>/certifications
    "add_position": {"POST": routes.STAFF_DATA},  # as POST /api/v1/vzi/staff/<id>/positions
    "add_certificate": {"POST": routes.STAFF_DATA},  # as POST /api/v1/vzi/staff/<id>/certificates
    "upload_file": {"GET": routes.READ},  # the view allows the person, their manager, admins and auditors
    "cpd_reviews": {"GET": routes.STAFF_DATA},  # who may review: an admin, a manager (their tree)
}

MAX_HOURS_ONE_DAY = Decimal("24")  # a CPD activity has one date: one day holds 24 hours at most

# Who may open a certificate besides the person and whoever may edit them (their manager, admins).
FILE_READERS = AUDIT_READERS


class CpdForm(FlaskForm):
    # The day of one activity: a day in the future is a typo (CPD is registered afterwards),
    # and nobody learns more than 24 hours on one day ("7,5" once arrived as 75).
    date = DateField(_l("Date"), validators=[InputRequired(), NotInFuture(_l("The date lies in the future."))])
    hours = LocaleDecimalField(_l("Hours"), places=2, validators=[
        InputRequired(), MoreThan(0, _l("Enter more than 0 hours.")),
        AtMost(MAX_HOURS_ONE_DAY, _l("At most 24 hours on one day."))])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    technology_group_id = SelectField(_l("Technology group"), coerce=int, validators=[Optional()])
    certificate = FileField(_l("Certificate (PDF, PNG or JPEG)"), validators=[FileRequired()])


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=choices([("approved", _l("Approve")), ("rejected", _l("Reject"))]),
                          validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (required when rejecting)"), validators=[Length(max=2000)])


class CancellationForm(FlaskForm):
    """Opzegging of the registration, as POST /api/v1/vzi/staff/<id>/registration-cancellations."""

    cancelled_on = DayField(_l("Date of cancellation"), validators=[
        InputRequired(message=_l("Enter a date such as 30-11-2026."))])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=1000)])  # required: the service says so
    confirmed = BooleanField()


class GrantForm(FlaskForm):
    """A certification period from the application date, as POST /api/v1/vzi/staff/<id>/certifications."""

    as_of = DayField(_l("Application date"), validators=[InputRequired(message=_l("Enter a date such as 30-11-2026."))])


class PositionForm(FlaskForm):
    """A position (functie) at a level, as POST /api/v1/vzi/staff/<id>/positions."""

    level = ListField(_l("Level"), choices=choices([(level.value, level.value) for level in rules.Level]),
                        validators=[InputRequired()])
    start_date = DayField(_l("First day"), validators=[InputRequired(message=_l("Enter a date such as 30-11-2026."))])
    end_date = DayField(_l("Last day (empty: running)"), validators=[Optional()])


class CertificateForm(FlaskForm):
    """A certificate of the additional training (aanvullende opleiding MT A/B/C), as POST .../certificates."""

    code = ListField(_l("Certificate"), choices=choices([(c.value, c.value) for c in rules.CertificateCode]),
                       validators=[InputRequired()])
    obtained_on = DayField(_l("Obtained on"), validators=[Optional()])
    equivalent = BooleanField(_l("Accepted as equivalent"))


# --- who may do what on the page (the route table lets them in; these narrow to the person) ---------


def may_register(viewer, staff: Staff) -> bool:
    return viewer.role != "auditor" and (viewer.staff_id == staff.id or may_edit_staff(viewer, staff))


def may_review(viewer, staff: Staff) -> bool:
    # Nobody approves their own hours (the service refuses it too).
    return may_edit_staff(viewer, staff) and viewer.staff_id != staff.id


def may_cancel(viewer, staff: Staff) -> bool:
    return viewer.role in STAFF_WRITERS and may_edit_staff(viewer, staff)


# --- the panels ------------------------------------------------------------------------------------


def profile_panels(session, staff: Staff, viewer, on: dt.date) -> list[Panel]:
    lang = get_locale().language if get_locale() else "nl"
    registration = services.profile_panel(session, staff.id, on, lang)
    registration["may_cancel"] = may_cancel(viewer, staff)  # the summary comes with the panel
    if registration["may_cancel"]:
        registration["cancel_form"] = g.pop("vzi_cancel_form", None) or CancellationForm(formdata=None)
        registration["confirm"] = g.pop("vzi_cancel_confirm", None)
        registration["grant_form"] = g.pop("vzi_grant_form", None) or GrantForm(formdata=None)
        registration["position_form"] = g.pop("vzi_position_form", None) or PositionForm(formdata=None)
        registration["certificate_form"] = g.pop("vzi_certificate_form", None) or CertificateForm(formdata=None)
    registration["positions"] = session.scalars(select(models.Position).where(models.Position.staff_id == staff.id)
                                                .order_by(models.Position.start_date, models.Position.id)).all()
    registration["certificates"] = session.scalars(
        select(models.Certificate).where(models.Certificate.staff_id == staff.id)
        .order_by(models.Certificate.code, models.Certificate.id)).all()
    registration["certifications"] = services.certifications(session, staff.id)
    return [
        Panel(title=_("VZI registration"), template="vzi_mt/registration_panel.html", order=30, anchor="vzi",
              context={"vzi": registration}),
        Panel(title=_("CPD (continuing professional development)"), template="vzi_mt/cpd_panel.html", order=40,
              anchor="cpd", context={"cpd": cpd_context(session, staff, viewer)}),
    ]


def group_choices() -> list:
    groups = db.session.execute(select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name,
                                       TechnologyGroup.name_en).order_by(TechnologyGroup.code)).all()
    english = str(get_locale()) == "en"
    return choices([(0, _("General, non-technical training"))] + [
        (gid, f"{code}. {name_en if english else name}") for gid, code, name, name_en in groups])


def cpd_context(session, staff: Staff, viewer) -> dict:
    """The person's CPD rows with their totals per review status, and the forms this viewer may use."""
    rows = session.execute(
        select(models.CpdActivity, TechnologyGroup.code)
        .outerjoin(TechnologyGroup, TechnologyGroup.id == models.CpdActivity.technology_group_id)
        .where(models.CpdActivity.staff_id == staff.id)
        .order_by(models.CpdActivity.date.desc(), models.CpdActivity.id.desc())).all()
    totals = {status: Decimal("0") for status in models.CPD_STATUSES}
    for row, _code in rows:
        totals[row.status] += row.hours
    form = None
    if may_register(viewer, staff):
        # A refused registration comes back with its errors (see cpd_register).
        form = g.pop("vzi_cpd_form", None) or CpdForm()
        form.technology_group_id.choices = group_choices()
    return {"rows": rows, "totals": totals, "form": form, "may_review": may_review(viewer, staff)}


# --- the routes ------------------------------------------------------------------------------------


def _profile(staff: Staff, anchor: str):
    return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor=anchor))


@blp.route("/staff/<int:staff_id>/cpd", methods=["POST"])
def cpd_register(staff_id):
    staff = visible_staff(g.user, staff_id)
    if not may_register(g.user, staff):
        abort(403, description=_("You may not register CPD for this person."))
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
        g.vzi_cpd_form = form
        return render_profile(staff, status=422)
    row = models.CpdActivity(staff_id=staff.id, date=form.date.data, hours=form.hours.data,
                             title=form.title.data.strip(), technology_group_id=form.technology_group_id.data or None,
                             attachment=stored, attachment_name=_safe_name(form.certificate.data.filename))
    # As POST /api/v1/vzi/staff/<id>/cpd-activities: the person's own entry waits for review,
    # one a manager registers for their people is reviewed by doing so.
    services.check_cpd_activity(db.session, row)
    db.session.add(row)
    db.session.flush()
    flash(_("CPD activity registered; it counts once it has been approved.") if row.status == models.CPD_PENDING
          else _("CPD activity registered and approved."), "success")
    return _profile(staff, "cpd")


def _safe_name(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return base[:255] or "certificate"


@blp.route("/staff/<int:staff_id>/cpd/<int:cpd_id>/review", methods=["POST"])
def cpd_review(staff_id, cpd_id):
    staff = editable_staff(g.user, staff_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400, description=_("Choose approve or reject."))
    try:
        row = services.review_cpd(db.session, staff.id, cpd_id, form.decision.data, form.reason.data, g.user)
    except DomainError as exc:
        if exc.status != 422:
            raise  # not found, not allowed: the error page
        flash_error(exc)
        return _profile(staff, f"cpd-{cpd_id}")
    flash(_("CPD activity approved.") if row.status == models.CPD_APPROVED else _("CPD activity rejected."), "success")
    return _profile(staff, "cpd")


def _field_error(form, field, exc: DomainError) -> None:
    """A rule's refusal next to the field, in the page's language (``core.web.errors``). A refused
    application's ``unmet`` items are dicts: its message says them in the page's language."""
    if "unmet" in (exc.errors or {}) or not exc.errors:
        shown = [error_text(exc)]
    else:
        shown = [m for messages in field_errors(exc).values() for m in messages]
    field.errors = list(field.errors) + shown


@blp.route("/staff/<int:staff_id>/vzi/registration-cancellation", methods=["POST"])
def cancel_registration(staff_id):
    """Opzegging of the VZI registration from the profile (as POST /api/v1/vzi/.../registration-cancellations),
    in two steps: the first POST checks it and asks to confirm, the second (``confirmed``) records it."""
    staff = editable_staff(g.user, staff_id)
    if not may_cancel(g.user, staff):
        abort(403)
    form = CancellationForm()
    status = 422
    if form.validate_on_submit():
        day, reason = form.cancelled_on.data, (form.reason.data or "")[:1000]
        try:
            services.cancel_registration(db.session, staff.id, day, reason, g.user.id)
        except DomainError as exc:
            if exc.status not in (409, 422):
                raise
            status = exc.status
            field = form.reason if "reason" in (exc.errors or {}) else form.cancelled_on
            _field_error(form, field, exc)
        else:
            if form.confirmed.data:
                flash(_("The VZI registration of %(name)s was cancelled as of %(date)s.", name=staff.name,
                        date=datum(day)), "success")
                return _profile(staff, "vzi")
            # The confirmation step: the same service said yes; nothing is kept until confirmed.
            db.session.rollback()
            g.vzi_cancel_form = form
            g.vzi_cancel_confirm = {"date": day, "reason": reason.strip()}
            return render_profile(staff, status=200)
    db.session.rollback()
    g.vzi_cancel_form = form
    return render_profile(staff, status=status)


@blp.route("/staff/<int:staff_id>/vzi/certifications", methods=["POST"])
def grant_certification(staff_id):
    """A certification period from the application date when the norms are met (VZI certificatienormen,
    "Aanvraag toelating of hercertificatie"): as POST /api/v1/vzi/staff/<id>/certifications."""
    staff = editable_staff(g.user, staff_id)
    if not may_cancel(g.user, staff):  # the same writers as the cancellation: admin, the person's manager
        abort(403)
    form = GrantForm()
    status = 422
    if form.validate_on_submit():
        lang = get_locale().language if get_locale() else "nl"
        try:
            period = services.grant(db.session, staff.id, form.as_of.data, dt.date.today(), lang)
        except (Invalid, Conflict) as exc:
            status = exc.status
            _field_error(form, form.as_of, exc)
        else:
            flash(_("Certification period recorded: %(level)s from %(start)s up to %(end)s.", level=period.level,
                    start=datum(period.start_date), end=datum(period.end_date)), "success")
            return _profile(staff, "vzi")
    db.session.rollback()
    g.vzi_grant_form = form
    return render_profile(staff, status=status)


def _add_row(staff: Staff, form, row, check, anchor: str, done: str, g_name: str):
    """Store a portfolio row as the API's POST does (plugins/vzi_mt/api.py ``register``): the row,
    the part's own check, then the flush; a refusal goes back next to its field (422)."""
    if form.validate_on_submit():
        for field in form:
            if field.name != "csrf_token":
                field.populate_obj(row, field.name)
        try:
            if check is not None:
                check(db.session, row)
            db.session.add(row)
            db.session.flush()
        except Invalid as exc:
            for name, messages in field_errors(exc).items():
                field = getattr(form, name, None)
                if field is not None:
                    field.errors = list(field.errors) + list(messages)
        else:
            flash(done, "success")
            return _profile(staff, anchor)
    db.session.rollback()
    setattr(g, g_name, form)
    return render_profile(staff, status=422)


@blp.route("/staff/<int:staff_id>/vzi/positions", methods=["POST"])
def add_position(staff_id):
    staff = editable_staff(g.user, staff_id)
    if not may_cancel(g.user, staff):  # admin, the person's manager: as the API's portfolio writers
        abort(403)
    form = PositionForm()
    return _add_row(staff, form, models.Position(staff_id=staff.id), services.check_position, "vzi",
                    _("Position recorded."), "vzi_position_form")


@blp.route("/staff/<int:staff_id>/vzi/certificates", methods=["POST"])
def add_certificate(staff_id):
    staff = editable_staff(g.user, staff_id)
    if not may_cancel(g.user, staff):
        abort(403)
    form = CertificateForm()
    return _add_row(staff, form, models.Certificate(staff_id=staff.id), None, "vzi",
                    _("Certificate recorded."), "vzi_certificate_form")


@blp.route("/uploads/<name>")
def upload_file(name):
    """A certificate, only for the person, whoever may edit them (manager, admin) and auditors."""
    if not uploads.STORED_NAME.match(name):
        abort(404)
    row = db.session.scalar(select(models.CpdActivity).where(models.CpdActivity.attachment == name))
    if row is None:
        abort(404)
    staff = db.session.get(Staff, row.staff_id)
    user = g.user
    if not (user.staff_id == staff.id or may_edit_staff(user, staff) or user.role in FILE_READERS):
        abort(404)  # its existence is not revealed
    stored = uploads.load(name)
    if stored is None:
        abort(404)
    access.note(staff_id=staff.id)  # a certificate is the person's data (NEN 7513)
    response = send_file(io.BytesIO(stored.data), mimetype=stored.mime, download_name=row.attachment_name or name,
                         as_attachment=False, etag=stored.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the home page: the reviews waiting, a technician's own standing ---------------------------------

QUEUE_LIMIT = 10


def pending_reviews(viewer):
    """The CPD entries waiting for ``viewer``'s review, oldest first: of the active people they may
    edit (an admin: everyone; a manager: their department tree), never their own."""
    stmt = (select(models.CpdActivity.id, models.CpdActivity.staff_id, Staff.name, models.CpdActivity.date,
                   models.CpdActivity.hours, models.CpdActivity.title)
            .join(Staff, Staff.id == models.CpdActivity.staff_id)
            .where(models.CpdActivity.status == models.CPD_PENDING, Staff.active.is_(True)))
    clause = staff_clause(viewer)
    if clause is not None:
        stmt = stmt.where(clause)
    if viewer.staff_id is not None:
        stmt = stmt.where(Staff.id != viewer.staff_id)
    return stmt.order_by(models.CpdActivity.date, models.CpdActivity.id)


def dashboard_queues(session, viewer, on: dt.date) -> list[DashboardQueue]:
    """Reviews waiting (VZI certificatienormen MT: only approved CPD hours count), for who may review."""
    if viewer.role not in STAFF_WRITERS:
        return []
    stmt = pending_reviews(viewer)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = [QueueItem(text=name, endpoint="web.staff_profile", values={"staff_id": staff_id}, anchor=f"cpd-{cpd_id}",
                       detail=_("%(title)s · %(hours)s hours", title=title, hours=getal(hours, 2)), due_on=day)
             for cpd_id, staff_id, name, day, hours, title in session.execute(stmt.limit(QUEUE_LIMIT))] if total else []
    return [DashboardQueue(title=_("CPD waiting for review"), total=total, items=items, order=10,
                           endpoint="vzi_mt_web.cpd_reviews", anchor="queue-cpd-reviews",
                           empty_text=_("No CPD entries wait for your review."))]


def dashboard_tiles(session, viewer, on: dt.date) -> list[DashboardTile]:
    """A technician's own VZI standing on their home page."""
    if viewer.role != "technician" or viewer.staff_id is None:
        return []
    summary = services.staff_summary(session, viewer.staff_id, on)
    if summary is None:
        return []
    from core.web.context import label
    from core.web.formats import datum
    value = " ".join(str(part) for part in (summary["level"], label(summary["registration"])) if part)
    if summary["period_end"]:
        text = _("VZI registration, period ends %(date)s", date=datum(dt.date.fromisoformat(summary["period_end"])))
    else:
        text = _("VZI registration")
    soon = summary["period_end"] and dt.date.fromisoformat(summary["period_end"]) <= on + dt.timedelta(days=180)
    return [DashboardTile(label=text, value=value, endpoint="web.staff_profile", order=10,
                          values={"staff_id": viewer.staff_id, "_anchor": "vzi"},
                          tone="expiring" if soon or summary["registration"] != "certified" else "")]


@blp.route("/cpd-reviews")
def cpd_reviews():
    """Every CPD entry waiting for the viewer's review (the dashboard shows the first few)."""
    page = paginate_query(pending_reviews(g.user), scalars=False)
    access.note(people=len({row.staff_id for row in page.items}), subject="bulk: CPD waiting for review")
    return render_template("vzi_mt/cpd_reviews.html", page=page)
