"""The TVB matrix through the API: roles, activities, cells (letters + scope), assignments (README, Using the API)."""
from __future__ import annotations

import pytest

API = "/api/v1/tvb"


def _post(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


@pytest.fixture
def matrix(client, admin, make):
    role = _post(client, admin, "/roles", {"name": "MT4 anesthesie"})
    activity = _post(client, admin, "/activities", {"name": "Reparatie", "lifecycle_phase": 6})
    return {"role": role["id"], "activity": activity["id"], "device_type": make.device_type().id}


def _cell(matrix, **kw):
    return {"role_id": matrix["role"], "activity_id": matrix["activity"], "letters": "TVB", **kw}


# --- letters -------------------------------------------------------------------

@pytest.mark.parametrize("letters, stored", [
    ("TVB", "TVB"), (["T", "B"], "TB"), ("BT", "TB"), (["B", "V", "T"], "TVB"), ("V", "V"), (["B"], "B"),
])
def test_letters_are_stored_in_canonical_order(client, admin, matrix, letters, stored):
    cell = _post(client, admin, "/cells", _cell(matrix, letters=letters))
    assert cell["letters"] == stored
    assert client.get(f"{API}/cells/{cell['id']}", headers=admin).json["letters"] == stored


@pytest.mark.parametrize("letters", ["", [], "X", "TVX", "tvb", ["T", "T"], "BB", 5, None, ["TV"]])
def test_bad_letters_are_422(client, admin, matrix, letters):
    body = _post(client, admin, "/cells", _cell(matrix, letters=letters), status=422)
    assert "letters" in body["errors"]


def test_patch_letters_is_validated_too(client, admin, matrix):
    cell = _post(client, admin, "/cells", _cell(matrix, letters="T"))
    assert client.patch(f"{API}/cells/{cell['id']}", headers=admin, json={"letters": "Q"}).status_code == 422
    patched = client.patch(f"{API}/cells/{cell['id']}", headers=admin, json={"letters": ["B", "T"]})
    assert patched.status_code == 200 and patched.json["letters"] == "TB"


# --- scope -------------------------------------------------------------------

def test_one_scope_only(client, admin, matrix):
    body = _post(client, admin, "/cells", _cell(matrix, technology_group_id=1, device_type_id=matrix["device_type"]),
                 status=422)
    assert "device_type_id" in body["errors"]


def test_patch_cannot_add_a_second_scope(client, admin, matrix):
    cell = _post(client, admin, "/cells", _cell(matrix, technology_group_id=1))
    response = client.patch(f"{API}/cells/{cell['id']}", headers=admin, json={"device_type_id": matrix["device_type"]})
    assert response.status_code == 422 and "device_type_id" in response.json["errors"]
    # Moving the scope from the group to the type in one body is fine.
    moved = client.patch(f"{API}/cells/{cell['id']}", headers=admin,
                         json={"technology_group_id": None, "device_type_id": matrix["device_type"]})
    assert moved.status_code == 200 and moved.json["device_type_id"] == matrix["device_type"]


def test_duplicate_cell_in_the_same_scope_is_409(client, admin, matrix):
    _post(client, admin, "/cells", _cell(matrix))
    assert client.post(f"{API}/cells", headers=admin, json=_cell(matrix, letters="T")).status_code == 409
    # Other scopes of the same role and activity are separate cells.
    _post(client, admin, "/cells", _cell(matrix, technology_group_id=1))
    assert client.post(f"{API}/cells", headers=admin, json=_cell(matrix, technology_group_id=1)).status_code == 409
    _post(client, admin, "/cells", _cell(matrix, technology_group_id=2))
    _post(client, admin, "/cells", _cell(matrix, device_type_id=matrix["device_type"]))
    assert client.post(f"{API}/cells", headers=admin,
                       json=_cell(matrix, device_type_id=matrix["device_type"])).status_code == 409


def test_patch_into_an_existing_scope_is_409(client, admin, matrix):
    _post(client, admin, "/cells", _cell(matrix))
    other = _post(client, admin, "/cells", _cell(matrix, technology_group_id=1))
    response = client.patch(f"{API}/cells/{other['id']}", headers=admin, json={"technology_group_id": None})
    assert response.status_code == 409


@pytest.mark.parametrize("field", ["role_id", "activity_id", "technology_group_id", "device_type_id"])
def test_cell_references_must_exist(client, admin, matrix, field):
    body = _post(client, admin, "/cells", _cell(matrix, **{field: 999999}), status=422)
    assert field in body["errors"]


# --- activities and their requirements -----------------------------------------

def test_activity_requirements_validated_by_the_plugin_schema(client, admin):
    created = _post(client, admin, "/activities", {
        "name": "Klinisch gebruik", "level": "operational", "lifecycle_phase": 6,
        "requirements": {"leidraad": {"competence_role": "user"}}})
    assert created["requirements"]["leidraad"]["competence_role"] == "user"
    assert created["level"] == "operational"


def test_activity_level_defaults_to_operational(client, admin):
    assert _post(client, admin, "/activities", {"name": "Software-update"})["level"] == "operational"


@pytest.mark.parametrize("requirements", [
    {"unknown_plugin": {}},
    {"leidraad": {"competence_role": "boss"}},
    {"leidraad": {"competence_role": "user", "colour": "red"}},
    {"leidraad": {"approval": "financial"}},
    {"leidraad": "user"},
])
def test_bad_requirements_are_422_naming_requirements(client, admin, requirements):
    body = _post(client, admin, "/activities", {"name": "X", "requirements": requirements}, status=422)
    assert list(body["errors"]) == ["requirements"]
    assert client.get(f"{API}/activities", headers=admin).json == []  # nothing half-written


def test_patch_requirements_is_validated(client, admin):
    activity = _post(client, admin, "/activities", {"name": "Reparatie"})
    response = client.patch(f"{API}/activities/{activity['id']}", headers=admin,
                            json={"requirements": {"leidraad": {"competence_role": "janitor"}}})
    assert response.status_code == 422 and "requirements" in response.json["errors"]


@pytest.mark.parametrize("body, field", [
    ({"name": "A", "level": "galactic"}, "level"),
    ({"name": "A", "lifecycle_phase": 8}, "lifecycle_phase"),
    ({"name": "A", "lifecycle_phase": 0}, "lifecycle_phase"),
    ({"name": ""}, "name"),
    ({"name": "A", "colour": "red"}, "colour"),
])
def test_bad_activity_fields_are_422(client, admin, body, field):
    assert field in _post(client, admin, "/activities", body, status=422)["errors"]


def test_activity_names_are_unique(client, admin):
    _post(client, admin, "/activities", {"name": "Reparatie"})
    assert client.post(f"{API}/activities", headers=admin, json={"name": "Reparatie"}).status_code == 409


# --- assignments -----------------------------------------------------------------

def test_assignment_valid_to_before_valid_from_is_422(client, admin, matrix, make):
    person = make.staff()
    body = {"staff_id": person.id, "role_id": matrix["role"], "valid_from": "2025-03-01", "valid_to": "2025-02-28"}
    assert "valid_to" in _post(client, admin, "/assignments", body, status=422)["errors"]
    # One day is the shortest assignment: valid_to is inclusive.
    one_day = _post(client, admin, "/assignments", {**body, "valid_to": "2025-03-01"})
    response = client.patch(f"{API}/assignments/{one_day['id']}", headers=admin, json={"valid_from": "2025-03-02"})
    assert response.status_code == 422 and "valid_to" in response.json["errors"]


def test_assignments_filter_on_a_date_is_inclusive(client, admin, matrix, make):
    person = make.staff()
    closed = _post(client, admin, "/assignments", {"staff_id": person.id, "role_id": matrix["role"],
                                                    "valid_from": "2025-03-01", "valid_to": "2025-03-31"})
    open_ = _post(client, admin, "/assignments", {"staff_id": person.id, "role_id": matrix["role"],
                                                   "valid_from": "2025-03-15", "valid_to": None})

    def held(on):
        response = client.get(f"{API}/assignments?on={on}", headers=admin)
        assert response.status_code == 200
        return {row["id"] for row in response.json}

    assert held("2025-02-28") == set()
    assert held("2025-03-01") == {closed["id"]}
    assert held("2025-03-15") == {closed["id"], open_["id"]}
    assert held("2025-03-31") == {closed["id"], open_["id"]}
    assert held("2025-04-01") == {open_["id"]}
    assert held("2099-01-01") == {open_["id"]}


def test_assignments_filter_by_staff_and_role(client, admin, matrix, make):
    a, b = make.staff(), make.staff()
    other_role = _post(client, admin, "/roles", {"name": "Key user IC"})["id"]
    first = _post(client, admin, "/assignments", {"staff_id": a.id, "role_id": matrix["role"], "valid_from": "2025-01-01"})
    _post(client, admin, "/assignments", {"staff_id": b.id, "role_id": matrix["role"], "valid_from": "2025-01-01"})
    _post(client, admin, "/assignments", {"staff_id": a.id, "role_id": other_role, "valid_from": "2025-01-01"})
    rows = client.get(f"{API}/assignments?staff_id={a.id}&role_id={matrix['role']}", headers=admin).json
    assert [row["id"] for row in rows] == [first["id"]]


@pytest.mark.parametrize("field", ["staff_id", "role_id"])
def test_assignment_references_must_exist(client, admin, matrix, make, field):
    body = {"staff_id": make.staff().id, "role_id": matrix["role"], "valid_from": "2025-01-01", field: 999999}
    assert field in _post(client, admin, "/assignments", body, status=422)["errors"]


# --- who may write ---------------------------------------------------------------

def test_technician_reads_but_does_not_write_the_matrix(client, make):
    _, headers = make.user("technician", staff_id=make.staff().id)
    assert client.get(f"{API}/roles", headers=headers).status_code == 200
    assert client.post(f"{API}/roles", headers=headers, json={"name": "X"}).status_code == 403
    assert client.post(f"{API}/activities", headers=headers, json={"name": "X"}).status_code == 403


def test_manager_assigns_roles_only_within_their_tree(client, admin, matrix, make):
    home, elsewhere = make.department(), make.department()
    _, headers = make.user("manager", department_id=home.id)
    mine, theirs = make.staff(department_id=home.id), make.staff(department_id=elsewhere.id)
    ok = client.post(f"{API}/assignments", headers=headers,
                     json={"staff_id": mine.id, "role_id": matrix["role"], "valid_from": "2025-01-01"})
    assert ok.status_code == 201
    refused = client.post(f"{API}/assignments", headers=headers,
                          json={"staff_id": theirs.id, "role_id": matrix["role"], "valid_from": "2025-01-01"})
    assert refused.status_code == 403
    _post(client, admin, "/assignments", {"staff_id": theirs.id, "role_id": matrix["role"], "valid_from": "2025-01-01"})
    assert [row["staff_id"] for row in client.get(f"{API}/assignments", headers=headers).json] == [mine.id]
