"""Authentication (bearer tokens, web login, CLI-made tokens) and the roles (README, Using the API)."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from core.auth.models import ApiToken, User
from core.cli import cli
from core.extensions import db


# --- 401 ------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "bearer  "])
def test_no_or_bad_token_is_401(client, header, admin):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/staff", headers=headers)
    assert response.status_code == 401
    assert response.json["code"] == 401 and "bearer" in response.json["message"].lower()


def test_revoked_token_is_401(app, client, make):
    user_id, headers = make.user("admin")
    assert client.get("/api/v1/staff", headers=headers).status_code == 200
    with app.app_context():
        db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id).values(revoked=True))
        db.session.commit()
    assert client.get("/api/v1/staff", headers=headers).status_code == 401


def test_token_of_inactive_user_is_401(app, client, make):
    user_id, headers = make.user("admin")
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(active=False))
        db.session.commit()
    assert client.get("/api/v1/staff", headers=headers).status_code == 401


def test_openapi_document_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/staff" in response.json["paths"]


# --- roles ------------------------------------------------------------------

@pytest.fixture
def org(make):
    """A root department with a sub-department, and a sibling root; one person in each."""
    root = make.department(code="ROOT")
    child = make.department(code="CHILD", parent_id=root.id)
    sibling = make.department(code="SIBLING")
    return {
        "root": root, "child": child, "sibling": sibling,
        "in_root": make.staff(department_id=root.id, name="Anna Root"),
        "in_child": make.staff(department_id=child.id, name="Bram Child"),
        "in_sibling": make.staff(department_id=sibling.id, name="Cees Sibling"),
    }


def _ids(response):
    assert response.status_code == 200, response.json
    return {row["id"] for row in response.json}


def _staff_body(department_id, number="N-1"):
    return {"employee_number": number, "name": "Nieuw", "department_id": department_id}


def test_admin_does_everything(client, admin, org):
    assert _ids(client.get("/api/v1/staff", headers=admin)) == {org[k].id for k in ("in_root", "in_child", "in_sibling")}
    created = client.post("/api/v1/staff", headers=admin, json=_staff_body(org["sibling"].id))
    assert created.status_code == 201
    assert client.post("/api/v1/tvb/roles", headers=admin, json={"name": "MT4"}).status_code == 201
    assert client.delete(f"/api/v1/staff/{created.json['id']}", headers=admin).status_code == 204


def test_tvb_admin_edits_the_matrix_but_not_staff(client, make, org):
    _, headers = make.user("tvb_admin")
    role = client.post("/api/v1/tvb/roles", headers=headers, json={"name": "Key user IC"})
    assert role.status_code == 201
    activity = client.post("/api/v1/tvb/activities", headers=headers, json={"name": "reparatie"})
    assert activity.status_code == 201
    cell = client.post("/api/v1/tvb/cells", headers=headers,
                       json={"role_id": role.json["id"], "activity_id": activity.json["id"], "letters": "TB"})
    assert cell.status_code == 201 and cell.json["letters"] == "TB"
    assert client.patch(f"/api/v1/tvb/roles/{role.json['id']}", headers=headers,
                        json={"description": "x"}).status_code == 200
    # Reads staff, writes none of it.
    assert len(_ids(client.get("/api/v1/staff", headers=headers))) == 3
    assert client.post("/api/v1/staff", headers=headers, json=_staff_body(org["root"].id)).status_code == 403
    assert client.patch(f"/api/v1/staff/{org['in_root'].id}", headers=headers, json={"name": "X"}).status_code == 403
    assert client.post("/api/v1/departments", headers=headers, json={"code": "Q", "name": "Q"}).status_code == 403


@pytest.fixture
def manager(make, org):
    return make.user("manager", department_id=org["root"].id)[1]


def test_manager_sees_own_tree_only(client, manager, org):
    assert _ids(client.get("/api/v1/staff", headers=manager)) == {org["in_root"].id, org["in_child"].id}
    assert client.get(f"/api/v1/staff/{org['in_child'].id}", headers=manager).status_code == 200
    assert client.get(f"/api/v1/staff/{org['in_sibling'].id}", headers=manager).status_code == 404


def test_manager_writes_inside_tree_only(client, manager, org):
    inside = client.post("/api/v1/staff", headers=manager, json=_staff_body(org["child"].id, "IN-1"))
    assert inside.status_code == 201, inside.json
    outside = client.post("/api/v1/staff", headers=manager, json=_staff_body(org["sibling"].id, "OUT-1"))
    assert outside.status_code == 403
    # Moving a person out of the tree is writing outside it.
    moved = client.patch(f"/api/v1/staff/{org['in_root'].id}", headers=manager,
                         json={"department_id": org["sibling"].id})
    assert moved.status_code == 403
    assert client.patch(f"/api/v1/staff/{org['in_sibling'].id}", headers=manager, json={"name": "X"}).status_code == 404
    assert client.delete(f"/api/v1/staff/{org['in_sibling'].id}", headers=manager).status_code == 404
    assert client.patch(f"/api/v1/staff/{org['in_child'].id}", headers=manager, json={"name": "Bram B"}).status_code == 200
    # Departments themselves are the admin's.
    assert client.post("/api/v1/departments", headers=manager, json={"code": "Q", "name": "Q"}).status_code == 403


def test_manager_competences_limited_to_tree(client, admin, manager, make, org):
    device_type = make.device_type()
    body = {"device_type_id": device_type.id, "role": "user", "obtained_on": "2026-01-01", "method": "instruction"}
    mine = client.post("/api/v1/competences", headers=manager, json={**body, "staff_id": org["in_child"].id})
    assert mine.status_code == 201, mine.json
    refused = client.post("/api/v1/competences", headers=manager, json={**body, "staff_id": org["in_sibling"].id})
    assert refused.status_code == 403
    other = client.post("/api/v1/competences", headers=admin, json={**body, "staff_id": org["in_sibling"].id})
    assert other.status_code == 201
    assert _ids(client.get("/api/v1/competences", headers=manager)) == {mine.json["id"]}
    assert client.get(f"/api/v1/competences/{other.json['id']}", headers=manager).status_code == 404
    assert client.delete(f"/api/v1/competences/{other.json['id']}", headers=manager).status_code == 404


def test_manager_devices_limited_to_tree(client, admin, manager, make, org):
    device_type = make.device_type()
    mine = client.post("/api/v1/devices", headers=manager,
                       json={"asset_number": "A-1", "device_type_id": device_type.id, "department_id": org["child"].id})
    assert mine.status_code == 201, mine.json
    refused = client.post("/api/v1/devices", headers=manager,
                          json={"asset_number": "A-2", "device_type_id": device_type.id,
                                "department_id": org["sibling"].id})
    assert refused.status_code == 403
    other = client.post("/api/v1/devices", headers=admin,
                        json={"asset_number": "A-3", "device_type_id": device_type.id,
                              "department_id": org["sibling"].id})
    assert other.status_code == 201
    assert _ids(client.get("/api/v1/devices", headers=manager)) == {mine.json["id"]}
    assert client.get(f"/api/v1/devices/{other.json['id']}", headers=manager).status_code == 404
    assert client.patch(f"/api/v1/devices/{other.json['id']}", headers=manager,
                        json={"status": "in_repair"}).status_code == 404
    assert len(_ids(client.get("/api/v1/devices", headers=admin))) == 2


def test_manager_linked_through_staff_manages_that_department(client, make, org):
    _, headers = make.user("manager", staff_id=org["in_child"].id)
    assert _ids(client.get("/api/v1/staff", headers=headers)) == {org["in_child"].id}


def test_technician_sees_only_themself_and_writes_nothing(client, make, org):
    _, headers = make.user("technician", staff_id=org["in_root"].id)
    listed = client.get("/api/v1/staff", headers=headers)
    assert _ids(listed) == {org["in_root"].id}
    assert listed.headers["X-Pagination"] and '"total": 1' in listed.headers["X-Pagination"]
    assert client.get(f"/api/v1/staff/{org['in_root'].id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/staff/{org['in_child'].id}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/staff/{org['in_root'].id}", headers=headers, json={"name": "X"}).status_code == 403
    assert client.post("/api/v1/staff", headers=headers, json=_staff_body(org["root"].id)).status_code == 403
    assert client.post("/api/v1/tvb/roles", headers=headers, json={"name": "R"}).status_code == 403
    device_type = make.device_type()
    assert client.post("/api/v1/competences", headers=headers, json={
        "staff_id": org["in_root"].id, "device_type_id": device_type.id, "role": "user",
        "obtained_on": "2026-01-01", "method": "instruction"}).status_code == 403


def test_auditor_reads_everything_and_writes_nothing(client, admin, make, org):
    _, headers = make.user("auditor")
    assert len(_ids(client.get("/api/v1/staff", headers=headers))) == 3
    assert client.get(f"/api/v1/staff/{org['in_sibling'].id}", headers=headers).status_code == 200
    assert client.get("/api/v1/audit", headers=headers).status_code == 200
    person = org["in_root"].id
    for method, path, body in [
        ("post", "/api/v1/staff", _staff_body(org["root"].id)),
        ("patch", f"/api/v1/staff/{person}", {"name": "X"}),
        ("delete", f"/api/v1/staff/{person}", None),
        ("post", "/api/v1/departments", {"code": "Q", "name": "Q"}),
        ("post", "/api/v1/tvb/roles", {"name": "R"}),
        ("post", "/api/v1/alerts/1/acknowledge", None),
    ]:
        response = getattr(client, method)(path, headers=headers, json=body)
        assert response.status_code == 403, (method, path, response.status_code)
    assert client.get(f"/api/v1/staff/{person}", headers=admin).json["name"] == "Anna Root"


# --- web login -----------------------------------------------------------------

def test_password_login_through_the_web_form(app, client):
    from core.auth.services import create_user
    with app.app_context():
        user = create_user("Web.User@Example.org", "admin", password="correct horse battery")
        db.session.commit()
        stored = user.password_hash
    assert stored.startswith("$argon2")
    assert client.get("/").status_code == 302  # login required
    wrong = client.post("/login", data={"email": "web.user@example.org", "password": "wrong password!"})
    assert wrong.status_code == 401
    assert client.get("/").status_code == 302
    right = client.post("/login", data={"email": "web.user@example.org", "password": "correct horse battery"})
    assert right.status_code == 302 and right.headers["Location"].endswith("/")
    assert client.get("/").status_code == 200


def test_login_refuses_an_inactive_user(app, client):
    from core.auth.services import create_user
    with app.app_context():
        user = create_user("gone@example.org", "admin", password="correct horse battery")
        user.active = False
        db.session.commit()
    response = client.post("/login", data={"email": "gone@example.org", "password": "correct horse battery"})
    assert response.status_code == 401


def test_login_never_redirects_off_site(app, client):
    from core.auth.services import create_user
    with app.app_context():
        create_user("nav@example.org", "admin", password="correct horse battery")
        db.session.commit()
    response = client.post("/login?next=//evil.example/x",
                           data={"email": "nav@example.org", "password": "correct horse battery"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


# --- CLI -----------------------------------------------------------------------

def test_cli_users_create_prints_a_working_token_last(app, client):
    result = app.test_cli_runner().invoke(cli, ["users", "create", "--email", "Cli@Example.org",
                                                "--role", "auditor", "--token"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert "auditor cli@example.org" in result.output
    response = client.get("/api/v1/staff", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert client.post("/api/v1/departments", headers={"Authorization": f"Bearer {token}"},
                       json={"code": "Q", "name": "Q"}).status_code == 403
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and ApiToken.hash(token) in stored


def test_cli_users_create_with_password_allows_login(app, client):
    result = app.test_cli_runner().invoke(cli, ["users", "create", "--email", "pw@example.org",
                                                "--role", "admin", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    response = client.post("/login", data={"email": "pw@example.org", "password": "long enough pw"})
    assert response.status_code == 302


@pytest.mark.parametrize("args, message", [
    (["--role", "manager"], "department"),
    (["--role", "technician"], "staff member"),
    (["--role", "admin", "--password", "short"], "12 characters"),
    (["--role", "manager", "--department", "NOPE"], "No department with code NOPE"),
])
def test_cli_users_create_refuses_bad_input(app, args, message):
    result = app.test_cli_runner().invoke(cli, ["users", "create", "--email", "bad@example.org", *args])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "bad@example.org")) is None


def test_cli_users_create_refuses_a_duplicate(app):
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["users", "create", "--email", "dup@example.org", "--role", "admin"]).exit_code == 0
    again = runner.invoke(cli, ["users", "create", "--email", "DUP@example.org", "--role", "admin"])
    assert again.exit_code != 0 and "already exists" in again.output
