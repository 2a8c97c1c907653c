"""The competence matrix: staff × device types, each cell competent / expiring / expired / missing."""
from __future__ import annotations

import pytest

API = "/api/v1"


def _post(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _matrix(client, headers, **query):
    text = "&".join(f"{k}={v}" for k, v in query.items())
    response = client.get(f"{API}/competence-matrix?{text}", headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    columns = [t["id"] for t in body["device_types"]]
    assert [row["staff_id"] for row in body["rows"]] == [s["id"] for s in body["staff"]]
    return {(row["staff_id"], type_id): (cell["state"], cell["expires_on"])
            for row in body["rows"] for type_id, cell in zip(columns, row["cells"], strict=True)}, body


@pytest.fixture
def hospital(client, admin, make):
    """Device type ``high`` (class high: user 12, technician 24 months) in the first
    technology group, ``low`` (no expiry) in the second; people in a small tree."""
    groups = [g["id"] for g in client.get(f"{API}/technology-groups", headers=admin).json[:2]]
    high = make.device_type(technology_group_id=groups[0], mdr_class="III").id
    low = make.device_type(technology_group_id=groups[1], mdr_class="I").id
    for type_id in (high, low):
        _post(client, admin, f"/leidraad/device-types/{type_id}/screenings",
              {"screened_on": "2023-01-01", "usage_context": "low", "novelty": "low", "impact": "low"})
    root = make.department()
    child = make.department(parent_id=root.id)
    elsewhere = make.department()
    people = {
        "anna": make.staff(name="Anna", department_id=root.id).id,
        "bram": make.staff(name="Bram", department_id=child.id).id,
        "cees": make.staff(name="Cees", department_id=elsewhere.id).id,
    }

    def competence(who, type_id, role="user", obtained="2024-01-10"):
        return _post(client, admin, "/competences", {
            "staff_id": people[who], "device_type_id": type_id, "role": role,
            "obtained_on": obtained, "method": "training_and_assessment"})

    competence("anna", high)                                  # expires 2025-01-10
    competence("anna", low)                                   # never expires
    competence("cees", high, role="technician")               # expires 2026-01-10
    return {"groups": groups, "high": high, "low": low, "people": people,
            "root": root.id, "child": child.id, "elsewhere": elsewhere.id}


@pytest.mark.parametrize("on, state", [
    ("2024-01-09", "missing"),    # the day before it was obtained
    ("2024-01-10", "competent"),
    ("2024-10-11", "competent"),  # 91 days left
    ("2024-10-12", "expiring"),   # 90 days left: within the horizon
    ("2025-01-09", "expiring"),   # last valid day
    ("2025-01-10", "expired"),    # valid while on < expires_on
    ("2026-06-01", "expired"),
])
def test_cell_states_around_the_expiry(client, admin, hospital, on, state):
    # The group filter keeps the column even when nobody held a competence yet.
    cells, _ = _matrix(client, admin, on=on, technology_group_id=hospital["groups"][0])
    expected_expiry = None if state == "missing" else "2025-01-10"
    assert cells[(hospital["people"]["anna"], hospital["high"])] == (state, expected_expiry)


def test_no_expiry_is_competent_and_nobody_else_is(client, admin, hospital):
    cells, body = _matrix(client, admin, on="2030-01-01")
    people = hospital["people"]
    assert cells[(people["anna"], hospital["low"])] == ("competent", None)
    assert cells[(people["bram"], hospital["high"])] == ("missing", None)
    assert cells[(people["bram"], hospital["low"])] == ("missing", None)
    assert cells[(people["cees"], hospital["high"])] == ("expired", "2026-01-10")
    assert {t["id"] for t in body["device_types"]} == {hospital["high"], hospital["low"]}
    assert body["on"] == "2030-01-01"


def test_the_best_record_counts(client, admin, hospital):
    _post(client, admin, "/competences", {
        "staff_id": hospital["people"]["anna"], "device_type_id": hospital["high"], "role": "user",
        "obtained_on": "2024-12-01", "method": "training_and_assessment"})
    cells, _ = _matrix(client, admin, on="2025-02-01")
    assert cells[(hospital["people"]["anna"], hospital["high"])] == ("competent", "2025-12-01")


def test_department_filter_with_and_without_subdepartments(client, admin, hospital):
    people = hospital["people"]
    _, tree = _matrix(client, admin, department_id=hospital["root"])
    assert [s["id"] for s in tree["staff"]] == [people["anna"], people["bram"]]
    _, only = _matrix(client, admin, department_id=hospital["root"], subdepartments="false")
    assert [s["id"] for s in only["staff"]] == [people["anna"]]
    _, child = _matrix(client, admin, department_id=hospital["child"])
    assert [s["id"] for s in child["staff"]] == [people["bram"]]
    assert child["device_types"] == []  # nobody there holds a competence
    _, before = _matrix(client, admin, on="2024-01-09")
    assert before["device_types"] == []  # nor did anyone before the first was obtained


def test_technology_group_filter_shows_every_type_of_the_group(client, admin, hospital, make):
    unused = make.device_type(technology_group_id=hospital["groups"][1]).id
    cells, body = _matrix(client, admin, technology_group_id=hospital["groups"][1], on="2025-06-01")
    assert {t["id"] for t in body["device_types"]} == {hospital["low"], unused}
    assert cells[(hospital["people"]["anna"], hospital["low"])] == ("competent", None)
    assert cells[(hospital["people"]["anna"], unused)] == ("missing", None)
    assert all(type_id != hospital["high"] for _, type_id in cells)


def test_role_filter(client, admin, hospital):
    people = hospital["people"]
    cells, _ = _matrix(client, admin, role="technician", on="2025-06-01")
    assert cells[(people["cees"], hospital["high"])] == ("competent", "2026-01-10")
    assert cells[(people["anna"], hospital["high"])] == ("missing", None)
    response = client.get(f"{API}/competence-matrix?role=janitor", headers=admin)
    assert response.status_code == 422 and "role" in response.json["errors"]


def test_manager_sees_only_their_tree(client, hospital, make):
    _, headers = make.user("manager", department_id=hospital["root"])
    _, body = _matrix(client, headers)
    assert {s["id"] for s in body["staff"]} == {hospital["people"]["anna"], hospital["people"]["bram"]}
    _, outside = _matrix(client, headers, department_id=hospital["elsewhere"])
    assert outside["staff"] == []


def test_technician_sees_only_themself(client, hospital, make):
    _, headers = make.user("technician", staff_id=hospital["people"]["cees"])
    _, body = _matrix(client, headers)
    assert [s["id"] for s in body["staff"]] == [hospital["people"]["cees"]]


def test_inactive_staff_are_left_out(client, admin, hospital, make):
    gone = make.staff(active=False, department_id=hospital["root"]).id
    _, body = _matrix(client, admin)
    assert gone not in {s["id"] for s in body["staff"]}


@pytest.mark.parametrize("on, shown", [("2024-06-01", "competent"), ("2024-10-12", "expiring"),
                                       ("2025-06-01", "expired")])
def test_the_api_gives_exactly_what_the_schema_would_dump(app, client, admin, hospital, on, shown):
    """The API serialises the matrix directly (speed); its JSON must stay the documented MatrixSchema's."""
    import datetime as dt
    import json
    from types import SimpleNamespace

    from core.competence import matrix
    from core.competence.schemas import MatrixSchema
    _, body = _matrix(client, admin, on=on)
    with app.app_context():
        everyone = SimpleNamespace(id=None, role="admin", staff_id=None, department_id=None)
        data = matrix.build(everyone, on=dt.date.fromisoformat(on))
        documented = MatrixSchema().dump(data)
        assert matrix.as_json(data) == documented
    assert body == json.loads(json.dumps(documented))
    states = {cell["state"] for row in body["rows"] for cell in row["cells"]}
    assert {"missing", shown} <= states  # a dated cell and a shared "missing" cell were compared


@pytest.mark.parametrize("on", ["2024-01-09", "2024-06-01", "2024-10-12", "2025-06-01"])
def test_the_compact_format_holds_the_same_cells_as_the_full_one(client, admin, hospital, on):
    """format=compact: states named once, only the cells that are not missing, by column index."""
    full, _ = _matrix(client, admin, on=on)
    response = client.get(f"{API}/competence-matrix?on={on}&format=compact", headers=admin)
    assert response.status_code == 200
    body = response.json
    assert body["format"] == "compact" and body["states"] == ["competent", "expiring", "expired", "missing"]
    columns = [t["id"] for t in body["device_types"]]
    assert columns == [t["id"] for t in client.get(f"{API}/competence-matrix?on={on}", headers=admin).json["device_types"]]
    listed = {(row["staff_id"], columns[column]): (body["states"][state], expires)
              for row in body["rows"] for column, state, expires in row["cells"]}
    assert all(state != "missing" for state, _ in listed.values())
    expected = {key: cell for key, cell in full.items() if cell != ("missing", None)}
    assert listed == expected
    assert [row["staff_id"] for row in body["rows"]] == [s["id"] for s in body["staff"]]


def test_an_unknown_format_is_refused_naming_the_field(client, admin, hospital):
    response = client.get(f"{API}/competence-matrix?format=xml", headers=admin)
    assert response.status_code == 422 and "format" in str(response.json)


def test_the_matrix_is_gzipped_only_when_asked(client, admin, hospital):
    import gzip
    import json

    plain = client.get(f"{API}/competence-matrix?on=2024-06-01", headers=admin)
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get(f"{API}/competence-matrix?on=2024-06-01",
                        headers={**admin, "Accept-Encoding": "gzip, deflate"})
    if len(plain.get_data()) >= 1024:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert json.loads(gzip.decompress(packed.get_data())) == plain.json
    refused = client.get(f"{API}/competence-matrix?on=2024-06-01", headers={**admin, "Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_a_large_answer_is_gzipped_and_a_small_one_is_not(app, client, admin, make):
    import gzip
    import json

    people = [make.staff(name=f"Medewerker met een lange naam {i}") for i in range(40)]
    big = client.get(f"{API}/staff?per_page=100", headers={**admin, "Accept-Encoding": "gzip"})
    assert big.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(big.get_data()))) >= 40
    small = client.get(f"{API}/staff/{people[0].id}", headers={**admin, "Accept-Encoding": "gzip"})
    assert len(small.get_data()) < 1024  # under the threshold: compressing would cost more than it saves
    assert "Content-Encoding" not in small.headers and small.json["id"] == people[0].id
