"""Bad input: a 4xx naming each field and problem, nothing written, never a 500 (README, Using the API)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.devices.models import Device, DeviceType
from core.extensions import db
from core.staff.models import Department, Staff


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_unknown_field_is_422_naming_it(client, admin):
    response = client.post("/api/v1/departments", headers=admin, json={"code": "IC", "name": "IC", "colour": "red"})
    assert response.status_code == 422
    assert response.json["code"] == 422 and response.json["status"] == "Unprocessable Entity"
    assert list(response.json["errors"]) == ["colour"]


def test_unknown_field_on_patch_and_read_only_id(client, admin, make):
    dept = make.department()
    response = client.patch(f"/api/v1/departments/{dept.id}", headers=admin, json={"id": 5, "boss": "x"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"id", "boss"}


def test_each_missing_field_is_named(client, admin):
    response = client.post("/api/v1/staff", headers=admin, json={})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"employee_number", "name"}
    response = client.post("/api/v1/competences", headers=admin, json={})
    assert {"staff_id", "role", "obtained_on", "method"} <= set(response.json["errors"])


def test_wrong_types_are_named(client, admin):
    response = client.post("/api/v1/staff", headers=admin, json={
        "employee_number": 5, "name": ["x"], "active": "maybe", "start_date": "31-12-2026",
        "department_id": "one", "employment_type": "freelance", "email": "not-an-address"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {
        "employee_number", "name", "active", "start_date", "department_id", "employment_type", "email"}
    for messages in response.json["errors"].values():
        assert messages and all(isinstance(m, str) and m for m in messages)


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null", '"text"', "{"])
def test_a_body_that_is_not_an_object_is_a_4xx(client, admin, body):
    response = client.post("/api/v1/departments", headers={**admin, "Content-Type": "application/json"}, data=body)
    assert 400 <= response.status_code < 500
    assert response.is_json


def test_duplicate_employee_number_is_409_and_writes_nothing(app, client, admin, make):
    make.staff(employee_number="E-42")
    before = _count(app, Staff)
    response = client.post("/api/v1/staff", headers=admin, json={"employee_number": "E-42", "name": "Dubbel"})
    assert response.status_code == 409
    assert "employee_number 'E-42' already exists" in response.json["message"]
    assert response.json["errors"] == {"employee_number": ["Already in use."]}
    assert _count(app, Staff) == before


def test_duplicate_by_patch_is_409(client, admin, make):
    make.staff(employee_number="E-1")
    other = make.staff(employee_number="E-2")
    response = client.patch(f"/api/v1/staff/{other.id}", headers=admin, json={"employee_number": "E-1"})
    assert response.status_code == 409
    assert client.get(f"/api/v1/staff/{other.id}", headers=admin).json["employee_number"] == "E-2"
    # Saving a row with its own unchanged key is no conflict.
    assert client.patch(f"/api/v1/staff/{other.id}", headers=admin, json={"employee_number": "E-2"}).status_code == 200


def test_duplicate_asset_number_is_409(app, client, admin, make):
    device_type = make.device_type()
    body = {"asset_number": "INV-1", "device_type_id": device_type.id}
    assert client.post("/api/v1/devices", headers=admin, json=body).status_code == 201
    response = client.post("/api/v1/devices", headers=admin, json=body)
    assert response.status_code == 409
    assert "asset_number 'INV-1' already exists" in response.json["message"]
    assert _count(app, Device) == 1


def test_duplicate_device_type_is_409(app, client, admin, make):
    make.device_type(manufacturer="Dräger", model="Evita V800")
    response = client.post("/api/v1/device-types", headers=admin, json={
        "manufacturer": "Dräger", "model": "Evita V800", "name": "Beademing", "technology_group_id": 1})
    assert response.status_code == 409
    assert "manufacturer 'Dräger', model 'Evita V800'" in response.json["message"]
    assert set(response.json["errors"]) == {"manufacturer", "model"}
    assert _count(app, DeviceType) == 1


def test_duplicate_department_code_is_409(client, admin, make):
    make.department(code="OK")
    assert client.post("/api/v1/departments", headers=admin, json={"code": "OK", "name": "x"}).status_code == 409


def test_delete_department_with_staff_is_409(app, client, admin, make):
    dept = make.department()
    make.staff(department_id=dept.id)
    response = client.delete(f"/api/v1/departments/{dept.id}", headers=admin)
    assert response.status_code == 409
    assert "still referred to by 1 staff" in response.json["message"]
    assert response.json["dependents"] == {"staff": 1}
    assert _count(app, Department) == 1


def test_delete_department_with_sub_department_is_409(client, admin, make):
    dept = make.department()
    make.department(parent_id=dept.id)
    response = client.delete(f"/api/v1/departments/{dept.id}", headers=admin)
    assert response.status_code == 409 and response.json["dependents"] == {"department": 1}


def test_delete_device_type_with_devices_is_409(app, client, admin, make):
    device_type = make.device_type()
    client.post("/api/v1/devices", headers=admin, json={"asset_number": "X1", "device_type_id": device_type.id})
    client.post("/api/v1/devices", headers=admin, json={"asset_number": "X2", "device_type_id": device_type.id})
    response = client.delete(f"/api/v1/device-types/{device_type.id}", headers=admin)
    assert response.status_code == 409
    assert "2 device" in response.json["message"] and response.json["dependents"] == {"device": 2}
    assert _count(app, DeviceType) == 1


def test_delete_staff_with_competences_is_409(app, client, admin, make):
    person, device_type = make.staff(), make.device_type()
    competence = client.post("/api/v1/competences", headers=admin, json={
        "staff_id": person.id, "device_type_id": device_type.id, "role": "user",
        "obtained_on": "2026-01-01", "method": "instruction"})
    assert competence.status_code == 201, competence.json
    response = client.delete(f"/api/v1/staff/{person.id}", headers=admin)
    assert response.status_code == 409
    assert response.json["dependents"] == {"competence": 1}
    assert _count(app, Staff) == 1
    # Once the competence is gone, the person can go.
    assert client.delete(f"/api/v1/competences/{competence.json['id']}", headers=admin).status_code == 204
    assert client.delete(f"/api/v1/staff/{person.id}", headers=admin).status_code == 204


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/staff", {"employee_number": "R1", "name": "R", "department_id": 987654}, "department_id"),
    ("/api/v1/staff", {"employee_number": "R1", "name": "R", "manager_id": 987654}, "manager_id"),
    ("/api/v1/devices", {"asset_number": "R1", "device_type_id": 987654}, "device_type_id"),
    ("/api/v1/device-types", {"manufacturer": "M", "model": "M", "name": "M", "technology_group_id": 99}, "technology_group_id"),
    ("/api/v1/departments", {"code": "R1", "name": "R", "parent_id": 987654}, "parent_id"),
])
def test_missing_reference_is_422_naming_the_field(client, admin, path, body, field):
    response = client.post(path, headers=admin, json=body)
    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert "987654" in response.json["errors"][field][0] or "99" in response.json["errors"][field][0]


def test_competence_with_missing_staff_is_422(client, admin, make):
    device_type = make.device_type()
    response = client.post("/api/v1/competences", headers=admin, json={
        "staff_id": 987654, "device_type_id": device_type.id, "role": "user",
        "obtained_on": "2026-01-01", "method": "instruction"})
    assert response.status_code == 422 and "staff_id" in response.json["errors"]


def test_department_under_its_own_child_is_422(client, admin, make):
    top = make.department()
    child = make.department(parent_id=top.id)
    grandchild = make.department(parent_id=child.id)
    for parent in (child, grandchild, top):
        response = client.patch(f"/api/v1/departments/{top.id}", headers=admin, json={"parent_id": parent.id})
        assert response.status_code == 422, parent
        assert list(response.json["errors"]) == ["parent_id"]
    assert client.get(f"/api/v1/departments/{top.id}", headers=admin).json["parent_id"] is None


def test_staff_cannot_manage_themself(client, admin, make):
    person = make.staff()
    response = client.patch(f"/api/v1/staff/{person.id}", headers=admin, json={"manager_id": person.id})
    assert response.status_code == 422 and list(response.json["errors"]) == ["manager_id"]


def test_external_staff_needs_a_company(client, admin, make):
    response = client.post("/api/v1/staff", headers=admin,
                           json={"employee_number": "X1", "name": "X", "employment_type": "external"})
    assert response.status_code == 422 and list(response.json["errors"]) == ["company"]
    person = make.staff()
    response = client.patch(f"/api/v1/staff/{person.id}", headers=admin, json={"employment_type": "external"})
    assert response.status_code == 422 and list(response.json["errors"]) == ["company"]


BIG = 2 ** 63  # beyond every integer column (SQLite's 64-bit and PostgreSQL's 32-bit integer)


@pytest.mark.parametrize("value", [2 ** 31, BIG, -BIG])
def test_out_of_range_ids_never_500(client, admin, value):
    assert client.get(f"/api/v1/staff/{abs(value)}", headers=admin).status_code == 404
    assert client.patch(f"/api/v1/departments/{abs(value)}", headers=admin, json={"name": "x"}).status_code == 404
    assert client.delete(f"/api/v1/devices/{abs(value)}", headers=admin).status_code == 404
    response = client.post("/api/v1/staff", headers=admin,
                           json={"employee_number": "B1", "name": "B", "department_id": value})
    assert response.status_code == 422 and list(response.json["errors"]) == ["department_id"]
    response = client.get(f"/api/v1/staff?department_id={value}", headers=admin)
    assert response.status_code in (200, 422)
    response = client.get(f"/api/v1/audit?entity_id={value}", headers=admin)
    assert response.status_code in (200, 422)


def test_overlong_strings_are_422(client, admin):
    response = client.post("/api/v1/departments", headers=admin, json={"code": "C" * 41, "name": "N" * 201})
    assert response.status_code == 422 and set(response.json["errors"]) == {"code", "name"}


def test_nul_characters_never_500(client, admin):
    response = client.post("/api/v1/departments", headers=admin, json={"code": "A\u0000B", "name": "x"})
    assert response.status_code in (201, 422)
    response = client.get("/api/v1/staff?q=a%00b", headers=admin)
    assert response.status_code in (200, 422)


@pytest.mark.parametrize("value", [2 ** 31, BIG])
def test_out_of_range_number_outside_the_strict_schemas_is_422(client, admin, make, value):
    """The last line of defence (core.errors): a number the database cannot take is a 422."""
    person = make.staff()
    response = client.get(f"/api/v1/staff/{person.id}/can-perform?activity_id={value}", headers=admin)
    assert response.status_code == 422, response.json
