"""REST resources of the Leidraad plugin under /api/v1/leidraad."""
from __future__ import annotations

import datetime as dt

from flask_smorest import Blueprint
from sqlalchemy import select

from core.auth import routes
from core.auth.permissions import ALL_ROLES_READ, HOSPITAL_WIDE_WRITERS, current_user, require
from core.decision.services import device_type_or_not_found
from core.devices.models import DeviceType
from core.errors import abort, field_errors
from core.extensions import db
from core.plugins_runtime import blockers_for_api
from plugins.leidraad import rules, services
from plugins.leidraad.models import Approval, SafetyNotice
from plugins.leidraad.schemas import (
    ApprovalSchema, ChangeSchema, OnArgs, ReleaseCheckSchema, ReleaseSchema, RequirementsSchema,
    SafetyNoticeSchema, ScreeningResultSchema, ScreeningSchema,
)

blp = Blueprint("leidraad", __name__, url_prefix="/api/v1/leidraad",
                description="Leidraad Medische Technologie 2026: risk screening, policy, release")
WRITERS = HOSPITAL_WIDE_WRITERS  # screenings, approvals, releases hold for every department
# Who may call which route, checked before any view (core/auth/routes.py).
blp.bekwaam_access = {
    "screenings": {"GET": routes.READ}, "screen": {"POST": routes.HOSPITAL},
    "approvals": {"GET": routes.READ}, "approve": {"POST": routes.HOSPITAL},
    "release_check": {"GET": routes.READ}, "release": {"POST": routes.HOSPITAL},
    "requirements": {"GET": routes.READ}, "override": {"PUT": routes.HOSPITAL, "DELETE": routes.HOSPITAL},
    "safety_notices": {"GET": routes.READ}, "add_safety_notice": {"POST": routes.HOSPITAL},
    "get_policy": {"GET": routes.READ}, "put_policy": {"PUT": routes.HOSPITAL},
}


def _device_type(device_type_id: int) -> DeviceType:
    return device_type_or_not_found(device_type_id)


@blp.route("/device-types/<int:device_type_id>/screenings", methods=["GET"])
@blp.response(200, ScreeningSchema(many=True))
def screenings(device_type_id):
    """Screening history (risicoscreening), newest first."""
    require(*ALL_ROLES_READ)
    _device_type(device_type_id)
    return services.screenings_of(device_type_id)


@blp.route("/device-types/<int:device_type_id>/screenings", methods=["POST"])
@blp.arguments(ScreeningSchema)
@blp.response(201, ScreeningResultSchema)
def screen(data, device_type_id):
    """Screen a device type; a changed class recomputes expiries and reports who becomes non-compliant."""
    require(*WRITERS)
    screening, changes = services.add_screening(_device_type(device_type_id), data, current_user().id)
    screening.changes = changes
    return screening


@blp.route("/policy", methods=["GET"])
def get_policy():
    """The institution's risk and competence policy in force today."""
    require(*ALL_ROLES_READ)
    return rules.policy_to_dict(services.policy_on(dt.date.today()))


def _valid_from_arg() -> dt.date | None:
    """``?valid_from=`` of a dated change, bounded like every domain date (422 naming it)."""
    from flask import request

    from core.devices.schemas import DATE_BOUNDS

    if not request.args.get("valid_from"):
        return None
    try:
        valid_from = dt.date.fromisoformat(request.args["valid_from"])
        DATE_BOUNDS(valid_from)
    except (ValueError, Exception) as exc:  # noqa: BLE001 - a bad date is the client's error
        field_errors({"valid_from": [f"Not a valid date between 1950-01-01 and 2100-12-31 ({exc})."]})
    return valid_from


@blp.route("/policy", methods=["PUT"])
def put_policy():
    """Replace the policy from today or from ``?valid_from=`` (a later date); reports who
    becomes non-compliant from which date (staff id and name)."""
    from flask import request

    require(*WRITERS)
    document = request.get_json(silent=True)
    valid_from = _valid_from_arg()
    try:
        version, changes = services.set_policy(document, current_user().id, valid_from)
    except rules.PolicyError as exc:
        field_errors(exc.errors)
    return {"policy": version.document, "effective_on": version.effective_on.isoformat(),
            "changes": ChangeSchema(many=True).dump(changes)}


