"""The competence check the maintenance system (CMMS: Ultimo, TOPdesk, ...) calls when it assigns a work order.

``POST /integrations/cmms/v1/can-perform`` with the CMMS key (``bekwaam cmms
token``): for one asset (by asset number) and one activity, which of the
candidate technicians (by employee number) may do the work on that day, each
with the decision's reasons. The answer is ``core.decision``'s, for all
candidates at once; an employee number Bekwaam does not know is refused with
a reason (fail closed), never left out. The key reaches this check only, not
the rest of the API.
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask import Blueprint, g, jsonify, request
from marshmallow import ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from core.audit import access
from core.audit.services import set_actor
from core.decision import services as decision
from core.devices.models import Device, DeviceType
from core.evidence.models import EvidenceToken
from core.extensions import db
from core.schemas import Day, StrictSchema
from core.staff.models import Staff
from core.tvb.models import Activity

MAX_CANDIDATES = 500
blp = Blueprint("cmms", __name__, url_prefix="/integrations/cmms/v1")


class CanPerformRequest(StrictSchema):
    asset_number = fields.String(required=True, validate=validate.Length(min=1, max=60))
    activity_id = fields.Integer(metadata={"description": "the TVB activity (or give its exact name)"})
    activity = fields.String(validate=validate.Length(min=1, max=200))
    employee_numbers = fields.List(fields.String(validate=validate.Length(min=1, max=40)), required=True,
                                   validate=validate.Length(min=1, max=MAX_CANDIDATES))
    on = Day()

    @validates_schema
    def _one_activity(self, data, **kwargs):
        if ("activity_id" in data) == ("activity" in data):
            raise ValidationError({"activity_id": ["Give activity_id or activity (its name), one of them."]})


def issue(created_by: int | None = None, label: str | None = None) -> tuple[str, EvidenceToken]:
    secret = EvidenceToken.new_secret()
    row = EvidenceToken(kind="cmms", token_hash=EvidenceToken.hash(secret), created_by=created_by, label=label)
    db.session.add(row)
    db.session.flush()
    return secret, row


def _problem(status: int, message: str, errors: dict | None = None):
    body = {"code": status, "message": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


@blp.before_request
def authenticate():
    scheme, _, secret = (request.headers.get("Authorization") or "").partition(" ")
    row = None
    if scheme.lower() == "bearer" and secret.strip():
        row = db.session.scalar(select(EvidenceToken).where(
            EvidenceToken.token_hash == EvidenceToken.hash(secret.strip()), EvidenceToken.kind == "cmms",
            EvidenceToken.revoked_at.is_(None)))
    if row is None:
        return _problem(401, "A valid CMMS key is required (Authorization: Bearer <key>; bekwaam cmms token).")
    # Who read: the access log (NEN 7513) names the key; the CMMS names its user in X-On-Behalf-Of.
    g.user = SimpleNamespace(id=None, email=f"cmms key {row.id}" + (f" ({row.label})" if row.label else ""),
                             role="cmms", staff_id=None)
    set_actor(g.user)
    return None


def _activity(data) -> Activity | None:
    if "activity_id" in data:
        return db.session.get(Activity, data["activity_id"])
    return db.session.scalar(select(Activity).where(Activity.name == data["activity"]))


@blp.post("/can-perform")
def can_perform():
    try:
        data = CanPerformRequest().load(request.get_json(silent=True) or {})
    except ValidationError as exc:
        return _problem(422, "The request has errors; each field is named.", exc.messages)
    on = data.get("on") or dt.date.today()
    device = db.session.scalar(select(Device).where(Device.asset_number == data["asset_number"]))
    if device is None:
        return _problem(422, "Unknown asset.", {"asset_number": [f"No device with asset number {data['asset_number']}."]})
    activity = _activity(data)
    if activity is None:
        key = "activity_id" if "activity_id" in data else "activity"
        return _problem(422, "Unknown activity.", {key: ["No such activity."]})
    device_type = db.session.get(DeviceType, device.device_type_id)
    wanted = list(dict.fromkeys(data["employee_numbers"]))  # the order the CMMS gave, duplicates once
    known = dict(db.session.execute(select(Staff.employee_number, Staff.id).where(Staff.employee_number.in_(wanted))).all())
    decisions = decision.decide_many(sorted(set(known.values())), activity, device_type, on)
    results = []
    for number in wanted:
        if number not in known:
            results.append({"employee_number": number, "allowed": False, "reasons": [{
                "source": "cmms", "code": "unknown_employee", "ok": False,
                "message": f"No staff with employee number {number} in Bekwaam."}]})
            continue
        results.append({"employee_number": number, **decisions[known[number]].as_dict()})
    access.note(people=len(known), subject=f"bulk: CMMS check {device.asset_number}, {len(known)} people")
    return jsonify({
        "asset_number": device.asset_number,
        "device_type": {"id": device_type.id, "manufacturer": device_type.manufacturer, "model": device_type.model},
        "activity": {"id": activity.id, "name": activity.name},
        "on": on.isoformat(),
        "allowed": [r["employee_number"] for r in results if r["allowed"]],
        "results": results,
    })
