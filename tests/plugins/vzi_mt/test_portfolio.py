"""The portfolio resources: CRUD, validation, unknown fields refused."""
import pytest

from tests.plugins.vzi_mt.conftest import group_id


def test_education_round_trip_and_patch(vzi):
    created = vzi.education("HBO", fields=("medical_technology",), components=("risk_management",),
                            obtained_on="2010-06-30", equivalence_accepted_for="MT5", name="HBO MT")
    assert created["fields"] == ["medical_technology"]
    assert created["staff_id"] == vzi.staff_id
    item = vzi.url(f"educations/{created['id']}")
    patched = vzi.client.patch(item, json={"components": ["project_management"]}, headers=vzi.headers)
    assert patched.status_code == 200
    assert patched.get_json()["components"] == ["project_management"]
    assert patched.get_json()["fields"] == ["medical_technology"]  # PATCH leaves the rest alone
    assert vzi.client.delete(item, headers=vzi.headers).status_code == 204
    assert vzi.client.get(item, headers=vzi.headers).status_code == 404


@pytest.mark.parametrize("part,body,field", [
    ("educations", {"level": "MBO5"}, "level"),
    ("educations", {"level": "MBO4", "fields": ["cooking"]}, "fields"),
    ("educations", {"level": "MBO4", "equivalence_accepted_for": "MT6"}, "equivalence_accepted_for"),
    ("certificates", {"code": "MTD"}, "code"),
    ("positions", {"level": "MT4", "start_date": "2024-01-01", "end_date": "2023-12-31"}, "end_date"),
    ("positions", {"level": "MT4"}, "start_date"),
    ("cpd-activities", {"date": "2024-01-01", "hours": "1.005", "title": "A"}, "hours"),
    ("cpd-activities", {"date": "2024-01-01", "hours": "-1", "title": "A"}, "hours"),
    ("cpd-activities", {"date": "2024-01-01", "hours": "1", "title": "A", "technology_group_id": 999},
     "technology_group_id"),
    ("cpd-activities", {"date": "2024-01-01", "hours": "1", "title": "A", "category": 3}, "category"),
    ("work-experience", {"technology_group_id": None, "period_start": "2024-01-01", "period_end": "2024-12-31",
                         "hours": "600"}, "technology_group_id"),
    ("work-experience", {"period_start": "2024-01-01", "period_end": "2023-12-31", "hours": "600"}, "period_end"),
])
def test_validation_names_the_field(app, vzi, part, body, field):
    if part == "work-experience" and "technology_group_id" not in body:
        body = {**body, "technology_group_id": group_id(app, 1)}
    response = vzi.client.post(vzi.url(part), json=body, headers=vzi.headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_hours_are_strings_with_two_decimals(vzi):
    assert vzi.cpd("2.5", 1)["hours"] == "2.50"
    work = vzi.work(1, "600")
    assert work["hours"] == "600.00"


def test_patch_cannot_make_a_position_end_before_it_starts(vzi):
    position = vzi.position("MT4", "2024-01-01")
    response = vzi.client.patch(vzi.url(f"positions/{position['id']}"), json={"end_date": "2023-01-01"},
                                headers=vzi.headers)
    assert response.status_code == 422
    assert vzi.client.get(vzi.url(f"positions/{position['id']}"), headers=vzi.headers).get_json()["end_date"] is None


def test_lists_are_ordered_by_date(vzi):
    vzi.cpd("1", on="2024-03-01")
    vzi.cpd("2", on="2024-01-01")
    dates = [r["date"] for r in vzi.client.get(vzi.url("cpd-activities"), headers=vzi.headers).get_json()]
    assert dates == ["2024-01-01", "2024-03-01"]


def test_unknown_staff_404(client, admin):
    assert client.post("/api/v1/vzi/staff/999999/positions", json={"level": "MT3", "start_date": "2024-01-01"},
                       headers=admin).status_code == 404


def test_openapi_documents_the_vzi_paths(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert "/api/v1/vzi/staff/{staff_id}/evaluation" in paths
    assert "/api/v1/vzi/staff/{staff_id}/cpd-activities/import" in paths
    assert "post" in paths["/api/v1/vzi/staff/{staff_id}/certifications"]
