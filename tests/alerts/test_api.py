"""GET /alerts (filters, who sees what), acknowledging, and /coverage-minimums."""
from __future__ import annotations

from core.alerts import services
from tests.alerts.conftest import days
from tests.alerts.helpers import AS_OF, competence, department, device, device_type, minimum, staff


def seed(actx, make):
    """Two people in two departments with an expiring competence each, and a coverage alert."""
    icu, ok = department(), department()
    anna, ben = staff(department_id=icu.id), staff(department_id=ok.id)
    kind = device_type()
    device(kind.id, icu.id)
    competence(anna, kind.id, AS_OF + days(20))
    competence(ben, kind.id, AS_OF + days(50))
    minimum(type_id=kind.id, count=3)
    services.run_day(AS_OF)
    return icu, ok, anna, ben, kind


def ids(response):
    assert response.status_code == 200, response.json
    return sorted((a["kind"], a["staff_id"], a["device_type_id"]) for a in response.json)


def test_filters(actx, make, client, admin):
    icu, ok, anna, ben, kind = seed(actx, make)
    every = client.get("/api/v1/alerts", headers=admin).json
    assert len(every) == 3
    assert all(a["delivered"] is True for a in every)  # no outside channel: nothing pending
    assert ids(client.get("/api/v1/alerts?kind=coverage_below_minimum", headers=admin)) == [
        ("coverage_below_minimum", None, kind.id)]
    assert ids(client.get(f"/api/v1/alerts?subject=staff:{anna.id}", headers=admin)) == [
        ("competence_expiring", anna.id, None)]
    assert ids(client.get(f"/api/v1/alerts?subject=device_type:{kind.id}", headers=admin)) == [
        ("coverage_below_minimum", None, kind.id)]
    # department: its people and the device types it has devices of
    assert ids(client.get(f"/api/v1/alerts?department_id={icu.id}", headers=admin)) == [
        ("competence_expiring", anna.id, None), ("coverage_below_minimum", None, kind.id)]
    assert ids(client.get(f"/api/v1/alerts?department_id={ok.id}", headers=admin)) == [
        ("competence_expiring", ben.id, None)]
    assert ids(client.get("/api/v1/alerts?delivered=false", headers=admin)) == []
    assert client.get("/api/v1/alerts?subject=nobody:1", headers=admin).status_code == 422
    first = every[0]
    assert set(first) >= {"kind", "subject", "due_on", "horizon_days", "message", "created_at", "delivered"}


def test_delivered_false_while_a_channel_is_pending(actx, make, client, admin):
    actx.config["BEKWAAM_WEBHOOK_URL"] = "http://127.0.0.1:9/closed"
    competence(staff(), device_type().id, AS_OF + days(20))
    services.run_day(AS_OF)
    [alert] = client.get("/api/v1/alerts?delivered=false", headers=admin).json
    assert alert["delivered"] is False
    assert client.get("/api/v1/alerts?delivered=true", headers=admin).json == []


def test_who_sees_and_acknowledges_what(actx, make, client, admin):
    icu, ok, anna, ben, kind = seed(actx, make)
    _, tech = make.user("technician", staff_id=anna.id)
    _, manager = make.user("manager", department_id=icu.id)
    _, auditor = make.user("auditor")
    assert ids(client.get("/api/v1/alerts", headers=tech)) == [("competence_expiring", anna.id, None)]
    assert ids(client.get("/api/v1/alerts", headers=manager)) == [
        ("competence_expiring", anna.id, None), ("coverage_below_minimum", None, kind.id)]
    alerts = {(a["staff_id"], a["device_type_id"]): a["id"] for a in client.get("/api/v1/alerts", headers=admin).json}
    own, other, coverage = alerts[(anna.id, None)], alerts[(ben.id, None)], alerts[(None, kind.id)]

    assert client.post(f"/api/v1/alerts/{coverage}/acknowledge", headers=tech).status_code == 404
    assert client.post(f"/api/v1/alerts/{other}/acknowledge", headers=tech).status_code == 404
    assert client.post(f"/api/v1/alerts/{other}/acknowledge", headers=manager).status_code == 404
    assert client.post(f"/api/v1/alerts/{own}/acknowledge", headers=auditor).status_code == 403
    first = client.post(f"/api/v1/alerts/{own}/acknowledge", headers=tech)
    assert first.status_code == 200 and first.json["acknowledged_at"] is not None
    again = client.post(f"/api/v1/alerts/{own}/acknowledge", headers=manager)
    assert again.json["acknowledged_at"] == first.json["acknowledged_at"]
    assert again.json["acknowledged_by"] == first.json["acknowledged_by"]
    assert client.post(f"/api/v1/alerts/{coverage}/acknowledge", headers=manager).status_code == 200
    assert ids(client.get("/api/v1/alerts?acknowledged=false", headers=admin)) == [("competence_expiring", ben.id, None)]
    assert client.post("/api/v1/alerts/999999/acknowledge", headers=admin).status_code == 404


def test_coverage_minimums_crud(actx, make, client, admin):
    kind = device_type()
    _, manager = make.user("manager", department_id=department().id)
    _, mt_manager = make.user("mt_manager")
    _, tech = make.user("technician", staff_id=staff().id)
    url = "/api/v1/coverage-minimums"
    # A minimum holds for every department: the MT department sets it, a department manager may not.
    assert client.post(url, json={"device_type_id": kind.id, "minimum": 2}, headers=manager).status_code == 403
    created = client.post(url, json={"device_type_id": kind.id, "minimum": 2}, headers=mt_manager)
    assert created.status_code == 201, created.json
    assert (created.json["role"], created.json["minimum"], created.json["technology_group_id"]) == ("technician", 2, None)
    group = client.post(url, json={"technology_group_id": 19, "minimum": 1, "role": "key_user"}, headers=admin)
    assert group.status_code == 201
    assert client.post(url, json={"device_type_id": kind.id, "minimum": 3}, headers=admin).status_code == 409
    both = client.post(url, json={"device_type_id": kind.id, "technology_group_id": 19, "minimum": 1}, headers=admin)
    assert both.status_code == 422 and "device_type_id" in both.json["errors"]
    assert client.post(url, json={"minimum": 1}, headers=admin).status_code == 422
    assert client.post(url, json={"device_type_id": kind.id, "minimum": 0, "role": "user"}, headers=admin).status_code == 422
    assert client.post(url, json={"device_type_id": 999999, "minimum": 1}, headers=admin).json["errors"] == {
        "device_type_id": ["No device type with id 999999."]}
    assert client.post(url, json={"device_type_id": kind.id, "minimum": 1, "bogus": 1}, headers=admin).status_code == 422
    assert client.post(url, json={"device_type_id": kind.id, "minimum": 1, "role": "user"}, headers=tech).status_code == 403
    item = f"{url}/{created.json['id']}"
    assert client.patch(item, json={"minimum": 4}, headers=admin).json["minimum"] == 4
    assert client.get(f"{url}?device_type_id={kind.id}", headers=tech).json[0]["minimum"] == 4
    assert client.delete(item, headers=manager).status_code == 403
    assert client.delete(item, headers=mt_manager).status_code == 204
    assert client.get(item, headers=admin).status_code == 404
