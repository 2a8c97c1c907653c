"""The audit trail: who, when, what, before and after; append-only; no secrets."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEntry
from core.auth.models import User
from core.extensions import db


def _entries(app, **where):
    with app.app_context():
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return [{c: getattr(e, c) for c in ("at", "user_id", "actor", "action", "entity", "entity_id",
                                            "before", "after")} for e in db.session.scalars(stmt)]


def test_create_update_delete_are_recorded(app, client, make):
    user_id, headers = make.user("admin", email="auditme@example.org")
    started = dt.datetime.now(dt.timezone.utc)
    created = client.post("/api/v1/departments", headers=headers, json={"code": "IC", "name": "Intensive care"})
    assert created.status_code == 201
    dept_id = created.json["id"]
    assert client.patch(f"/api/v1/departments/{dept_id}", headers=headers, json={"name": "IC volwassenen"}).status_code == 200
    assert client.delete(f"/api/v1/departments/{dept_id}", headers=headers).status_code == 204
    finished = dt.datetime.now(dt.timezone.utc)

    rows = _entries(app, entity="department", entity_id=dept_id)
    assert [r["action"] for r in rows] == ["create", "update", "delete"]
    for row in rows:
        assert row["user_id"] == user_id and row["actor"] == "auditme@example.org"
        assert row["at"].tzinfo is not None and row["at"].utcoffset() == dt.timedelta(0)
        assert started - dt.timedelta(seconds=1) <= row["at"] <= finished + dt.timedelta(seconds=1)
    create, update, delete = rows
    assert create["before"] is None
    assert create["after"] == {"id": dept_id, "code": "IC", "name": "Intensive care", "parent_id": None}
    assert update["before"]["name"] == "Intensive care" and update["after"]["name"] == "IC volwassenen"
    assert update["before"]["code"] == update["after"]["code"] == "IC"
    assert delete["before"]["name"] == "IC volwassenen" and delete["after"] is None


def test_dates_are_recorded_as_iso_strings(app, client, admin, make):
    person = make.staff()
    response = client.patch(f"/api/v1/staff/{person.id}", headers=admin, json={"start_date": "2026-02-01"})
    assert response.status_code == 200
    (row,) = _entries(app, entity="staff", entity_id=person.id, action="update")
    assert row["before"]["start_date"] is None and row["after"]["start_date"] == "2026-02-01"


def test_a_refused_request_leaves_no_audit_row(app, client, admin, make):
    make.staff(employee_number="DUP-1")
    before = len(_entries(app))
    response = client.post("/api/v1/staff", headers=admin, json={"employee_number": "DUP-1", "name": "Twee"})
    assert response.status_code == 409
    assert len(_entries(app)) == before


def test_audit_api_lists_and_filters(client, make):
    _, headers = make.user("admin")
    a = client.post("/api/v1/departments", headers=headers, json={"code": "A", "name": "A"}).json["id"]
    b = client.post("/api/v1/departments", headers=headers, json={"code": "B", "name": "B"}).json["id"]
    client.patch(f"/api/v1/departments/{a}", headers=headers, json={"name": "A2"})
    _, auditor = make.user("auditor")
    for who in (headers, auditor):
        everything = client.get("/api/v1/audit", headers=who)
        assert everything.status_code == 200
        assert [r["id"] for r in everything.json] == sorted((r["id"] for r in everything.json), reverse=True)
        assert "X-Pagination" in everything.headers
    rows = client.get(f"/api/v1/audit?entity=department&entity_id={a}", headers=auditor).json
    assert [(r["action"], r["entity_id"]) for r in rows] == [("update", a), ("create", a)]
    assert rows[0]["before"]["name"] == "A" and rows[0]["after"]["name"] == "A2"
    assert rows[0]["at"].endswith("+00:00")
    created = client.get("/api/v1/audit?entity=department&action=create", headers=auditor).json
    assert {r["entity_id"] for r in created} == {a, b}
    assert client.get("/api/v1/audit?entity=staff", headers=auditor).json == []
    assert client.get("/api/v1/audit?entity_id=notanumber", headers=auditor).status_code == 422


@pytest.mark.parametrize("role", ["manager", "technician", "tvb_admin"])
def test_audit_api_refuses_other_roles(client, make, role):
    person = make.staff(department_id=make.department().id)
    _, headers = make.user(role, staff_id=person.id)
    assert client.get("/api/v1/audit", headers=headers).status_code == 403


def _one_entry(app, make):
    _, headers = make.user("admin")
    app.test_client().post("/api/v1/departments", headers=headers, json={"code": "X", "name": "X"})


def test_audit_rows_cannot_be_changed(app, make):
    _one_entry(app, make)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).first()
        entry.action = "forged"
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalars(select(AuditEntry.action)).first() == "create"


def test_audit_rows_cannot_be_deleted(app, make):
    _one_entry(app, make)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEntry))
        db.session.delete(db.session.scalars(select(AuditEntry)).first())
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == count


def test_passwords_and_token_hashes_never_reach_the_audit(app):
    from core.audit.services import set_actor
    from core.auth.models import ApiToken
    from core.auth.services import create_user, new_token, set_password
    with app.test_request_context():
        actor = create_user("root@example.org", "admin")
        db.session.commit()
        set_actor(actor)
        user = create_user("secret@example.org", "admin", password="een lang geheim wachtwoord")
        token = new_token(user)
        db.session.commit()
        set_password(user, "another long password")
        db.session.commit()
        secrets = [user.password_hash, token, ApiToken.hash(token)]
        user_id = user.id
    rows = _entries(app, entity="user_account", entity_id=user_id)
    # A password change is recorded as a change, without either value.
    assert [r["action"] for r in rows] == ["create", "update"]
    assert rows[0]["after"]["password_hash"] == "(hidden)"
    assert rows[1]["before"]["password_hash"] == "(hidden)" and rows[1]["after"]["password_hash"] == "(changed)"
    dumped = json.dumps([r["before"] for r in _entries(app)] + [r["after"] for r in _entries(app)])
    for secret in secrets:
        assert secret not in dumped
    # Issuing a token is audited (who gave whom access), its hash never shown.
    (issued,) = _entries(app, entity="api_token")
    assert issued["action"] == "create" and issued["after"]["token_hash"] == "(hidden)"
    with app.app_context():
        assert db.session.get(User, user_id).password_hash.startswith("$argon2")
