"""The Leidraad plugin's part of the pages: a device type's requirements, its risk screening,
its approvals and its release (vrijgave), and its safety notices.

Leidraad Medische Technologie 2026, fase 2 (risicoscreening/PRI) decides the risk
class and whether a PRI is needed; fase 5 (vrijgave): "pas bij een volledig technisch
en klinisch akkoord mag medische technologie in gebruik genomen worden". Every form
calls the same service as its REST endpoint under /api/v1/leidraad/device-types/<id>/
(screenings, approvals, release, safety-notices, override), for the same roles.
"""
from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, DateField, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.auth import routes
from core.auth.permissions import HOSPITAL_WIDE_WRITERS
from core.contract import Panel
from core.decision.services import device_type_or_not_found
from core.errors import Invalid
from core.extensions import db
from core.staff.models import Staff
from core.web.formats import datum
from core.web.context import label
from core.web.errors import field_errors
from core.web.forms import DayField, ListField, choices
from core.web.views.device_types import render_device_type
from plugins.leidraad import rules, services
from plugins.leidraad.models import APPROVAL_KINDS, SafetyNotice

blp = Blueprint("leidraad", __name__, template_folder="templates")
# The same roles as the plugin's API (plugins/leidraad/api.py): hospital-wide writers.
blp.bekwaam_access = {"screen": {"POST": routes.HOSPITAL}, "approve": {"POST": routes.HOSPITAL},
                      "release": {"POST": routes.HOSPITAL}, "add_safety_notice": {"POST": routes.HOSPITAL},
                      "override": {"POST": routes.HOSPITAL}}  # as PUT/DELETE .../override

SCREENERS = HOSPITAL_WIDE_WRITERS  # as POST /api/v1/leidraad/device-types/<id>/screenings
WRITERS = HOSPITAL_WIDE_WRITERS  # approvals, releases, safety notices: as the API's WRITERS

KIND_LABELS = {"pri": _l("PRI (prospective risk inventory)"), "technical": _l("Technical approval"),
               "clinical": _l("Clinical approval")}

LEVELS = [("low", _l("low")), ("medium", _l("medium")), ("high", _l("high"))]
LEVEL_CHOICES = choices(LEVELS)


def required(message):
    return InputRequired(message=message)


