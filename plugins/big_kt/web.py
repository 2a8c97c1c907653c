"""The BIG plugin's part of the pages: the registration panel of a person's profile and its form.

The form records the person's entry in the BIG register (Wet BIG; Besluit klinisch technoloog)
with the same service as PUT /api/v1/big/staff/<id>/registration, for the same roles (admin,
the person's manager); the rules' refusals (``FieldMessage``) are shown next to their field in
the page's language. The blueprint also makes the panel's template (templates/big_kt/) findable.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Optional

from core.auth import routes
from core.auth.permissions import STAFF_WRITERS, may_edit_staff
from core.auth.visibility import editable_staff
from core.contract import DashboardTile, Panel
from core.errors import Conflict, Invalid
from core.extensions import db
from core.web.errors import field_errors
from core.web.formats import datum
from core.web.forms import DayField, ListField, choices
from core.web.views.staff import render_profile
from plugins.big_kt import services
from plugins.big_kt.models import STATUSES

# The blueprint also puts the plugin's templates (the profile panel) on the app's template path.
blp = Blueprint("big_kt", __name__, template_folder="templates")
blp.bekwaam_access = {"put_registration": {"POST": routes.STAFF_DATA}}  # as PUT /api/v1/big/.../registration

# The fields the form sets; an existing entry keeps the others (restriction dates, procedures,
# foreign diploma, recognition) as they are: the service replaces the whole entry.
FORM_FIELDS = ("big_number", "registered_on", "diploma_on", "status", "status_since", "restriction")
# A new entry gets them as the API's schema defaults them (plugins/big_kt/schemas.py).
KEPT_FIELDS = {"restriction_from": None, "restriction_until": None, "restricted_procedures": [], "institution": None,
               "track": None, "foreign_diploma": False, "recognition_decision": None, "recognition_outcome": None,
               "recognition_decided_on": None, "language_proof": False}

def status_choices():
    from core.web.context import label
    return choices([(s, label(s)) for s in STATUSES])


class RegistrationForm(FlaskForm):
    big_number = StringField(_l("BIG number (11 digits)"), validators=[
        InputRequired(message=_l("Enter the BIG number.")), Length(max=40)])
    registered_on = DayField(_l("Registration date"), validators=[
        InputRequired(message=_l("Enter the registration date."))])
    diploma_on = DayField(_l("Diploma date"), validators=[InputRequired(message=_l("Enter the diploma date."))])
    status = ListField(_l("Status"), validators=[InputRequired()])
    status_since = DayField(_l("Status since (when it changed)"), validators=[Optional()])
    restriction = StringField(_l("Restriction (when restricted)"), validators=[Length(max=2000)])


def may_write(viewer, staff) -> bool:
    return viewer.role in STAFF_WRITERS and may_edit_staff(viewer, staff)


def profile_panels(session, staff, viewer, on: dt.date) -> list[Panel]:
    summary = services.staff_summary(staff.id, on)
    writable = may_write(viewer, staff)
    if summary is None and not writable:
        return []  # not a clinical technologist, and nobody here who may record one
    registration = services.get_registration(staff.id)
    form = (g.pop("big_registration_form", None) or _form_for(registration)) if writable else None
    # Without a registration on the day there is no re-registration period either (the same
    # reading as the summary's): not read again.
    return [Panel(title=_("BIG registration"), template="big_kt/registration_panel.html", order=35, anchor="big",
                  context={"big": summary, "form": form, "registration": registration,
                           "rereg": services.reregistration_progress(staff.id, on) if summary is not None else None})]


def _form_for(row) -> RegistrationForm:
    form = RegistrationForm(formdata=None, obj=row)
    form.status.choices = status_choices()
    if row is None:
        form.status.data = "registered"
    else:
        form.status_since.data = None  # a new status date is given only when the status changes
    return form


@blp.route("/staff/<int:staff_id>/big/registration", methods=["POST"], endpoint="put_registration")
def put_registration(staff_id):
    """Create or replace the person's BIG entry: PUT /api/v1/big/staff/<id>/registration's service."""
    staff = editable_staff(g.user, staff_id)
    if not may_write(g.user, staff):
        abort(403)
    form = RegistrationForm()
    form.status.choices = status_choices()
    status = 422
    if form.validate_on_submit():
        row = services.get_registration(staff.id)
        data = {name: (default if row is None else getattr(row, name)) for name, default in KEPT_FIELDS.items()}
        data.update(big_number=form.big_number.data.strip(), registered_on=form.registered_on.data,
                    diploma_on=form.diploma_on.data, status=form.status.data, status_since=form.status_since.data,
                    restriction=(form.restriction.data or "").strip() or None)
        try:
            services.put_registration(staff.id, data, dt.date.today())
        except (Invalid, Conflict) as exc:
            status = exc.status
            shown_anywhere = False
            for name, messages in field_errors(exc).items():  # in the page's language
                field = getattr(form, name, None) if name in FORM_FIELDS else None
                if field is None:
                    field = form.big_number if name == "_schema" else None
                if field is not None:
                    field.errors = list(field.errors) + list(messages)
                    shown_anywhere = True
            if not shown_anywhere:  # a kept field the form does not show: say it above the form
                flash(_("The BIG registration was not saved: %(errors)s", errors="; ".join(
                    m for messages in field_errors(exc).values() for m in messages)), "error")
        else:
            flash(_("BIG registration saved: %(number)s, %(status)s since %(since)s.", number=data["big_number"],
                    status=_label(services.get_registration(staff.id).status),
                    since=datum(services.get_registration(staff.id).status_since)), "success")
            return redirect(url_for("web.staff_profile", staff_id=staff.id, _anchor="big"))
    db.session.rollback()
    g.big_registration_form = form
    return render_profile(staff, status=status)


def _label(code: str) -> str:
    from core.web.context import label
    return label(code)


def dashboard_tiles(session, viewer, on: dt.date) -> list[DashboardTile]:
    """A clinical technologist's own BIG standing on their home page."""
    if viewer.role != "technician" or viewer.staff_id is None:
        return []
    summary = services.staff_summary(viewer.staff_id, on)
    if summary is None:
        return []
    from core.web.context import label
    from core.web.formats import datum
    due = dt.date.fromisoformat(summary["due"]) if summary["due"] else None
    text = _("BIG registration, re-registration due %(date)s", date=datum(due)) if due else _("BIG registration")
    soon = due is not None and due <= on + dt.timedelta(days=365)
    return [DashboardTile(label=text, value=label(summary["status"]), endpoint="web.staff_profile", order=20,
                          values={"staff_id": viewer.staff_id, "_anchor": "big"},
                          tone="expiring" if soon or summary["status"] != "registered" else "")]
