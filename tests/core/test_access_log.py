"""NEN 7513 access log: every read of a person's data leaves one row per request:
who, when, whose, what, from where, on whose behalf; the log is hash-chained,
readable by admins and auditors only, and reading it is logged too."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text

from core.audit.chain import verify
from core.audit.models import AccessLogEntry
from core.extensions import db
from tests.web.conftest import login_as


def _log(app):
    with app.app_context():
        return db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()


def test_reads_of_a_person_are_logged_once_per_request(app, client, make):
    person = make.staff(employee_number="P1")
    others = [make.staff(employee_number=f"P{i}") for i in range(2, 5)]
    user_id, headers = make.user("admin", email="reader@example.org")
    headers = {**headers, "X-On-Behalf-Of": "ward-system", "X-Forwarded-For": "10.9.9.9"}
    started = dt.datetime.now(dt.timezone.utc)
    assert client.get(f"/api/v1/staff/{person.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/vzi/staff/{person.id}/evaluation", headers=headers).status_code == 200
    assert client.get(f"/api/v1/staff/{person.id}/can-perform?activity_id=1", headers=headers).status_code in (200, 422)
    assert client.get("/api/v1/staff", headers=headers).status_code == 200
    assert client.get("/api/v1/exports/staff.csv", headers=headers).status_code == 200
    assert client.get(f"/api/v1/staff/{person.id}/personal-data", headers=headers).status_code == 200
    assert client.get("/api/v1/backup", headers=headers).status_code == 200
    assert client.get("/api/v1/device-types", headers=headers).status_code == 200  # nobody's data
    rows = _log(app)
    actions = [r.action for r in rows]
    assert actions[:2] == ["staff.staff_item", "vzi_mt.evaluation"]
    assert "dataio.personal_data" in actions and "dataio.backup_download" in actions
    assert not any(a.startswith("device_type") for a in actions)
    first = rows[0]
    assert (first.user_id, first.actor, first.staff_id, first.subject) == (user_id, "reader@example.org",
                                                                            person.id, f"staff {person.id}")
    assert first.on_behalf_of == "ward-system" and first.ip
    assert first.at.tzinfo is not None and first.at >= started - dt.timedelta(seconds=1)
    bulk = [r for r in rows if r.action == "staff.staff_collection"]
    assert len(bulk) == 1 and bulk[0].people == 1 + len(others) and bulk[0].subject == "bulk: 4 people"
    backup = [r for r in rows if r.action == "dataio.backup_download"]
    assert backup[0].subject == "bulk: backup, 4 people"
    with app.app_context():
        assert verify(db.session.connection(), AccessLogEntry.__table__, pruned=True)[1] is None


def test_the_web_profile_page_is_logged(app, make):
    person = make.staff(employee_number="W1")
    user_id, _ = make.user("admin")
    web = app.test_client()
    login_as(web, user_id)
    assert web.get(f"/staff/{person.id}").status_code == 200
    assert [(r.action, r.staff_id, r.user_id) for r in _log(app)] == [("web.staff_profile", person.id, user_id)]


def test_a_refused_read_is_not_a_read(app, client, make):
    person = make.staff()
    _, technician = make.user("technician", staff_id=make.staff().id)
    assert client.get(f"/api/v1/staff/{person.id}", headers=technician).status_code == 404
    assert _log(app) == []


def test_the_access_log_api_filters_and_logs_its_own_reading(app, client, make):
    a, b = make.staff(employee_number="A"), make.staff(employee_number="B")
    _, reader = make.user("technician", staff_id=make.staff(employee_number="T").id)
    _, admin = make.user("admin")
    _, auditor = make.user("auditor")
    for person in (a, b, a):
        client.get(f"/api/v1/staff/{person.id}", headers=admin)
    assert client.get("/api/v1/access-log", headers=reader).status_code == 403
    about_a = client.get(f"/api/v1/access-log?staff_id={a.id}", headers=auditor)
    assert about_a.status_code == 200
    assert [r["staff_id"] for r in about_a.json] == [a.id, a.id] and "X-Pagination" in about_a.headers
    assert about_a.json[0]["at"].endswith("+00:00")
    future = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).isoformat()
    assert client.get("/api/v1/access-log", headers=auditor, query_string={"from": future}).json == []
    assert len(client.get("/api/v1/access-log", headers=auditor,
                          query_string={"to": future, "action": "staff.staff_item"}).json) == 3
    own = [r for r in _log(app) if r.action == "audit.access_log_list"]
    assert len(own) == 3 and own[0].subject.startswith("access log: 2 entries")


def test_retention_prunes_the_oldest_rows_and_the_chain_still_verifies(app, client, make):
    from core.audit.cli import audit

    person = make.staff()
    _, admin = make.user("admin")
    for _ in range(4):
        client.get(f"/api/v1/staff/{person.id}", headers=admin)
    with app.app_context():
        db.session.execute(text("UPDATE access_log SET at = :old WHERE id <= 2"),
                           {"old": dt.datetime(2000, 1, 1)})
        db.session.commit()
    result = app.test_cli_runner().invoke(audit, ["prune", "--days", "30"])
    assert result.exit_code == 0 and "2 rows" in result.output, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLogEntry)) == 2
    verified = app.test_cli_runner().invoke(audit, ["verify"])
    assert verified.exit_code == 0, verified.output
