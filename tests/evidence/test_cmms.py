"""The maintenance system's competence check: many candidates at once, by employee and asset
number, the decision's answer with its reasons, only with the CMMS key."""
from __future__ import annotations

import pytest

from core.extensions import db

URL = "/integrations/cmms/v1/can-perform"


@pytest.fixture
def key(app):
    from core.evidence import cmms
    with app.app_context():
        secret, row = cmms.issue(label="Ultimo")
        db.session.commit()
        return {"secret": secret, "id": row.id, "headers": {"Authorization": f"Bearer {secret}"}}


def _body(hospital, **extra):
    return {"asset_number": "MT-00042", "activity_id": hospital["activity"],
            "employee_numbers": ["100002", "100001", "999999"], "on": "2026-06-01", **extra}


def test_many_candidates_at_once_with_reasons(client, hospital, key):
    response = client.post(URL, headers=key["headers"], json=_body(hospital))
    assert response.status_code == 200, response.json
    body = response.json
    assert body["device_type"]["model"] == "Evita V800" and body["activity"]["name"] == "Preventief onderhoud"
    assert body["allowed"] == ["100001"]
    by_number = {r["employee_number"]: r for r in body["results"]}
    assert [r["employee_number"] for r in body["results"]] == ["100002", "100001", "999999"]  # the CMMS's order
    assert by_number["100001"]["allowed"] is True
    assert "authorised" in [r["code"] for r in by_number["100001"]["reasons"]]
    assert by_number["100002"]["allowed"] is False
    assert "not_authorised" in [r["code"] for r in by_number["100002"]["reasons"]]
    # fail closed: an unknown employee number is refused with a reason, not left out
    assert by_number["999999"] == {"employee_number": "999999", "allowed": False, "reasons": [
        {"source": "cmms", "code": "unknown_employee", "ok": False,
         "message": "No staff with employee number 999999 in Bekwaam."}]}


def test_the_answer_is_the_decisions(app, client, hospital, key):
    """The same yes and no as can_perform for the same day (no rule of its own)."""
    from core.decision.services import decide_many
    from core.devices.models import DeviceType
    from core.tvb.models import Activity
    import datetime as dt
    body = client.post(URL, headers=key["headers"], json=_body(hospital, on="2026-07-01")).json
    with app.app_context():
        decided = decide_many([hospital["anna"], hospital["bert"]], db.session.get(Activity, hospital["activity"]),
                              db.session.get(DeviceType, hospital["device_type"]), dt.date(2026, 7, 1))
    by_number = {r["employee_number"]: r for r in body["results"]}
    assert by_number["100001"]["allowed"] == decided[hospital["anna"]].allowed
    assert by_number["100002"]["reasons"] == decided[hospital["bert"]].as_dict()["reasons"]


def test_activity_by_name(client, hospital, key):
    body = _body(hospital, activity="Preventief onderhoud")
    del body["activity_id"]
    assert client.post(URL, headers=key["headers"], json=body).json["allowed"] == ["100001"]


def test_only_the_cmms_key_opens_it(app, client, hospital, key):
    assert client.post(URL, json=_body(hospital)).status_code == 401
    user_token = hospital["users"]["admin"]  # a user's API token is not a CMMS key
    assert client.post(URL, headers=user_token, json=_body(hospital)).status_code == 401
    from core.evidence.calendar import revoke
    from core.evidence.models import EvidenceToken
    with app.app_context():
        revoke(db.session.get(EvidenceToken, key["id"]))
        db.session.commit()
    assert client.post(URL, headers=key["headers"], json=_body(hospital)).status_code == 401


def test_the_key_does_not_open_the_api(client, hospital, key):
    assert client.get("/api/v1/staff", headers=key["headers"]).status_code == 401


def test_bad_input_names_each_field(client, hospital, key):
    response = client.post(URL, headers=key["headers"], json={"employee_numbers": [], "on": "2026-13-01"})
    assert response.status_code == 422
    assert {"asset_number", "employee_numbers", "on"} <= set(response.json["errors"])
    unknown = client.post(URL, headers=key["headers"], json=_body(hospital, asset_number="NOPE"))
    assert unknown.status_code == 422 and "asset_number" in unknown.json["errors"]
    assert client.post(URL, headers=key["headers"], data="not json").status_code == 422


def test_the_read_is_in_the_access_log(app, client, hospital, key):
    from sqlalchemy import select

    from core.audit.models import AccessLogEntry
    client.post(URL, headers={**key["headers"], "X-On-Behalf-Of": "planner@example.org"}, json=_body(hospital))
    with app.app_context():
        entry = db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id.desc())).first()
    assert entry.actor.startswith(f"cmms key {key['id']}") and entry.on_behalf_of == "planner@example.org"
    assert entry.people == 2


def test_cli_issues_a_key(app):
    from core.cli import cli
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["cmms", "token", "--label", "TOPdesk"])
    assert result.exit_code == 0, result.output
    assert "CMMS key" in result.output and len(result.output.strip().splitlines()[-1]) >= 40
