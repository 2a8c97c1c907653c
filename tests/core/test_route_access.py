"""Every route × every role: who gets past authorisation, and who does not.

The table below is this test's own statement of the access rules, written
from the roles' definitions, not read from ``core/auth/routes.py``; the two
must agree, and the views' narrowing by department must agree too. A route
the app serves without a row here fails ``test_every_route_has_a_row``.

Role letters: a admin · t tvb_admin · m mt_manager (manager medische
technologie) · A manager of department A · B manager of department B ·
s technician (a person in department A, the person the paths point at) ·
u auditor. Anonymous callers and a leaver (a technician whose staff record
has left) are refused everything that is not public.

"Allowed" means past authorisation: the answer is not 401/403 (nor a redirect
to the login page). Bodies are empty, so a permitted write may well answer
422; what matters is that a refused one never gets that far.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core.extensions import db

PUBLIC = "public"
EVERYONE = "atmABsu"
STAFF_A_READ = "atmAsu"  # records of a person in A: B does not see them
STAFF_A_WRITE = "aA"
SELF_A_WRITE = "aAs"
HOSPITAL = "am"
ADMIN = "a"
TVB = "at"
AUDIT = "au"
ACK = "atmABs"


def crud(collection_post, item_read=EVERYONE, item_write=None):
    return {"GET": EVERYONE, "POST": collection_post}, {"GET": item_read, "PATCH": item_write or collection_post,
                                                        "DELETE": item_write or collection_post}


def pair(prefix, collection_post, item_read=EVERYONE, item_write=None, collection_read=EVERYONE):
    collection, item = crud(collection_post, item_read, item_write)
    collection["GET"] = collection_read
    return {f"{prefix}_collection": collection, f"{prefix}_item": item}


def portfolio(prefix, post=STAFF_A_WRITE):
    return {f"{prefix}_collection": {"GET": STAFF_A_READ, "POST": post},
            f"{prefix}_item": {"GET": STAFF_A_READ, "PATCH": STAFF_A_WRITE, "DELETE": STAFF_A_WRITE}}


TABLE = {
    "static": {"GET": PUBLIC}, "healthz": {"GET": PUBLIC}, "readyz": {"GET": PUBLIC},
    "api-docs.openapi_json": {"GET": PUBLIC}, "api-docs.openapi_swagger_ui": {"GET": PUBLIC},
    "web.login": {"GET": PUBLIC, "POST": PUBLIC}, "web.logout": {"POST": PUBLIC}, "web.language": {"POST": PUBLIC},
    "web.sso_start": {"GET": PUBLIC}, "web.sso_callback": {"GET": PUBLIC},
    # provisioning: no role, only the SCIM token (tests/core/test_scim.py)
    "scim.user_list": {"GET": ""}, "scim.user_create": {"POST": ""}, "scim.user_item": {"GET": ""},
    "scim.user_replace": {"PUT": ""}, "scim.user_patch": {"PATCH": ""}, "scim.user_delete": {"DELETE": ""},
    "scim.service_provider_config": {"GET": ""}, "scim.schema_list": {"GET": ""}, "scim.schema_item": {"GET": ""},
    "scim.resource_type_list": {"GET": ""}, "scim.resource_type_item": {"GET": ""},
    "scim.unknown": {method: "" for method in ("GET", "POST", "PUT", "PATCH", "DELETE")},
    "cmms.can_perform": {"POST": ""},  # only the CMMS key (tests/evidence/test_cmms.py)
    # people
    **pair("staff.department", ADMIN),
    **pair("staff.staff", "aAB", item_read=STAFF_A_READ, item_write=STAFF_A_WRITE),
    "dataio.Departure": {"GET": STAFF_A_READ, "PUT": STAFF_A_WRITE, "DELETE": STAFF_A_WRITE},
    "dataio.personal_data": {"GET": "aAsu"},  # the person themself, their manager, an admin or an auditor
    "dataio.anonymise": {"POST": ADMIN}, "dataio.backup_download": {"GET": ADMIN},
    "dataio.export": {"GET": EVERYONE},
    **pair("dataio.import_mapping", ADMIN, item_read=ADMIN, collection_read=ADMIN),
    "dataio.Imports": {"POST": ADMIN},
    "users.user_list": {"GET": ADMIN}, "users.user_get": {"GET": ADMIN},
    "users.user_deactivate": {"POST": ADMIN}, "users.user_reactivate": {"POST": ADMIN},
    "users.user_password": {"POST": ADMIN}, "users.UserTokens": {"GET": ADMIN, "POST": ADMIN},
    "users.user_token_revoke": {"DELETE": ADMIN},
    "audit.audit_list": {"GET": AUDIT}, "audit.access_log_list": {"GET": AUDIT},
    # devices, competences, decisions: device types and coverage minimums hold hospital-wide
    "devices.technology_group_collection": {"GET": EVERYONE}, "devices.technology_group_item": {"GET": EVERYONE},
    **pair("devices.device_type", HOSPITAL),
    **pair("devices.device", "amAB", item_read=STAFF_A_READ, item_write="amA"),
    **pair("competence.competence", "aAB", item_read=STAFF_A_READ, item_write=STAFF_A_WRITE),
    "competence.competence_matrix": {"GET": EVERYONE},
    "decision.can_perform": {"GET": STAFF_A_READ}, "decision.authorised_staff": {"GET": EVERYONE},
    # evidence: the report for everyone (narrowed to whom one sees); the passport as the personal-data export
    "evidence.authorised_staff_pdf": {"GET": EVERYONE}, "evidence.passport_pdf": {"GET": "aAsu"},
    "evidence.fhir_practitioner": {"GET": "aAsu"},
    "evidence.CalendarFeeds": {"GET": EVERYONE, "POST": "aABs"},
    "evidence.calendar_feed_revoke": {"DELETE": "aABs"}, "evidence_web.calendar_feed": {"GET": PUBLIC},
    "evidence_web.report_pdf": {"GET": EVERYONE}, "evidence_web.scan": {"GET": EVERYONE},
    "evidence_web.calendar_feeds": {"GET": "aABs", "POST": "aABs"}, "evidence_web.passport_pdf": {"GET": "aAsu"},
    "alerts.alert_list": {"GET": EVERYONE}, "alerts.acknowledge": {"POST": ACK},
    **pair("alerts.coverage_minimum", HOSPITAL),
    # TVB
    **pair("tvb.role", TVB), **pair("tvb.activity", TVB), **pair("tvb.cell", TVB),
    **pair("tvb.assignment", "atAB", item_write="atA"),
    # Leidraad: hospital-wide
    "leidraad.screenings": {"GET": EVERYONE}, "leidraad.screen": {"POST": HOSPITAL},
    "leidraad.approvals": {"GET": EVERYONE}, "leidraad.approve": {"POST": HOSPITAL},
    "leidraad.release_check": {"GET": EVERYONE}, "leidraad.release": {"POST": HOSPITAL},
    "leidraad.requirements": {"GET": EVERYONE}, "leidraad.override": {"PUT": HOSPITAL, "DELETE": HOSPITAL},
    "leidraad.safety_notices": {"GET": EVERYONE}, "leidraad.add_safety_notice": {"POST": HOSPITAL},
    "leidraad.get_policy": {"GET": EVERYONE}, "leidraad.put_policy": {"PUT": HOSPITAL},
    # VZI portfolio of the person in A
    **portfolio("vzi_mt.education"), **portfolio("vzi_mt.certificate"), **portfolio("vzi_mt.position"),
    **portfolio("vzi_mt.cpd_activity", post=SELF_A_WRITE), **portfolio("vzi_mt.work_experience"),
    "vzi_mt.certification_collection": {"GET": STAFF_A_READ, "POST": STAFF_A_WRITE},
    "vzi_mt.certification_item": {"GET": STAFF_A_READ, "DELETE": ADMIN},
    "vzi_mt.review_cpd": {"POST": STAFF_A_WRITE}, "vzi_mt.import_cpd": {"POST": SELF_A_WRITE},
    "vzi_mt.evaluation": {"GET": STAFF_A_READ}, "vzi_mt.forecast": {"GET": STAFF_A_READ},
    "vzi_mt.cancellation_collection": {"GET": STAFF_A_READ, "POST": STAFF_A_WRITE},
    # BIG register of the person in A
    "big_kt.RegistrationView": {"GET": STAFF_A_READ, "PUT": STAFF_A_WRITE},
    "big_kt.RegistrationHistoryView": {"GET": STAFF_A_READ},
    "big_kt.QualityRegisterView": {"GET": STAFF_A_READ, "PUT": STAFF_A_WRITE, "DELETE": STAFF_A_WRITE},
    **portfolio("big_kt.quality_activities"), **portfolio("big_kt.work_hours"),
    "big_kt.subdomains_collection": {"GET": STAFF_A_READ, "POST": STAFF_A_WRITE},
    "big_kt.subdomains_item": {"GET": STAFF_A_READ, "PATCH": STAFF_A_WRITE, "DELETE": STAFF_A_WRITE},
    "big_kt.EvaluationView": {"GET": STAFF_A_READ}, "big_kt.VerificationsView": {"GET": STAFF_A_READ},
    "big_kt.SubdomainsView": {"GET": EVERYONE, "POST": ADMIN},
    "big_kt.SubdomainView": {"GET": EVERYONE, "PATCH": ADMIN, "DELETE": ADMIN},
    "big_kt.VerifyView": {"POST": ADMIN},
    # web pages
    "web.dashboard": {"GET": EVERYONE}, "web.alerts": {"GET": EVERYONE}, "web.acknowledge": {"POST": ACK},
    "web.audit": {"GET": AUDIT},
    "web.device_types": {"GET": EVERYONE}, "web.device_type": {"GET": EVERYONE},
    "web.device_type_authorised": {"GET": EVERYONE}, "leidraad_web.screen": {"POST": HOSPITAL},
    "leidraad_web.approve": {"POST": HOSPITAL}, "leidraad_web.release": {"POST": HOSPITAL},
    "leidraad_web.add_safety_notice": {"POST": HOSPITAL}, "leidraad_web.override": {"POST": HOSPITAL},
    "web.imports": {"GET": ADMIN}, "web.imports_upload": {"POST": ADMIN}, "web.imports_confirm": {"POST": ADMIN},
    "web.matrix": {"GET": EVERYONE}, "web.matrix_xlsx": {"GET": EVERYONE},
    "web.staff_list": {"GET": EVERYONE}, "web.staff_profile": {"GET": STAFF_A_READ},
    "web.staff_can_perform": {"GET": STAFF_A_READ}, "web.staff_device_type_options": {"GET": STAFF_A_READ},
    "vzi_mt_web.cpd_register": {"POST": SELF_A_WRITE}, "vzi_mt_web.cpd_review": {"POST": STAFF_A_WRITE},
    "vzi_mt_web.cancel_registration": {"POST": STAFF_A_WRITE},
    "vzi_mt_web.grant_certification": {"POST": STAFF_A_WRITE},
    "vzi_mt_web.add_position": {"POST": STAFF_A_WRITE}, "vzi_mt_web.add_certificate": {"POST": STAFF_A_WRITE},
    "big_kt_web.put_registration": {"POST": STAFF_A_WRITE},
    "vzi_mt_web.upload_file": {"GET": EVERYONE},
    "vzi_mt_web.cpd_reviews": {"GET": "aAB"},  # who may review; a manager sees their own tree's entries
    "web.tvb": {"GET": EVERYONE}, "web.tvb_xlsx": {"GET": EVERYONE},
    "web.tvb_assign": {"POST": "atAB"}, "web.tvb_assignment_end": {"POST": "atA"},
    "web.tvb_cell": {"GET": EVERYONE}, "web.tvb_cell_edit": {"GET": TVB}, "web.tvb_cell_save": {"POST": TVB},
    "web.tvb_staff_suggestions": {"GET": "atAB"}, "web.tvb_device_type_suggestions": {"GET": TVB},
    "web.competence_new": {"GET": STAFF_A_WRITE, "POST": STAFF_A_WRITE},
    "web.competence_renew": {"GET": STAFF_A_WRITE, "POST": STAFF_A_WRITE},
    "web.training_session": {"GET": "aAB", "POST": "aAB"}, "web.staff_new": {"GET": "aAB", "POST": "aAB"},
    "web.staff_edit": {"GET": STAFF_A_WRITE, "POST": STAFF_A_WRITE},
    "web.staff_suggestions": {"GET": "aAB"}, "web.device_type_suggestions": {"GET": "aAB"},
    "web.device_type_new": {"GET": HOSPITAL, "POST": HOSPITAL},
    "web.device_type_edit": {"GET": HOSPITAL, "POST": HOSPITAL}, "web.device_type_phase": {"POST": HOSPITAL},
    "web.staff_role_assign": {"POST": "atA"}, "web.staff_role_end": {"GET": "atA", "POST": "atA"},
    "web.users": {"GET": ADMIN}, "web.user_deactivate": {"POST": ADMIN}, "web.user_reactivate": {"POST": ADMIN},
    "web.user_password": {"POST": ADMIN},
}

# Denied roles first, admin last: a permitted DELETE must not remove what the next role's request needs.
ROLES = ["anonymous", "leaver", "u", "s", "B", "A", "t", "m", "a"]
ROLE_NAMES = {"a": "admin", "t": "tvb_admin", "m": "mt_manager", "A": "manager", "B": "manager", "s": "technician",
              "u": "auditor"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_a_row(app):
    served = {(rule.endpoint, method) for rule, method in _routes(app)}
    listed = {(endpoint, method) for endpoint, methods in TABLE.items() for method in methods}
    assert not served - listed, f"routes without a row in the access table test: {sorted(served - listed)}"
    assert not listed - served, f"rows for routes the app does not serve: {sorted(listed - served)}"


def test_the_app_table_agrees_on_the_doors(app):
    """core/auth/routes.py lets in exactly the roles this table allows somewhere on the route."""
    from core.auth.routes import PUBLIC as APP_PUBLIC
    routes = app.extensions["bekwaam_routes"]  # the core's entries and those the plugins' blueprints give
    for endpoint, methods in TABLE.items():
        for method, letters in methods.items():
            roles = routes[endpoint][method]
            if letters == PUBLIC:
                assert roles is APP_PUBLIC, (endpoint, method)
            else:
                assert {ROLE_NAMES[c] for c in letters} <= set(roles), (endpoint, method, roles)


@pytest.fixture
def world(app, make):
    """Two departments, a person in each, a leaver, one object of each kind the paths point at, and a caller per role."""
    from core.auth import sessions
    from core.auth.services import create_user, new_token
    from core.competence.models import Competence
    from core.dataio.models import StaffDeparture
    from core.devices.models import Device
    from core.tvb.models import Activity, Assignment, Role

    dept_a, dept_b = make.department(code="A"), make.department(code="B")
    in_a = make.staff(department_id=dept_a.id, name="Anna A")
    make.staff(department_id=dept_b.id, name="Bert B")
    gone = make.staff(department_id=dept_a.id, name="Gijs Gone")
    device_type = make.device_type()
    callers = {}
    with app.app_context():
        device = Device(asset_number="A-1", device_type_id=device_type.id, department_id=dept_a.id)
        competence = Competence(staff_id=in_a.id, device_type_id=device_type.id, role="technician",
                                obtained_on=dt.date(2024, 1, 1), method="instruction")
        tvb_role, activity = Role(name="MT4"), Activity(name="Onderhoud", level="operational")
        db.session.add_all([device, competence, tvb_role, activity])
        db.session.flush()
        assignment = Assignment(staff_id=in_a.id, role_id=tvb_role.id, valid_from=dt.date(2024, 1, 1))
        db.session.add(assignment)
        specs = {"a": {}, "t": {}, "m": {}, "A": {"department_id": dept_a.id}, "B": {"department_id": dept_b.id},
                 "s": {"staff_id": in_a.id}, "u": {}, "leaver": {"staff_id": gone.id}}
        for key, kw in specs.items():
            user = create_user(f"{key.lower()}{'2' if key.isupper() else ''}@example.org",
                               ROLE_NAMES.get(key, "technician"), **kw)
            callers[key] = {"id": user.id, "token": new_token(user), "sid": sessions.start(user.id)}
        db.session.add(StaffDeparture(staff_id=gone.id, left_on=dt.date.today() - dt.timedelta(days=1)))
        db.session.commit()
        ids = {"staff_id": in_a.id, "device_type_id": device_type.id, "role_id": tvb_role.id,
               "activity_id": activity.id, "assignment_id": assignment.id, "user_id": callers["u"]["id"]}
        objects = {"staff.staff_item": in_a.id, "staff.department_item": dept_a.id,
                   "devices.device_item": device.id, "devices.device_type_item": device_type.id,
                   "competence.competence_item": competence.id, "tvb.role_item": tvb_role.id,
                   "tvb.activity_item": activity.id, "tvb.assignment_item": assignment.id,
                   "devices.technology_group_item": 1}
    return {"callers": callers, "ids": ids, "objects": objects}


VALUES = {"anything": "Groups", "schema_id": "urn:ietf:params:scim:schemas:core:2.0:User", "type_id": "User", "what": "staff", "fmt": "csv", "kind": "staff", "code": "nl", "name": "nothing.pdf", "filename": "app.css"}


def _url(app, rule, endpoint, world):
    args = {}
    for name in rule.arguments:
        if name == "obj_id":
            args[name] = world["objects"].get(endpoint, 999)
        elif name in world["ids"]:
            args[name] = world["ids"][name]
        else:
            args[name] = VALUES.get(name, 999)
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, **args)


def _call(app, method, url, role, world):
    from tests.web.conftest import login_as  # noqa: F401 - the same cookie shape as the page tests
    client = app.test_client()
    headers = {}
    if role != "anonymous":
        caller = world["callers"][role]
        if url.startswith("/api/"):
            headers["Authorization"] = f"Bearer {caller['token']}"
        else:
            from core.auth import sessions
            with client.session_transaction() as session:
                session["_user_id"] = str(caller["id"])
                session["_fresh"] = True
                session[sessions.SESSION_KEY] = caller["sid"]
    kwargs = {"json": {}} if url.startswith("/api/") and method in ("POST", "PUT", "PATCH") else {}
    if not url.startswith("/api/") and method == "POST":
        kwargs = {"data": {}}
    response = client.open(url, method=method, headers=headers, **kwargs)
    response.close()
    return response


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def _cases():
    return [(endpoint, method) for endpoint, methods in sorted(TABLE.items()) for method in sorted(methods)]


@pytest.mark.parametrize("endpoint, method", _cases())
def test_route_against_every_role(app, world, endpoint, method):
    rules = [rule for rule, m in _routes(app) if rule.endpoint == endpoint and m == method]
    assert rules, f"{endpoint} {method} is in the table but not served"
    url = _url(app, rules[0], endpoint, world)
    expected = TABLE[endpoint][method]
    wrong = []
    for role in ROLES:
        response = _call(app, method, url, role, world)
        assert response.status_code < 500, (role, method, url, response.status_code)
        if expected == PUBLIC:
            if response.status_code in (401, 403):
                wrong.append(f"{role}: refused ({response.status_code}) a public route")
            continue
        allowed = role in expected
        if allowed and _refused(response):
            wrong.append(f"{role}: refused ({response.status_code}) but should be let in")
        elif not allowed and not _refused(response):
            # Someone outside department A is told the person does not exist rather than refused.
            hidden = role == "B" and response.status_code == 404
            if not hidden:
                wrong.append(f"{role}: let in ({response.status_code}) but should be refused")
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)
