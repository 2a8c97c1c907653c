"""The Leidraad plugin's part of the pages: a device type's requirements and its risk screening.

Leidraad Medische Technologie 2026, fase 2 (risicoscreening) decides the risk
class, and the class decides what every role must show; the screening form
calls the same service as POST /api/v1/leidraad/device-types/<id>/screenings.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, g, redirect, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.auth import routes
from core.auth.permissions import HOSPITAL_WIDE_WRITERS
from core.contract import Panel
from core.decision.services import device_type_or_not_found
from core.errors import Invalid
from core.extensions import db
from core.web.errors import field_errors
from core.web.forms import choices
from core.web.views.device_types import render_device_type
from plugins.leidraad import services

blp = Blueprint("leidraad", __name__, template_folder="templates")
blp.bekwaam_access = {"screen": {"POST": routes.HOSPITAL}}

SCREENERS = HOSPITAL_WIDE_WRITERS  # as POST /api/v1/leidraad/device-types/<id>/screenings

LEVELS = [("low", _l("low")), ("medium", _l("medium")), ("high", _l("high"))]
LEVEL_CHOICES = choices(LEVELS)


class ScreeningForm(FlaskForm):
    screened_on = DateField(_l("Screening date"), validators=[Optional()])
    product_risk = SelectField(_l("Product risk"), choices=choices([("", _l("From the MDR/IVDR class"))] + LEVELS),
                               validators=[Optional()])
    usage_context = SelectField(_l("Usage context"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    novelty = SelectField(_l("Novelty"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    impact = SelectField(_l("Impact"), choices=LEVEL_CHOICES, validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


def device_type_panels(session, device_type, viewer, on: dt.date) -> list[Panel]:
    form = None
    if viewer.role in SCREENERS:
        form = g.pop("leidraad_screening_form", None) or ScreeningForm()
    return [
        Panel(title=_("Requirements"), template="leidraad/requirements_panel.html", order=20, anchor="requirements",
              context={"req": services.requirements_for(device_type, on)}),
        Panel(title=_("Risk screening"), template="leidraad/screening_panel.html", order=30, anchor="screening", wide=True,
              context={"screenings": services.screenings_of(device_type.id), "form": form}),
    ]


@blp.route("/device-types/<int:device_type_id>/screenings", methods=["POST"])
def screen(device_type_id):
    device_type = device_type_or_not_found(device_type_id)
    form = ScreeningForm()
    if form.validate_on_submit():
        data = {"screened_on": form.screened_on.data, "product_risk": form.product_risk.data or None,
                "usage_context": form.usage_context.data, "novelty": form.novelty.data, "impact": form.impact.data,
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
