"""Invariants that span rows hold under concurrent requests on PostgreSQL: no loop
in the line of managers or the department tree, no duplicate role assignment,
an unbroken audit chain. Two threads, each with its own connection, fire at
the same moment (a barrier), many rounds; the invariants are checked afterwards
in the database itself."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from tests.conftest import create_pg_database, migrated_app, require_postgres

ROUNDS = 12


@pytest.fixture(scope="module")
def pg_app():
    require_postgres()
    url, drop = create_pg_database()
    app = migrated_app(url)
    from core.auth.services import create_user, new_token
    from core.extensions import db

    with app.app_context():
        user = create_user("racer@example.org", "admin")
        token = new_token(user)
        db.session.commit()
    yield app, {"Authorization": f"Bearer {token}"}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


def _slow(monkeypatch, module, name):
    """Widen the window between a check and its commit, so that without a lock the
    two requests would both pass their checks (and the test would fail)."""
    original = getattr(module, name)

    def slowly(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.05)
        return result

    monkeypatch.setattr(module, name, slowly)


def _together(app, *calls):
    """Run each (method, path, json) in its own thread, released at the same instant."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, method, path, body, headers):
        client = app.test_client()
        barrier.wait()
        results[index] = getattr(client, method)(path, json=body, headers=headers).status_code

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _sql(app, statement):
    from core.extensions import db

    with app.app_context():
        return db.session.execute(text(statement)).all()


def _loops(app, table, parent):
    """Ids from which following ``parent`` comes back: a recursive query that stops at a repeat."""
    return _sql(app, f"""
        WITH RECURSIVE up(start, id, path, cycle) AS (
            SELECT id, {parent}, ARRAY[id], false FROM {table} WHERE {parent} IS NOT NULL
            UNION ALL
            SELECT up.start, t.{parent}, path || t.id, t.id = ANY(path)
            FROM up JOIN {table} t ON t.id = up.id WHERE NOT cycle)
        SELECT DISTINCT start FROM up WHERE cycle""")


def test_two_managers_at_once_never_make_a_loop(pg_app, monkeypatch):
    import core.staff.services

    _slow(monkeypatch, core.staff.services, "closes_a_loop")  # where check_staff looks it up
    app, admin = pg_app
    client = app.test_client()
    for round_ in range(ROUNDS):
        a = client.post("/api/v1/staff", headers=admin, json={"employee_number": f"M{round_}a", "name": "A"}).json["id"]
        b = client.post("/api/v1/staff", headers=admin, json={"employee_number": f"M{round_}b", "name": "B"}).json["id"]
        statuses = _together(app, ("patch", f"/api/v1/staff/{a}", {"manager_id": b}, admin),
                             ("patch", f"/api/v1/staff/{b}", {"manager_id": a}, admin))
        assert sorted(statuses) == [200, 422], statuses
    assert _loops(app, "staff", "manager_id") == []


def test_two_department_moves_at_once_never_make_a_loop(pg_app, monkeypatch):
    import core.auth.permissions

    _slow(monkeypatch, core.auth.permissions, "department_tree")
    app, admin = pg_app
    client = app.test_client()
    for round_ in range(ROUNDS):
        a = client.post("/api/v1/departments", headers=admin, json={"code": f"D{round_}a", "name": "A"}).json["id"]
        b = client.post("/api/v1/departments", headers=admin, json={"code": f"D{round_}b", "name": "B"}).json["id"]
        statuses = _together(app, ("patch", f"/api/v1/departments/{a}", {"parent_id": b}, admin),
                             ("patch", f"/api/v1/departments/{b}", {"parent_id": a}, admin))
        assert sorted(statuses) == [200, 422], statuses
    assert _loops(app, "department", "parent_id") == []


def test_the_same_assignment_twice_at_once_is_stored_once(pg_app, monkeypatch):
    app, admin = pg_app
    client = app.test_client()
    role = client.post("/api/v1/tvb/roles", headers=admin, json={"name": "Racer"}).json["id"]
    for round_ in range(ROUNDS):
        person = client.post("/api/v1/staff", headers=admin,
                             json={"employee_number": f"R{round_}", "name": "R"}).json["id"]
        body = {"staff_id": person, "role_id": role, "valid_from": "2025-01-01"}
        statuses = _together(app, ("post", "/api/v1/tvb/assignments", body, admin),
                             ("post", "/api/v1/tvb/assignments", body, admin))
        assert sorted(statuses) == [201, 409], statuses
    assert _sql(app, "SELECT staff_id, role_id, valid_from, count(*) FROM tvb_assignment "
                     "GROUP BY staff_id, role_id, valid_from HAVING count(*) > 1") == []


def test_concurrent_writers_keep_the_audit_chain_whole(pg_app):
    from core.audit.chain import verify
    from core.audit.models import AccessLogEntry, AuditEntry
    from core.extensions import db

    app, admin = pg_app
    calls = [("post", "/api/v1/departments", {"code": f"C{i}", "name": "C"}, admin) for i in range(6)]
    assert _together(app, *calls) == [201] * 6
    person = _sql(app, "SELECT min(id) FROM staff")[0][0]
    assert _together(app, *[("get", f"/api/v1/staff/{person}", None, admin)] * 6) == [200] * 6
    with app.app_context():
        assert verify(db.session.connection(), AuditEntry.__table__) == (
            db.session.scalar(text("SELECT count(*) FROM audit_entry")), None)
        assert verify(db.session.connection(), AccessLogEntry.__table__, pruned=True)[1] is None
