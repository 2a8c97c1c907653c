"""Who may read and write a VZI portfolio (README, Using the API: roles)."""
import io

import pytest

CPD = {"date": "2024-01-15", "hours": "2.00", "title": "Scholing", "technology_group_id": None}
POSITION = {"level": "MT3", "start_date": "2024-01-01"}


@pytest.fixture
def two_departments(make):
    mine, other = make.department(), make.department()
    return make.staff(department_id=mine.id), make.staff(department_id=other.id), mine


def url(staff_id, part):
    return f"/api/v1/vzi/staff/{staff_id}/{part}"


def test_technician_sees_only_self_and_adds_own_cpd(client, make, two_departments):
    me, other, _ = two_departments
    _, tech = make.user("technician", staff_id=me.id)
    assert client.get(url(me.id, "evaluation?as_of=2025-06-01"), headers=tech).status_code == 200
    assert client.get(url(me.id, "cpd-activities"), headers=tech).status_code == 200
    for part in ("evaluation", "cpd-activities", "positions", "certifications"):
        assert client.get(url(other.id, part), headers=tech).status_code == 404
    created = client.post(url(me.id, "cpd-activities"), json=CPD, headers=tech)
    assert created.status_code == 201
    assert client.post(url(other.id, "cpd-activities"), json=CPD, headers=tech).status_code == 404
    # self-service covers adding CPD only: the rest of the portfolio is kept by the manager
    assert client.post(url(me.id, "positions"), json=POSITION, headers=tech).status_code == 403
    assert client.post(url(me.id, "certifications"), json={"as_of": "2025-06-01"}, headers=tech).status_code == 403
    item = url(me.id, f"cpd-activities/{created.get_json()['id']}")
    assert client.patch(item, json={"hours": "3"}, headers=tech).status_code == 403
    assert client.delete(item, headers=tech).status_code == 403
    csv = {"file": (io.BytesIO(b"date,hours,title,category\n2024-02-01,1,A,\n"), "a.csv")}
    assert client.post(url(me.id, "cpd-activities/import"), data=csv, headers=tech,
                       content_type="multipart/form-data").status_code == 200


def test_manager_reads_and_writes_own_tree_only(client, make, two_departments):
    mine, other, department = two_departments
    _, manager = make.user("manager", department_id=department.id)
    assert client.post(url(mine.id, "positions"), json=POSITION, headers=manager).status_code == 201
    assert client.get(url(mine.id, "positions"), headers=manager).status_code == 200
    assert client.get(url(other.id, "positions"), headers=manager).status_code == 404
    assert client.get(url(other.id, "evaluation"), headers=manager).status_code == 404
    assert client.post(url(other.id, "positions"), json=POSITION, headers=manager).status_code == 404


def test_auditor_reads_everything_and_writes_nothing(client, admin, make, two_departments):
    mine, _, _ = two_departments
    position = client.post(url(mine.id, "positions"), json=POSITION, headers=admin).get_json()
    _, auditor = make.user("auditor")
    assert client.get(url(mine.id, "positions"), headers=auditor).status_code == 200
    assert client.get(url(mine.id, "forecast"), headers=auditor).status_code == 409  # readable, just no period
    assert client.post(url(mine.id, "positions"), json=POSITION, headers=auditor).status_code == 403
    assert client.patch(url(mine.id, f"positions/{position['id']}"), json={"level": "MT4"},
                        headers=auditor).status_code == 403
    assert client.post(url(mine.id, "certifications"), json={"as_of": "2025-06-01"},
                       headers=auditor).status_code == 403


def test_tvb_admin_reads_but_does_not_write(client, make, two_departments):
    mine, _, _ = two_departments
    _, tvb = make.user("tvb_admin")
    assert client.get(url(mine.id, "educations"), headers=tvb).status_code == 200
    assert client.post(url(mine.id, "educations"), json={"level": "MBO3"}, headers=tvb).status_code == 403


def test_rows_of_another_person_are_not_reachable_through_this_person(client, admin, two_departments):
    mine, other, _ = two_departments
    position = client.post(url(mine.id, "positions"), json=POSITION, headers=admin).get_json()
    assert client.get(url(other.id, f"positions/{position['id']}"), headers=admin).status_code == 404
    assert client.delete(url(other.id, f"positions/{position['id']}"), headers=admin).status_code == 404


def test_without_token_401(client, two_departments):
    mine, _, _ = two_departments
    assert client.get(url(mine.id, "positions")).status_code == 401
