"""Adding and editing device types, and moving them through their lifecycle, on the pages.

Written as POST/PATCH /api/v1/device-types writes them: ``crud.save`` with the
API's resource (the schema, one type per manufacturer and model,
``check_lifecycle``: phase 6 only through the release, Leidraad Medische
Technologie 2026, fase 5 vrijgave). Hospital-wide writers only. Taking a type
out of use (phase 7, buitengebruikstellen en afvoer) asks for a confirmation first.
"""
from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core import crud
from core.decision.services import device_type_or_not_found
from core.devices.api import DEVICE_TYPES
from core.devices.models import DECOMMISSIONED_PHASE, DeviceType, TechnologyGroup
from core.devices.schemas import DeviceTypeSchema
from core.errors import DomainError
from core.extensions import db
from core.web.blueprint import blp
from core.web.forms import PHASES, DeviceTypeForm, PhaseForm, choices
from core.web.views.device_types import render_device_type
from core.web.writes import load, refused


def _group_choices(form) -> None:
    rows = db.session.execute(select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name)
                              .order_by(TechnologyGroup.code)).all()
    form.technology_group_id.choices = choices([("", "–")] + [(r.id, f"{r.code}. {r.name}") for r in rows])


def _page(form, device_type=None, status=200, errors=()):
    return render_template("device_type_form.html", form=form, device_type=device_type, errors=list(errors),
                           today=dt.date.today()), status


def _save(form, device_type: DeviceType | None):
    _group_choices(form)
    if not form.validate_on_submit():
        db.session.rollback()
        return _page(form, device_type, 422)
    payload = {"manufacturer": form.manufacturer.data.strip(), "model": form.model.data.strip(),
               "name": form.name.data.strip(), "technology_group_id": form.technology_group_id.data,
               "mdr_class": form.mdr_class.data or None}
    if device_type is None:  # the phase is given when the type is registered; later only by the phase form
        payload["lifecycle_phase"] = form.lifecycle_phase.data or 1
        payload["released_on"] = form.released_on.data.isoformat() if form.released_on.data else None
    data, rest = load(DeviceTypeSchema, payload, form)
    if data is not None:
        try:
            if device_type is None:
                device_type = crud.save(DEVICE_TYPES, DeviceType(), data, is_new=True)
                flash(_("Device type added."), "success")
            else:
                crud.save(DEVICE_TYPES, crud.get_visible(DEVICE_TYPES, device_type.id, for_update=True), data,
                          is_new=False)
                flash(_("Device type saved."), "success")
        except DomainError as exc:
            rest = refused(form, exc)
        else:
            return redirect(url_for("web.device_type", device_type_id=device_type.id))
    db.session.rollback()
    return _page(form, device_type, 422, rest)


@blp.route("/device-types/new", methods=["GET", "POST"])
def device_type_new():
    form = DeviceTypeForm()
    if request.method == "POST":
        return _save(form, None)
    _group_choices(form)
    return _page(form)


@blp.route("/device-types/<int:device_type_id>/edit", methods=["GET", "POST"])
def device_type_edit(device_type_id):
    device_type = device_type_or_not_found(device_type_id)
    if request.method == "POST":
        return _save(DeviceTypeForm(), device_type)
    form = DeviceTypeForm(obj=device_type)
    _group_choices(form)
    return _page(form, device_type)


@blp.route("/device-types/<int:device_type_id>/phase", methods=["POST"])
def device_type_phase(device_type_id):
    """A new lifecycle phase, as PATCH lifecycle_phase (and phase_since) does; phase 7 only once confirmed."""
    device_type = device_type_or_not_found(device_type_id)
    form = PhaseForm()
    errors = []
    if form.validate_on_submit():
        if form.lifecycle_phase.data == DECOMMISSIONED_PHASE and form.confirm.data != "yes":
            return render_template("decommission_confirm.html", device_type=device_type, form=form,
                                   phase_name=PHASES[DECOMMISSIONED_PHASE], today=dt.date.today())
        payload = {"lifecycle_phase": form.lifecycle_phase.data}
        if form.phase_since.data:
            payload["phase_since"] = form.phase_since.data.isoformat()
        data, errors = load(DeviceTypeSchema, payload, form, partial=True)
        if data is not None:
            try:
                crud.save(DEVICE_TYPES, crud.get_visible(DEVICE_TYPES, device_type.id, for_update=True), data,
                          is_new=False)
            except DomainError as exc:
                errors = refused(form, exc)
            else:
                flash(_("Lifecycle phase changed to %(phase)s.", phase=PHASES[form.lifecycle_phase.data]), "success")
                return redirect(url_for("web.device_type", device_type_id=device_type.id, _anchor="lifecycle"))
    db.session.rollback()
    g.phase_form, g.phase_errors = form, errors
    return render_device_type(device_type_or_not_found(device_type_id), 422)
