"""Which role may call which route: one table for the whole application, checked before any view runs.

Every endpoint and method the app serves has an entry (a plugin gives its
own on its blueprints, ``bekwaam_access``, so the core names none of them); a route without one is
refused (403) for everyone, so a new route is closed until someone decides
who may use it, and ``tests/core/test_route_access.py`` fails until the entry
and its test row exist. The table says which roles get past the door; the
views then narrow by data (a manager only their own department tree, a
technician only themself), so both layers are tested per role.

Checking here, before the view, also means a refused caller gets 403 and not
a 422 about the body they were not allowed to send in the first place.
"""
from __future__ import annotations

from core.auth.permissions import (
    ACKNOWLEDGERS, ALL_ROLES_READ, ASSIGNERS, AUDIT_READERS, HOSPITAL_WIDE_WRITERS, SELF_SERVICE as _SELF_SERVICE,
    STAFF_WRITERS, TVB_WRITERS,
)

PUBLIC = "public"  # no login needed (health checks, the login page, static files, the OpenAPI document)
# No user role at all: the identity system's provisioning endpoint, which takes only its own token.
SCIM = ()

READ = ALL_ROLES_READ
ADMIN = ("admin",)
HOSPITAL = HOSPITAL_WIDE_WRITERS  # device types, screenings, safety notices, approvals, releases, overrides, policy
STAFF_DATA = STAFF_WRITERS  # a person's records; the view limits a manager to their tree
SELF_SERVICE = _SELF_SERVICE  # as STAFF_DATA, and a technician for themself only
TVB = TVB_WRITERS
ASSIGN = ASSIGNERS
AUDIT = AUDIT_READERS
ACKNOWLEDGE = ACKNOWLEDGERS
# A person's own documents (the passport, the FHIR export): the person, their manager, admins and
# auditors, as the personal-data export; the view hides anyone else's (404).
PERSONAL_DOCUMENTS = ("admin", "manager", "technician", "auditor")


def _crud(read=READ, write=ADMIN) -> tuple[dict, dict]:
    return {"GET": read, "POST": write}, {"GET": read, "PATCH": write, "DELETE": write}


def portfolio(name: str, post=STAFF_DATA) -> dict:
    """A plugin's per-person collection and item (``<name>_collection``, ``<name>_item``)."""
    return {f"{name}_collection": {"GET": READ, "POST": post},
            f"{name}_item": {"GET": READ, "PATCH": STAFF_DATA, "DELETE": STAFF_DATA}}


def _crud_pair(prefix: str, read=READ, write=ADMIN) -> dict:
    collection, item = _crud(read, write)
    return {f"{prefix}_collection": collection, f"{prefix}_item": item}


