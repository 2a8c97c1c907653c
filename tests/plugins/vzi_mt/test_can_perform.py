"""can_perform with requirements.vzi_mt: only a person certified on the day, at or above the minimum."""
import datetime as dt

import pytest
from sqlalchemy import event

from core.extensions import db
from tests.plugins.vzi_mt.conftest import insert_period

ON = dt.date(2025, 6, 1)


@pytest.fixture
def matrix(client, admin):
    """A role with B for an activity needing MT4 professional; returns a function assigning people."""
    role = client.post("/api/v1/tvb/roles", json={"name": "MT4 anesthesie"}, headers=admin).get_json()
    activity = client.post("/api/v1/tvb/activities", headers=admin, json={
        "name": "Reparatie beademing",
        "requirements": {"vzi_mt": {"min_level": "MT4", "min_designation": "professional"}}}).get_json()
    assert "id" in activity, activity
    cell = client.post("/api/v1/tvb/cells", headers=admin,
                       json={"role_id": role["id"], "activity_id": activity["id"], "letters": "B"})
    assert cell.status_code == 201, cell.get_json()

    def assign(staff_id):
        response = client.post("/api/v1/tvb/assignments", headers=admin,
                               json={"staff_id": staff_id, "role_id": role["id"], "valid_from": "2020-01-01"})
        assert response.status_code == 201, response.get_json()
    assign.activity_id = activity["id"]
    assign.role_id = role["id"]
    return assign


def decide(client, headers, staff_id, activity_id, on=ON):
    response = client.get(f"/api/v1/staff/{staff_id}/can-perform?activity_id={activity_id}&on={on}", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    return body["allowed"], [r for r in body["reasons"] if r["source"] == "vzi_mt"]


def test_certified_above_the_minimum_is_allowed(app, client, admin, make, matrix):
    person = make.staff()
    matrix(person.id)
    insert_period(app, person.id, "MT5", "expert", dt.date(2024, 1, 1))
    allowed, reasons = decide(client, admin, person.id, matrix.activity_id)
    assert allowed is True
    assert [(r["code"], r["ok"]) for r in reasons] == [("vzi_certified", True)]


def test_exactly_the_minimum_is_allowed(app, client, admin, make, matrix):
    person = make.staff()
    matrix(person.id)
    insert_period(app, person.id, "MT4", "professional", dt.date(2024, 1, 1))
    assert decide(client, admin, person.id, matrix.activity_id)[0] is True


def test_level_below_is_refused(app, client, admin, make, matrix):
    person = make.staff()
    matrix(person.id)
    insert_period(app, person.id, "MT3", "expert", dt.date(2024, 1, 1))
    allowed, reasons = decide(client, admin, person.id, matrix.activity_id)
    assert allowed is False
    assert [(r["code"], r["ok"]) for r in reasons] == [("vzi_level_too_low", False)]


def test_designation_below_is_refused(app, client, admin, make, matrix):
    person = make.staff()
    matrix(person.id)
    insert_period(app, person.id, "MT4", "in_training", dt.date(2024, 1, 1))
    allowed, reasons = decide(client, admin, person.id, matrix.activity_id)
    assert allowed is False
    assert [r["code"] for r in reasons] == ["vzi_designation_too_low"]


def test_base_registration_is_refused(app, client, admin, make, matrix):
    from tests.plugins.vzi_mt.conftest import Vzi
    person = make.staff()
    matrix(person.id)
    vzi = Vzi(app, client, admin, person.id)
    vzi.example(dt.date(2018, 5, 1))  # eligible MT4 expert, but never certified
    assert vzi.evaluation(ON)["registration"] == "base"
    allowed, reasons = decide(client, admin, person.id, matrix.activity_id)
    assert allowed is False
    assert [r["code"] for r in reasons] == ["vzi_not_certified"]


def test_expired_period_is_refused_and_a_past_date_is_decided_as_it_stood(app, client, admin, make, matrix):
    person = make.staff()
    matrix(person.id)
    insert_period(app, person.id, "MT4", "expert", dt.date(2021, 1, 1))  # [2021-01-01, 2024-01-01)
    allowed, reasons = decide(client, admin, person.id, matrix.activity_id, on=dt.date(2024, 1, 1))
    assert allowed is False
    assert [r["code"] for r in reasons] == ["vzi_period_expired"]
    assert decide(client, admin, person.id, matrix.activity_id, on=dt.date(2023, 12, 31))[0] is True
    assert decide(client, admin, person.id, matrix.activity_id, on=dt.date(2020, 12, 31))[1][0]["code"] == \
        "vzi_not_certified"


def test_vzi_certificate_does_not_replace_the_tvb_authorisation(app, client, admin, make, matrix):
    person = make.staff()  # not assigned to the role
    insert_period(app, person.id, "MT5", "expert", dt.date(2024, 1, 1))
    allowed, reasons = decide(client, admin, person.id, matrix.activity_id)
    assert allowed is False
    assert [r["code"] for r in reasons] == ["vzi_certified"]


def test_activity_without_vzi_requirements_gets_no_vzi_reasons(app, client, admin, make):
    activity = client.post("/api/v1/tvb/activities", json={"name": "Gebruikersinstructie"}, headers=admin).get_json()
    person = make.staff()
    assert decide(client, admin, person.id, activity["id"])[1] == []


@pytest.mark.parametrize("requirements", [
    {"vzi_mt": {"min_level": "MT6"}},
    {"vzi_mt": {"min_designation": "expert"}},
    {"vzi_mt": {"min_level": "MT4", "min_designation": "guru"}},
    {"vzi_mt": {"min_level": "MT4", "extra": 1}},
])
def test_requirement_schema_refuses_bad_values(client, admin, requirements):
    response = client.post("/api/v1/tvb/activities", json={"name": "X", "requirements": requirements}, headers=admin)
    assert response.status_code == 422


def test_min_designation_is_optional(client, admin):
    response = client.post("/api/v1/tvb/activities", headers=admin,
                           json={"name": "Y", "requirements": {"vzi_mt": {"min_level": "MT3"}}})
    assert response.status_code == 201
    assert response.get_json()["requirements"] == {"vzi_mt": {"min_level": "MT3"}}


def test_hook_is_set_based_one_query_for_any_number_of_people(app, make):
    from core.tvb.models import Activity
    from plugins.vzi_mt import hooks
    people = [make.staff().id for _ in range(12)]
    for i, staff_id in enumerate(people):
        insert_period(app, staff_id, ("MT3", "MT4", "MT5")[i % 3], "professional", dt.date(2024, 1, 1))
    activity = Activity(name="Z", requirements={"vzi_mt": {"min_level": "MT4"}})
    with app.app_context():
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            result = hooks.bekwaam_can_perform_conditions(db.session, people, activity, None, ON)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert hooks.bekwaam_can_perform_conditions(db.session, people, Activity(name="W", requirements={}),
                                                    None, ON) == {}
    assert len(statements) == 1
    assert [result[s][0].ok for s in people] == [i % 3 != 0 for i in range(12)]
