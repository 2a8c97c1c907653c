"""Self-service CPD: a technician's own entry waits for review; only approved hours count."""
from tests.plugins.vzi_mt.conftest import AS_OF, IN_WINDOW, Vzi


def _setup(app, client, make, admin):
    dept = make.department()
    person = make.staff(department_id=dept.id)
    _, own = make.user("technician", staff_id=person.id)
    _, manager = make.user("manager", department_id=dept.id)
    vzi = Vzi(app, client, admin, person.id)
    vzi.education(level="MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01")
    return vzi, own, manager


def _post_own(client, vzi, own, hours="8.00"):
    response = client.post(vzi.url("cpd-activities"), headers=own,
                           json={"date": IN_WINDOW, "hours": hours, "title": "Eigen scholing"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_own_entry_is_pending_and_does_not_count(app, client, make, admin):
    vzi, own, _ = _setup(app, client, make, admin)
    entry = _post_own(client, vzi, own)
    assert entry["status"] == "pending"
    assert vzi.evaluation()["cpd"]["done_hours"] == "0.00"


def test_entry_by_an_admin_is_approved_and_counts(app, client, make, admin):
    vzi, _, _ = _setup(app, client, make, admin)
    assert vzi.cpd("5.50")["status"] == "approved"
    assert vzi.evaluation()["cpd"]["done_hours"] == "5.50"


def test_manager_approves_and_the_hours_count(app, client, make, admin):
    vzi, own, manager = _setup(app, client, make, admin)
    entry = _post_own(client, vzi, own, "8.00")
    response = client.post(vzi.url(f"cpd-activities/{entry['id']}/review"), headers=manager,
                           json={"decision": "approved"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "approved"
    assert response.get_json()["reviewed_by"] is not None
    assert vzi.evaluation(as_of=AS_OF)["cpd"]["done_hours"] == "8.00"


def test_rejection_needs_a_reason_and_does_not_count(app, client, make, admin):
    vzi, own, manager = _setup(app, client, make, admin)
    entry = _post_own(client, vzi, own)
    url = vzi.url(f"cpd-activities/{entry['id']}/review")
    response = client.post(url, headers=manager, json={"decision": "rejected"})
    assert response.status_code == 422
    assert "reason" in response.get_json()["errors"]
    response = client.post(url, headers=manager, json={"decision": "rejected", "reason": "Geen certificaat"})
    assert response.status_code == 200
    assert response.get_json()["rejection_reason"] == "Geen certificaat"
    assert vzi.evaluation()["cpd"]["done_hours"] == "0.00"


def test_nobody_reviews_their_own_hours(app, client, make, admin):
    vzi, own, _ = _setup(app, client, make, admin)
    entry = _post_own(client, vzi, own)
    response = client.post(vzi.url(f"cpd-activities/{entry['id']}/review"), headers=own,
                           json={"decision": "approved"})
    assert response.status_code == 403
