"""Writes outside a request are audited with their actor: the CLI as
``cli:<os user>``, logins (success and failure), tokens, restores, imports."""
from __future__ import annotations

import getpass
import json

from sqlalchemy import select, text

from core.audit.chain import verify
from core.audit.models import AuditEntry
from core.extensions import db

CLI = f"cli:{getpass.getuser()}"


def _entries(app, **where):
    with app.app_context():
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return db.session.scalars(stmt).all()


def test_cli_user_creation_and_token_are_audited_as_the_os_user(app):
    from core.cli import users_create

    result = app.test_cli_runner().invoke(users_create, ["--email", "cli-made@example.org", "--role", "auditor",
                                                         "--token"])
    assert result.exit_code == 0, result.output
    made = _entries(app, entity="user_account", action="create")
    assert [e.actor for e in made] == [CLI] and made[0].after["email"] == "cli-made@example.org"
    tokens = _entries(app, entity="api_token", action="create")
    assert [e.actor for e in tokens] == [CLI] and tokens[0].after["token_hash"] == "(hidden)"


def test_logins_are_audited_success_and_failure(app, make):
    from core.auth.services import set_password

    user_id, _ = make.user("admin", email="login-me@example.org")
    with app.app_context():
        from core.auth.models import User
        set_password(db.session.get(User, user_id), "correct horse battery")
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"email": "login-me@example.org", "password": "wrong password!"}).status_code == 401
    assert client.post("/login", data={"email": "nobody@example.org", "password": "whatever it is"}).status_code == 401
    assert client.post("/login", data={"email": "login-me@example.org",
                                       "password": "correct horse battery"}).status_code == 302
    logins = [(e.action, e.entity_id, e.after["result"], e.actor) for e in _entries(app, action="login")]
    assert logins == [("login", user_id, "failed", "login attempt: login-me@example.org"),
                      ("login", None, "failed", "login attempt: nobody@example.org"),
                      ("login", user_id, "success", "login-me@example.org")]


def test_a_restore_is_audited_and_the_restored_chain_verifies(app, make, tmp_path, admin, client):
    from core.dataio.backup import _tables
    from core.dataio.cli import backup_command, restore_command

    assert client.post("/api/v1/departments", headers=admin, json={"code": "R", "name": "R"}).status_code == 201
    path = tmp_path / "b.json"
    assert app.test_cli_runner().invoke(backup_command, [str(path)]).exit_code == 0
    with app.app_context():
        for table in reversed(_tables()):
            db.session.execute(table.delete())
        db.session.commit()
    result = app.test_cli_runner().invoke(restore_command, [str(path)])
    assert result.exit_code == 0, result.output
    (restore,) = _entries(app, action="restore")
    assert restore.actor == CLI and restore.after["rows"]["department"] == 1
    with app.app_context():
        assert verify(db.session.connection(), AuditEntry.__table__)[1] is None
        assert db.session.scalar(text("SELECT count(*) FROM audit_entry WHERE entity = 'department'")) == 1


def test_a_cli_import_is_audited_per_row_as_the_os_user(app, tmp_path):
    from core.dataio.cli import import_command

    path = tmp_path / "staff.csv"
    path.write_text("employee_number;name\n501;Een\n502;Twee\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(import_command, ["staff", str(path)])
    assert result.exit_code == 0, result.output
    rows = _entries(app, entity="staff")
    assert [(e.action, e.actor) for e in rows] == [("create", CLI), ("create", CLI)]
    assert {e.after["name"] for e in rows} == {"Een", "Twee"}
    (run,) = _entries(app, entity="import")
    assert run.actor == CLI and run.change_set == rows[0].change_set
    assert json.dumps(run.after)
