"""User administration: the CLI, the API and the admin page; every change audited with its actor."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from core.audit.models import AuditEntry
from core.auth.models import ApiToken, User
from core.cli import cli
from core.extensions import db


@pytest.fixture
def run(app):
    def invoke(*args):
        return app.test_cli_runner().invoke(cli, ["users", *map(str, args)])
    return invoke


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _audit(app, entity):
    with app.app_context():
        return [(e.actor, e.action, e.entity_id, e.after) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id))]


def test_create_prints_a_token_on_the_last_line_that_expires(app, run, client):
    result = run("create", "--email", "Beheer@Ziekenhuis.nl", "--role", "admin", "--token", "--expires-in-days", "7")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert client.get("/api/v1/staff", headers=_bearer(token)).status_code == 200
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert dt.timedelta(days=6, hours=23) < row.expires_at - dt.datetime.now(dt.timezone.utc) <= dt.timedelta(days=7)
    (actor, action, _, after), = [a for a in _audit(app, "user_account")]
    assert actor.startswith("cli:") and action == "create" and after["email"] == "beheer@ziekenhuis.nl"


def test_an_expired_token_answers_401(app, make, client):
    _, headers = make.user("admin")
    assert client.get("/api/v1/staff", headers=headers).status_code == 200
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
        db.session.commit()
    assert client.get("/api/v1/staff", headers=headers).status_code == 401


def test_deactivate_blocks_every_token_and_reactivate_restores(app, make, run, client):
    user_id, headers = make.user("manager", department_id=make.department().id)
    make.user("admin")
    assert run("deactivate", user_id).exit_code == 0
    assert client.get("/api/v1/staff", headers=headers).status_code == 401
    def ids(output):
        return {int(line.split()[0]) for line in output.splitlines()}
    assert user_id not in ids(run("list").output) and user_id in ids(run("list", "--all").output)
    assert run("reactivate", user_id).exit_code == 0
    assert client.get("/api/v1/staff", headers=headers).status_code == 200
    actions = [(actor.split(":")[0], after["active"]) for actor, action, entity_id, after in _audit(app, "user_account")
               if entity_id == user_id and action == "update"]
    assert actions == [("cli", False), ("cli", True)]


def test_the_last_admin_cannot_be_deactivated(make, run):
    user_id, _ = make.user("admin")
    result = run("deactivate", user_id)
    assert result.exit_code == 1 and result.output.strip().startswith("Error: ") and "last active admin" in result.output


def test_reset_password_generates_one_on_the_last_line(app, make, run):
    from core.auth.services import check_password

    user_id, _ = make.user("admin")
    result = run("reset-password", user_id)
    password = result.output.strip().splitlines()[-1]
    with app.app_context():
        assert len(password) >= 10 and check_password(db.session.get(User, user_id), password)
    assert run("reset-password", user_id, "--password", "kort").output.startswith("Error: A password needs")


def test_token_tokens_and_revoke(app, make, run, client):
    user_id, first = make.user("auditor")
    result = run("token", user_id, "--expires-in-days", "30")
    assert result.exit_code == 0
    second = result.output.strip().splitlines()[-1]
    listing = run("tokens", user_id).output.splitlines()
    assert len(listing) == 2 and all(line.endswith("active") for line in listing)
    token_id = int(listing[-1].split()[0])
    assert run("revoke-token", token_id).exit_code == 0
    assert client.get("/api/v1/staff", headers=_bearer(second)).status_code == 401
    assert client.get("/api/v1/staff", headers=first).status_code == 200
    assert run("tokens", user_id).output.splitlines()[-1].endswith("revoked")
    assert run("revoke-token", 9999).output.strip() == "Error: No token 9999."
    assert run("tokens", "nobody@example.org").output.strip() == "Error: No user nobody@example.org."
    assert run("token", user_id, "--expires-in-days", "0").exit_code == 2
    issued = [(actor.split(":")[0], action) for actor, action, *_ in _audit(app, "api_token")]
    assert issued == [("cli", "create"), ("cli", "update")]


def test_users_api_is_for_admins(app, make, client, admin):
    user_id, headers = make.user("tvb_admin")
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    listed = client.get("/api/v1/users?role=tvb_admin", headers=admin).json
    assert [u["id"] for u in listed] == [user_id] and "password_hash" not in listed[0]
    assert client.post(f"/api/v1/users/{user_id}/deactivate", headers=admin).json["active"] is False
    assert client.get("/api/v1/users", headers=headers).status_code == 401
    assert client.post(f"/api/v1/users/{user_id}/reactivate", headers=admin).json["active"] is True
    new = client.post(f"/api/v1/users/{user_id}/tokens", headers=admin, json={"expires_in_days": 2})
    assert new.status_code == 201 and new.json["state"] == "active" and new.json["token"]
    assert client.get("/api/v1/tvb/roles", headers=_bearer(new.json["token"])).status_code == 200
    assert client.delete(f"/api/v1/users/{user_id}/tokens/{new.json['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/tvb/roles", headers=_bearer(new.json["token"])).status_code == 401
    states = [t["state"] for t in client.get(f"/api/v1/users/{user_id}/tokens", headers=admin).json]
    assert states == ["active", "revoked"]
    assert client.post(f"/api/v1/users/{user_id}/tokens", headers=admin, json={"expires_in_days": 0}).status_code == 422
    generated = client.post(f"/api/v1/users/{user_id}/password", headers=admin, json={}).json["password"]
    assert len(generated) >= 10
    short = client.post(f"/api/v1/users/{user_id}/password", headers=admin, json={"password": "kort"})
    assert short.status_code == 422 and "password" in short.json["errors"]
    assert client.get("/api/v1/users/99999", headers=admin).status_code == 404
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.role == "admin"))
    assert client.post(f"/api/v1/users/{admin_id}/deactivate", headers=admin).status_code == 409
    actors = {actor for actor, *_ in _audit(app, "user_account") + _audit(app, "api_token")}
    assert actors and not any(a.startswith("cli:") for a in actors)


def test_admin_page(app, make):
    from tests.web.conftest import login_as

    admin_id, _ = make.user("admin")
    other_id, _ = make.user("auditor", email="controle@ziekenhuis.nl")
    client = app.test_client()
    login_as(client, admin_id)
    page = client.get("/users").get_data(as_text=True)
    assert "Gebruikers" in page and "controle@ziekenhuis.nl" in page
    response = client.post(f"/users/{other_id}/deactivate", follow_redirects=True)
    assert "kan niet meer inloggen" in response.get_data(as_text=True)
    response = client.post(f"/users/{other_id}/password", follow_redirects=True)
    assert "Nieuw wachtwoord voor controle@ziekenhuis.nl" in response.get_data(as_text=True)
    login_as(client, other_id)
    assert client.get("/users").status_code in (302, 401, 403)