ROUTES: dict[str, dict[str, object]] = {
    # --- public --------------------------------------------------------------------
    "static": {"GET": PUBLIC},
    "healthz": {"GET": PUBLIC},
    "readyz": {"GET": PUBLIC},
    "api-docs.openapi_json": {"GET": PUBLIC},
    "api-docs.openapi_swagger_ui": {"GET": PUBLIC},
    "web.login": {"GET": PUBLIC, "POST": PUBLIC},
    "web.logout": {"POST": PUBLIC},
    "web.language": {"POST": PUBLIC},
    "web.sso_start": {"GET": PUBLIC},
    "web.sso_callback": {"GET": PUBLIC},
    "scim.user_list": {"GET": SCIM},
    "scim.user_create": {"POST": SCIM},
    "scim.user_item": {"GET": SCIM},
    "scim.user_replace": {"PUT": SCIM},
    "scim.user_patch": {"PATCH": SCIM},
    "scim.user_delete": {"DELETE": SCIM},
    "scim.service_provider_config": {"GET": SCIM},
    "scim.unknown": {method: SCIM for method in ("GET", "POST", "PUT", "PATCH", "DELETE")},
    "scim.resource_type_item": {"GET": SCIM},
    "scim.resource_type_list": {"GET": SCIM},
    "scim.schema_item": {"GET": SCIM},
    "scim.schema_list": {"GET": SCIM},
    # No user role either: the maintenance system's competence check, which takes only its own key.
    "cmms.can_perform": {"POST": SCIM},
    # --- API: people and organisation ------------------------------------------------
    **_crud_pair("staff.department"),
    **_crud_pair("staff.staff", write=STAFF_DATA),
    "dataio.Departure": {"GET": READ, "PUT": STAFF_DATA, "DELETE": STAFF_DATA},
    "dataio.personal_data": {"GET": READ},
    "dataio.anonymise": {"POST": ADMIN},
    "dataio.backup_download": {"GET": ADMIN},
    "dataio.export": {"GET": READ},  # the view narrows per export (the audit export: admin, auditor)
    **_crud_pair("dataio.import_mapping", read=ADMIN),
    "dataio.Imports": {"POST": ADMIN},
    "users.user_list": {"GET": ADMIN},
    "users.user_get": {"GET": ADMIN},
    "users.user_deactivate": {"POST": ADMIN},
    "users.user_reactivate": {"POST": ADMIN},
    "users.user_password": {"POST": ADMIN},
    "users.UserTokens": {"GET": ADMIN, "POST": ADMIN},
    "users.user_token_revoke": {"DELETE": ADMIN},
    "audit.audit_list": {"GET": AUDIT},
    "audit.access_log_list": {"GET": AUDIT},
    # --- API: devices, competences, decisions ---------------------------------------------
    "devices.technology_group_collection": {"GET": READ},
    "devices.technology_group_item": {"GET": READ},
    **_crud_pair("devices.device_type", write=HOSPITAL),
    **_crud_pair("devices.device", write=("admin", "mt_manager", "manager")),  # manager: own department's devices
    **_crud_pair("competence.competence", write=STAFF_DATA),
    "competence.competence_matrix": {"GET": READ},
    "decision.can_perform": {"GET": READ},
    "decision.authorised_staff": {"GET": READ},
    # --- API: evidence (the views narrow: the report to the people one may see, the passport and
    # FHIR export to the person, their manager, admins and auditors) ------------------------------
    "evidence.authorised_staff_pdf": {"GET": READ},
    "evidence.passport_pdf": {"GET": PERSONAL_DOCUMENTS},
    "evidence.fhir_practitioner": {"GET": PERSONAL_DOCUMENTS},
    "evidence.CalendarFeeds": {"GET": READ, "POST": SELF_SERVICE},
    "evidence.calendar_feed_revoke": {"DELETE": SELF_SERVICE},
    "evidence_web.calendar_feed": {"GET": PUBLIC},  # the URL's own secret token is the key
    "evidence_web.report_pdf": {"GET": READ},
    "evidence_web.scan": {"GET": READ},  # the answers list only the people the viewer may see
    "evidence_web.calendar_feeds": {"GET": SELF_SERVICE, "POST": SELF_SERVICE},
    "evidence_web.passport_pdf": {"GET": PERSONAL_DOCUMENTS},
    "alerts.alert_list": {"GET": READ},
    "alerts.acknowledge": {"POST": ACKNOWLEDGE},
    **_crud_pair("alerts.coverage_minimum", write=HOSPITAL),
    # --- API: TVB matrix -----------------------------------------------------------------
    **_crud_pair("tvb.role", write=TVB),
    **_crud_pair("tvb.activity", write=TVB),
    **_crud_pair("tvb.cell", write=TVB),
    **_crud_pair("tvb.assignment", write=ASSIGN),
    # --- web pages ---------------------------------------------------------------------------
    "web.dashboard": {"GET": READ},
    "web.alerts": {"GET": READ},
    "web.acknowledge": {"POST": ACKNOWLEDGE},
    "web.audit": {"GET": AUDIT},
    "web.device_types": {"GET": READ},
    "web.device_type": {"GET": READ},
    "web.device_type_authorised": {"GET": READ},
    "web.imports": {"GET": ADMIN},
    "web.imports_upload": {"POST": ADMIN},
    "web.imports_confirm": {"POST": ADMIN},
    "web.matrix": {"GET": READ},
    "web.matrix_xlsx": {"GET": READ},
    "web.staff_list": {"GET": READ},
    "web.staff_profile": {"GET": READ},
    "web.staff_can_perform": {"GET": READ},
    "web.staff_device_type_options": {"GET": READ},
    "web.tvb": {"GET": READ},
    "web.tvb_xlsx": {"GET": READ},
    "web.tvb_assign": {"POST": ASSIGN},
    "web.tvb_assignment_end": {"POST": ASSIGN},
    "web.tvb_cell": {"GET": READ},
    "web.tvb_cell_edit": {"GET": TVB},
    "web.tvb_cell_save": {"POST": TVB},
    "web.tvb_staff_suggestions": {"GET": ASSIGN},
    "web.tvb_device_type_suggestions": {"GET": TVB},
    # the core's write forms (the views narrow as the API does: a manager only within their tree)
    "web.competence_new": {"GET": STAFF_DATA, "POST": STAFF_DATA},
    "web.competence_renew": {"GET": STAFF_DATA, "POST": STAFF_DATA},
    "web.training_session": {"GET": STAFF_DATA, "POST": STAFF_DATA},
    "web.staff_new": {"GET": STAFF_DATA, "POST": STAFF_DATA},
    "web.staff_edit": {"GET": STAFF_DATA, "POST": STAFF_DATA},
    "web.staff_suggestions": {"GET": STAFF_DATA},
    "web.device_type_suggestions": {"GET": STAFF_DATA},
    "web.device_type_new": {"GET": HOSPITAL, "POST": HOSPITAL},
    "web.device_type_edit": {"GET": HOSPITAL, "POST": HOSPITAL},
    "web.device_type_phase": {"POST": HOSPITAL},
    "web.staff_role_assign": {"POST": ASSIGN},
    "web.staff_role_end": {"GET": ASSIGN, "POST": ASSIGN},
    "web.users": {"GET": ADMIN},
    "web.user_deactivate": {"POST": ADMIN},
    "web.user_reactivate": {"POST": ADMIN},
    "web.user_password": {"POST": ADMIN},
}


def add_blueprint(app, blueprint, registered_name: str) -> None:
    """Take a plugin blueprint's own entries: ``blueprint.bekwaam_access = {view: {method: roles or PUBLIC}}``.

    A plugin declares who may use its routes next to the routes themselves;
    a route it leaves out is refused like any other route without an entry.
    """
    table = app.extensions.setdefault("bekwaam_routes", dict(ROUTES))
    for view, methods in (getattr(blueprint, "bekwaam_access", None) or {}).items():
        table[f"{registered_name}.{view}"] = dict(methods)


def allowed(endpoint: str | None, method: str):
    """PUBLIC, a tuple of roles, or None when the route has no entry (refused)."""
    from flask import current_app

    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    table = current_app.extensions.get("bekwaam_routes", ROUTES)
    return table.get(endpoint or "", {}).get(method)