@blp.route("/device-types/<int:device_type_id>/requirements", methods=["GET"])
@blp.arguments(OnArgs, location="query")
@blp.response(200, RequirementsSchema)
def requirements(args, device_type_id):
    """Per role: method and re-assessment interval for this device type (class + policy + override)."""
    require(*ALL_ROLES_READ)
    return services.requirements_for(_device_type(device_type_id), args.get("on") or dt.date.today())


@blp.route("/device-types/<int:device_type_id>/override", methods=["PUT", "DELETE"])
def override(device_type_id):
    """Set (PUT role → {method, interval_months}) or remove (DELETE) this type's override of the policy,
    from today or from ``?valid_from=`` (a later date); earlier dates keep the override they had."""
    from flask import request

    require(*WRITERS)
    device_type = _device_type(device_type_id)
    document = None
    if request.method == "PUT":
        document = request.get_json(silent=True)
        if not isinstance(document, dict):
            # A missing or broken body must not be taken for a DELETE of the override.
            field_errors({"_schema": ["Send a JSON object: role → {method, interval_months}."]})
    try:
        changes = services.set_override(device_type, document, _valid_from_arg())
    except rules.PolicyError as exc:
        field_errors(exc.errors)
    return {"device_type_id": device_type.id, "changes": ChangeSchema(many=True).dump(changes)}


@blp.route("/device-types/<int:device_type_id>/approvals", methods=["GET"])
@blp.response(200, ApprovalSchema(many=True))
def approvals(device_type_id):
    require(*ALL_ROLES_READ)
    _device_type(device_type_id)
    return db.session.scalars(select(Approval).where(Approval.device_type_id == device_type_id)
                              .order_by(Approval.date, Approval.id)).all()


@blp.route("/device-types/<int:device_type_id>/approvals", methods=["POST"])
@blp.arguments(ApprovalSchema)
@blp.response(201, ApprovalSchema)
def approve(data, device_type_id):
    """Record a technical or clinical approval, or the completed PRI."""
    require(*WRITERS)
    return services.add_approval(_device_type(device_type_id), data)


@blp.route("/device-types/<int:device_type_id>/release-check", methods=["GET"])
@blp.arguments(OnArgs, location="query")
@blp.response(200, ReleaseCheckSchema)
def release_check(args, device_type_id):
    """Every item still missing before the device type may be released (Leidraad Medische Technologie 2026, fase 5 vrijgave)."""
    require(*ALL_ROLES_READ)
    on = args.get("on") or dt.date.today()
    missing = services.release_missing(_device_type(device_type_id), on)
    return {"device_type_id": device_type_id, "on": on, "releasable": not missing, "missing": missing}


@blp.route("/device-types/<int:device_type_id>/release", methods=["POST"])
@blp.arguments(ReleaseSchema)
def release(data, device_type_id):
    """Release (vrijgave): the type enters phase 6, or 409 with the missing items."""
    require(*WRITERS)
    device_type = _device_type(device_type_id)
    on = data.get("date") or dt.date.today()
    missing = services.release(device_type, on, current_user().id)
    if missing:
        abort(409, message="The device type cannot be released yet.", missing=blockers_for_api(missing))
    # released_on stays the first release; ``date`` is this (re-)release.
    return {"device_type_id": device_type.id, "lifecycle_phase": device_type.lifecycle_phase,
            "released_on": device_type.released_on.isoformat(), "date": on.isoformat()}


@blp.route("/device-types/<int:device_type_id>/safety-notices", methods=["GET"])
@blp.response(200, SafetyNoticeSchema(many=True))
def safety_notices(device_type_id):
    require(*ALL_ROLES_READ)
    _device_type(device_type_id)
    return db.session.scalars(select(SafetyNotice).where(SafetyNotice.device_type_id == device_type_id)
                              .order_by(SafetyNotice.issued_on)).all()


@blp.route("/device-types/<int:device_type_id>/safety-notices", methods=["POST"])
@blp.arguments(SafetyNoticeSchema)
@blp.response(201, SafetyNoticeSchema)
def add_safety_notice(data, device_type_id):
    """A safety notice or recall: competences obtained before it are due again by ``reinstruct_by``."""
    require(*WRITERS)
    return services.add_safety_notice(_device_type(device_type_id), data)