class ScreeningForm(FlaskForm):
    screened_on = DateField(_l("Screening date"), validators=[Optional()])
    product_risk = SelectField(_l("Product risk"), choices=choices([("", _l("From the MDR/IVDR class"))] + LEVELS),
                               validators=[Optional()])
    usage_context = SelectField(_l("Usage context"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    novelty = SelectField(_l("Novelty"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    impact = SelectField(_l("Impact"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    # Leidraad Medische Technologie 2026: a PRI "bij nieuwe of aangepaste toepassingen en bij
    # nieuwe inzichten die leiden tot een verhoogd risico".
    new_or_adapted_use = BooleanField(_l("New or adapted use (a PRI is required)"))
    new_risk_insights = BooleanField(_l("New insights that raise the risk (a PRI is required)"))
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class ApprovalForm(FlaskForm):
    """One approval (technisch akkoord, klinisch akkoord, or the PRI), as POST .../approvals."""

    person = StringField(_l("Person (name or employee number)"), validators=[
        required(_l("Enter who gives it: a name or employee number.")), Length(max=200)])
    date = DayField(_l("Date"), validators=[required(_l("Enter a date such as 30-11-2026."))])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class ReleaseForm(FlaskForm):
    date = DayField(_l("Release date"), validators=[required(_l("Enter a date such as 30-11-2026."))])
    confirmed = BooleanField()


class SafetyNoticeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[required(_l("Enter the title of the notice.")), Length(max=300)])
    issued_on = DayField(_l("Issued on"), validators=[required(_l("Enter a date such as 30-11-2026."))])
    reinstruct_by = DayField(_l("Re-instruct by"), validators=[required(_l("Enter a date such as 30-11-2026."))])


class RoleRequirementForm(Form):
    """One role's own requirement: a method (empty: the policy's) and a re-assessment interval."""

    method = ListField(_l("Method"))
    interval_months = StringField(_l("Re-assessment every (months; empty: no expiry)"),
                                  render_kw={"inputmode": "numeric", "autocomplete": "off"})


class OverrideForm(FlaskForm):
    """The device type's own requirements (a stricter or other requirement than the policy's), as
    PUT (or, with ``remove``, DELETE) /api/v1/leidraad/device-types/<id>/override."""

    valid_from = DayField(_l("In force from"), validators=[required(_l("Enter a date such as 30-11-2026."))])
    user = FormField(RoleRequirementForm)
    key_user = FormField(RoleRequirementForm)
    technician = FormField(RoleRequirementForm)
    trainer = FormField(RoleRequirementForm)
    remove = BooleanField()


def override_form(formdata=None, current: dict | None = None) -> OverrideForm:
    form = OverrideForm(formdata=formdata)
    for role in rules.ROLES:
        sub = form[role].form
        sub.method.choices = choices([("", _l("as the policy says"))] + [(m, label(m)) for m in rules.METHODS])
        if formdata is None and current and role in current:
            sub.method.data = current[role].method
            months = current[role].interval_months
            sub.interval_months.data = "" if months is None else str(months)
    return form


# The policy rules' messages (plugins/leidraad/rules/policy.py) in the reader's words.
INTERVAL_RANGE = re.compile(r"Must be between (\d+) and (\d+) months, or null for no expiry\.")


def policy_text(message: str) -> str:
    match = INTERVAL_RANGE.fullmatch(message)
    if match:
        return _("Between %(min)s and %(max)s months, or empty for no expiry.", min=match.group(1), max=match.group(2))
    if message == "Not a valid integer.":
        return _("Enter a whole number of months.")
    if message.startswith("Must be one of: "):
        return _("Choose a method from the list.")
    return message


def _dutch() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "nl"


def missing_texts(missing: list[dict]) -> list[str]:
    """The release check's items in the reader's words (the plugin's own Dutch, never a code)."""
    return [(m.get("message_nl") if _dutch() and m.get("message_nl") else m["message"]) for m in missing]


def device_type_panels(session, device_type, viewer, on: dt.date) -> list[Panel]:
    form = None
    if viewer.role in SCREENERS:
        form = g.pop("leidraad_screening_form", None) or ScreeningForm()
    return [
        Panel(title=_("Requirements"), template="leidraad/requirements_panel.html", order=20, anchor="requirements",
              context={"req": services.requirements_for(device_type, on)}),
        Panel(title=_("Risk screening"), template="leidraad/screening_panel.html", order=30, anchor="screening", wide=True,
              context={"screenings": services.screenings_of(device_type.id), "form": form}),
        Panel(title=_("Approvals and release"), template="leidraad/release_panel.html", order=35, anchor="approvals",
              wide=True, context={"rel": release_context(device_type, viewer, on)}),
        Panel(title=_("Own requirements of this device type"), template="leidraad/override_panel.html", order=25,
              anchor="own-requirements", context={"override": override_context(device_type, viewer, on)}),
        Panel(title=_("Safety notices"), template="leidraad/safety_notices_panel.html", order=40,
              anchor="safety-notices", wide=True, context={"notices": notices_context(device_type, viewer)}),
    ]


def release_context(device_type, viewer, on: dt.date) -> dict:
    """Approvals recorded, who may give each kind, what the release still lacks, and the forms for writers."""
    screening = services.latest_screening(device_type.id, on)
    missing = services.release_missing(device_type, on)
    may_write = viewer.role in WRITERS
    kinds = [k for k in ("pri", "technical", "clinical") if k != "pri" or (screening and screening.pri_required)]
    forms = {}
    if may_write and screening is not None:
        refused = g.pop("leidraad_approval_form", None)
        for kind in kinds:
            form = refused[1] if refused and refused[0] == kind else ApprovalForm(prefix=kind, formdata=None)
            forms[kind] = {"form": form, "label": KIND_LABELS[kind],
                           "eligible": services.eligible_approvers(kind, device_type, on)}
    release_form = None
    if may_write:
        release_form = g.pop("leidraad_release_form", None) or ReleaseForm(formdata=None)
    return {"screening": screening, "approvals": services.approvals_of(device_type.id), "kinds": KIND_LABELS,
            "missing": missing_texts(missing), "forms": forms, "release_form": release_form,
            "confirm": g.pop("leidraad_release_confirm", None), "release_refused": g.pop("leidraad_release_refused", None)}


def override_context(device_type, viewer, on: dt.date) -> dict:
    """The override in force (roles it names) and, for writers, the form to set or remove it."""
    current = services.overrides([device_type.id], on).get(device_type.id) or {}
    form = None
    if viewer.role in WRITERS:
        form = g.pop("leidraad_override_form", None) or override_form(current=current)
    return {"current": current, "form": form, "roles": rules.ROLES,
            "changes": g.pop("leidraad_override_changes", None)}


def notices_context(device_type, viewer) -> dict:
    form = None
    if viewer.role in WRITERS:
        form = g.pop("leidraad_notice_form", None) or SafetyNoticeForm(formdata=None)
    rows = db.session.scalars(select(SafetyNotice).where(SafetyNotice.device_type_id == device_type.id)
                              .order_by(SafetyNotice.issued_on.desc(), SafetyNotice.id.desc())).all()
    return {"rows": rows, "form": form}


def _put_errors(form, exc: Invalid, rename: dict | None = None) -> None:
    """A rule's refusal next to its field, in the page's language (``core.web.errors.field_errors``)."""
    for name, messages in field_errors(exc).items():
        field = getattr(form, (rename or {}).get(name, name), None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)


def _back(device_type, anchor: str):
    return redirect(url_for("web.device_type", device_type_id=device_type.id, _anchor=anchor))


def find_person(typed: str) -> Staff | None:
    """The person typed: an employee number, else exactly one person of that name."""
    typed = typed.strip()
    person = db.session.scalar(select(Staff).where(Staff.employee_number == typed))
    if person is None and typed:
        named = db.session.scalars(select(Staff).where(func.lower(Staff.name) == typed.lower()).limit(2)).all()
        person = named[0] if len(named) == 1 else None
    return person


@blp.route("/device-types/<int:device_type_id>/screenings", methods=["POST"])
def screen(device_type_id):
    device_type = device_type_or_not_found(device_type_id)
    form = ScreeningForm()
    if form.validate_on_submit():
        data = {"screened_on": form.screened_on.data, "product_risk": form.product_risk.data or None,
                "usage_context": form.usage_context.data, "novelty": form.novelty.data, "impact": form.impact.data,
                "new_or_adapted_use": form.new_or_adapted_use.data, "new_risk_insights": form.new_risk_insights.data,
                "note": (form.note.data or "").strip() or None}
        try:
            screening, changes = services.add_screening(device_type, data, g.user.id)
        except Invalid as exc:
            for name, messages in field_errors(exc).items():  # in the page's language
                field = getattr(form, name, None)
                if field is not None:
                    field.errors = list(field.errors) + list(messages)
        else:
            flash(_("Screened: risk class %(risk_class)s.", risk_class=_(screening.risk_class))
                  + (" " + _("%(n)s competence records changed expiry.", n=len(changes)) if changes else ""),
                  "success")
            return redirect(url_for("web.device_type", device_type_id=device_type.id, _anchor="screening"))
    db.session.rollback()
    g.leidraad_screening_form = form
    return render_device_type(device_type, 422)


@blp.route("/device-types/<int:device_type_id>/approvals/<kind>", methods=["POST"])
def approve(device_type_id, kind):
    """A technical or clinical approval, or the approved PRI: as POST /api/v1/leidraad/device-types/<id>/approvals."""
    if kind not in APPROVAL_KINDS:
        abort(404)
    device_type = device_type_or_not_found(device_type_id)
    form = ApprovalForm(prefix=kind)
    if form.validate_on_submit():
        person = find_person(form.person.data)
        if person is None:
            form.person.errors = list(form.person.errors) + [_("No person with this name or employee number.")]
        else:
            data = {"kind": kind, "staff_id": person.id, "date": form.date.data,
                    "note": (form.note.data or "").strip() or None}
            try:
                services.add_approval(device_type, data)
            except Invalid as exc:
                _put_errors(form, exc, rename={"staff_id": "person"})
            else:
                flash(_("%(kind)s recorded: %(name)s on %(date)s.", kind=KIND_LABELS[kind], name=person.name,
                        date=datum(form.date.data)), "success")
                return _back(device_type, "approvals")
    db.session.rollback()
    g.leidraad_approval_form = (kind, form)
    return render_device_type(device_type, 422)


@blp.route("/device-types/<int:device_type_id>/release", methods=["POST"])
def release(device_type_id):
    """Vrijgave in two steps: the first POST asks to confirm, the second (``confirmed``) releases;
    as POST /api/v1/leidraad/device-types/<id>/release, refused (409) while anything is missing."""
    device_type = device_type_or_not_found(device_type_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        db.session.rollback()
        g.leidraad_release_form = form
        return render_device_type(device_type, 422)
    on = form.date.data
    missing = services.release_missing(device_type, on)
    if missing:
        g.leidraad_release_form = form
        g.leidraad_release_refused = {"date": on, "missing": missing_texts(missing)}
        return render_device_type(device_type, 409)
    if not form.confirmed.data:
        # The confirmation step: nothing is written until the same form comes back confirmed.
        g.leidraad_release_form = form
        g.leidraad_release_confirm = on
        return render_device_type(device_type, 200)
    try:
        missing = services.release(device_type, on, g.user.id)
    except Invalid as exc:
        db.session.rollback()
        _put_errors(form, exc)
        g.leidraad_release_form = form
        return render_device_type(device_type, 422)
    if missing:  # something changed between the check and the release
        db.session.rollback()
        g.leidraad_release_form = form
        g.leidraad_release_refused = {"date": on, "missing": missing_texts(missing)}
        return render_device_type(device_type, 409)
    flash(_("Released for use from %(date)s.", date=datum(on)), "success")
    return _back(device_type, "release")


@blp.route("/device-types/<int:device_type_id>/safety-notices", methods=["POST"])
def add_safety_notice(device_type_id):
    """A safety notice or recall: as POST /api/v1/leidraad/device-types/<id>/safety-notices."""
    device_type = device_type_or_not_found(device_type_id)
    form = SafetyNoticeForm()
    if form.validate_on_submit():
        data = {"title": form.title.data.strip(), "issued_on": form.issued_on.data,
                "reinstruct_by": form.reinstruct_by.data}
        try:
            services.add_safety_notice(device_type, data)
        except Invalid as exc:
            _put_errors(form, exc)
        else:
            flash(_("Safety notice recorded: competences obtained before %(date)s are due again by %(by)s.",
                    date=datum(data["issued_on"]), by=datum(data["reinstruct_by"])),
                  "success")
            return _back(device_type, "safety-notices")
    db.session.rollback()
    g.leidraad_notice_form = form
    return render_device_type(device_type, 422)


@blp.route("/device-types/<int:device_type_id>/override", methods=["POST"])
def override(device_type_id):
    """Set (or, with ``remove``, remove) the type's own requirements from a date: the service of
    PUT/DELETE /api/v1/leidraad/device-types/<id>/override (Leidraad Medische Technologie 2026,
    bekwaamheidseisen per technologie, afgestemd op het risicoprofiel)."""
    device_type = device_type_or_not_found(device_type_id)
    form = override_form(formdata=request.form)
    if form.validate_on_submit():
        document = None
        if not form.remove.data:
            document = {}
            for role in rules.ROLES:
                sub = form[role].form
                if not sub.method.data:
                    continue  # this role follows the policy
                typed = (sub.interval_months.data or "").strip()
                months = int(typed) if typed.isdigit() else (typed or None)  # the rule judges what is not a number
                document[role] = {"method": sub.method.data, "interval_months": months}
        if document == {}:
            form.remove.errors = [_("Choose a method for at least one role, or remove the own requirements.")]
        else:
            try:
                changes = services.set_override(device_type, document, form.valid_from.data)
            except rules.PolicyError as exc:
                for path, messages in exc.errors.items():
                    role, _dot, name = path.partition(".")
                    field = form[role].form[name] if role in rules.ROLES and name in ("method", "interval_months") \
                        else form.remove
                    field.errors = list(field.errors) + [policy_text(str(m)) for m in messages]
            except Invalid as exc:
                _put_errors(form, exc)
            else:
                when = datum(form.valid_from.data)
                flash((_("Own requirements removed from %(date)s.", date=when) if document is None
                       else _("Own requirements saved from %(date)s.", date=when))
                      + (" " + _("%(n)s competence records changed expiry.", n=len(changes)) if changes else ""),
                      "success")
                return _back(device_type, "own-requirements")
    db.session.rollback()
    g.leidraad_override_form = form
    return render_device_type(device_type, 422)
