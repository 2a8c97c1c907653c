"""can_perform and the inspector's question through the API (README, Using the API).

Allowed only if a role held on the day has B for the activity in a scope that
covers the device type, and every enabled plugin's conditions hold; the past is
decided as it stood, and every answer carries its reasons.
"""
from __future__ import annotations

import datetime as dt

import pytest

API = "/api/v1"
LONG_AGO = "2000-01-01"


def _post(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _ask(client, headers, staff_id, activity_id, device_type_id=None, on=None, status=200):
    query = f"activity_id={activity_id}"
    if device_type_id is not None:
        query += f"&device_type_id={device_type_id}"
    if on is not None:
        query += f"&on={on}"
    response = client.get(f"{API}/staff/{staff_id}/can-perform?{query}", headers=headers)
    assert response.status_code == status, response.json
    return response.json


def _codes(answer, source=None):
    return [r["code"] for r in answer["reasons"] if source is None or r["source"] == source]


def _core(answer):
    (reason,) = [r for r in answer["reasons"] if r["source"] == "core" and r["code"] != "staff_inactive"]
    return reason


@pytest.fixture
def world(client, admin, make):
    """Two technology groups, two released types in the first and one in the second,
    a role, an activity of the use phase without plugin requirements, one person."""
    groups = [g["id"] for g in client.get(f"{API}/technology-groups", headers=admin).json[:2]]
    released = {"lifecycle_phase": 6, "released_on": dt.date(2000, 1, 1)}
    types = {
        "a": make.device_type(technology_group_id=groups[0], model="A", **released).id,
        "b": make.device_type(technology_group_id=groups[0], model="B", **released).id,
        "other_group": make.device_type(technology_group_id=groups[1], model="C", **released).id,
    }
    role = _post(client, admin, "/tvb/roles", {"name": "MT4 anesthesie"})["id"]
    activity = _post(client, admin, "/tvb/activities", {"name": "Preventief onderhoud", "lifecycle_phase": 6,
                                                        "effective_from": LONG_AGO})["id"]
    return {"groups": groups, "types": types, "role": role, "activity": activity, "person": make.staff().id}


def _cell(client, admin, world, letters="TVB", **scope):
    return _post(client, admin, "/tvb/cells", {"role_id": world["role"], "activity_id": world["activity"],
                                               "letters": letters, "effective_from": LONG_AGO, **scope})


def _assign(client, admin, world, valid_from=LONG_AGO, valid_to=None, staff_id=None, role_id=None):
    return _post(client, admin, "/tvb/assignments", {
        "staff_id": staff_id or world["person"], "role_id": role_id or world["role"],
        "valid_from": valid_from, "valid_to": valid_to})


# --- the assignment's dates, both inclusive -------------------------------------

@pytest.mark.parametrize("on, allowed", [
    ("2024-02-29", False),  # the day before valid_from
    ("2024-03-01", True),   # valid_from
    ("2024-03-15", True),
    ("2024-03-31", True),   # valid_to is the last day the role is held
    ("2024-04-01", False),  # the day after
])
def test_assignment_dates_are_inclusive(client, admin, world, on, allowed):
    _cell(client, admin, world)
    _assign(client, admin, world, "2024-03-01", "2024-03-31")
    answer = _ask(client, admin, world["person"], world["activity"], world["types"]["a"], on)
    assert answer["allowed"] is allowed
    assert _core(answer)["code"] == ("authorised" if allowed else "not_authorised")
    assert _core(answer)["ok"] is allowed


def test_an_open_assignment_holds_for_ever(client, admin, world):
    _cell(client, admin, world)
    _assign(client, admin, world, "2024-03-01")
    assert _ask(client, admin, world["person"], world["activity"], world["types"]["a"], "2099-12-31")["allowed"]
    assert not _ask(client, admin, world["person"], world["activity"], world["types"]["a"], "2024-02-29")["allowed"]


def test_no_role_at_all_is_not_authorised(client, admin, world):
    answer = _ask(client, admin, world["person"], world["activity"], world["types"]["a"])
    assert answer["allowed"] is False
    reason = _core(answer)
    assert reason["code"] == "not_authorised" and "no role with B" in reason["message"]


def test_a_role_for_another_activity_does_not_authorise(client, admin, world):
    other = _post(client, admin, "/tvb/activities", {"name": "Reparatie", "lifecycle_phase": 6,
                                                     "effective_from": LONG_AGO})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": world["role"], "activity_id": other, "letters": "B"})
    _assign(client, admin, world)
    assert _core(_ask(client, admin, world["person"], world["activity"], world["types"]["a"]))["code"] == "not_authorised"
    assert _ask(client, admin, world["person"], other, world["types"]["a"])["allowed"] is True


# --- scope --------------------------------------------------------------------

@pytest.mark.parametrize("scope, covered", [
    ({}, {"a", "b", "other_group"}),                    # everything
    ({"technology_group_id": 0}, {"a", "b"}),            # the first technology group
    ({"technology_group_id": 1}, {"other_group"}),       # another group does not cover a and b
    ({"device_type_id": "a"}, {"a"}),                    # one device type
])
def test_scope_of_the_cell_decides_which_types_are_covered(client, admin, world, scope, covered):
    if "technology_group_id" in scope:
        scope = {"technology_group_id": world["groups"][scope["technology_group_id"]]}
    if "device_type_id" in scope:
        scope = {"device_type_id": world["types"][scope["device_type_id"]]}
    _cell(client, admin, world, **scope)
    _assign(client, admin, world)
    for name, type_id in world["types"].items():
        answer = _ask(client, admin, world["person"], world["activity"], type_id)
        assert answer["allowed"] is (name in covered), (name, answer)
        assert _core(answer)["code"] == ("authorised" if name in covered else "not_authorised")


def test_the_authorising_reason_names_role_and_scope(client, admin, world):
    _cell(client, admin, world, technology_group_id=world["groups"][0])
    _assign(client, admin, world)
    reason = _core(_ask(client, admin, world["person"], world["activity"], world["types"]["a"]))
    assert reason == {"source": "core", "code": "authorised", "ok": True, "message": reason["message"]}
    assert "MT4 anesthesie" in reason["message"] and "technology group" in reason["message"]


def test_without_a_device_type_only_unscoped_cells_count(client, admin, world):
    _cell(client, admin, world, technology_group_id=world["groups"][0])
    _assign(client, admin, world)
    assert _core(_ask(client, admin, world["person"], world["activity"]))["code"] == "not_authorised"
    second = _post(client, admin, "/tvb/roles", {"name": "Breed"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": second, "activity_id": world["activity"], "letters": "B", "effective_from": LONG_AGO})
    _assign(client, admin, world, role_id=second)
    answer = _ask(client, admin, world["person"], world["activity"])
    assert answer["allowed"] is True and _codes(answer) == ["authorised"]


@pytest.mark.parametrize("letters, shown", [("T", "T"), ("V", "V"), ("TV", "T, V")])
def test_t_or_v_without_b_is_not_authorised_with_the_letters(client, admin, world, letters, shown):
    _cell(client, admin, world, letters=letters)
    _assign(client, admin, world)
    answer = _ask(client, admin, world["person"], world["activity"], world["types"]["a"])
    assert answer["allowed"] is False
    reason = _core(answer)
    assert reason["code"] == "not_authorised" and reason["ok"] is False
    assert f"only {shown} " in reason["message"] and "MT4 anesthesie" in reason["message"]


def test_b_in_one_role_wins_over_t_in_another(client, admin, world):
    _cell(client, admin, world, letters="T")
    _assign(client, admin, world)
    second = _post(client, admin, "/tvb/roles", {"name": "Senior"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": second, "activity_id": world["activity"], "letters": "VB", "effective_from": LONG_AGO})
    _assign(client, admin, world, role_id=second)
    assert _ask(client, admin, world["person"], world["activity"], world["types"]["a"])["allowed"] is True


# --- the past as it stood ------------------------------------------------------------

def test_an_assignment_that_ended_still_counts_for_its_past(client, admin, world):
    _cell(client, admin, world)
    _assign(client, admin, world, "2020-01-01", "2021-12-31")
    assert _ask(client, admin, world["person"], world["activity"], world["types"]["a"], "2021-06-01")["allowed"]
    assert not _ask(client, admin, world["person"], world["activity"], world["types"]["a"])["allowed"]


def test_inactive_person_is_refused_from_today_but_not_in_the_past(client, admin, world, make):
    _cell(client, admin, world)
    gone = make.staff(active=False).id
    _assign(client, admin, world, staff_id=gone)
    today = dt.date.today()
    for on in (today, today + dt.timedelta(days=30)):
        answer = _ask(client, admin, gone, world["activity"], world["types"]["a"], on.isoformat())
        assert answer["allowed"] is False
        inactive = [r for r in answer["reasons"] if r["code"] == "staff_inactive"]
        assert inactive == [{"source": "core", "code": "staff_inactive", "ok": False, "message": inactive[0]["message"]}]
    yesterday = _ask(client, admin, gone, world["activity"], world["types"]["a"], (today - dt.timedelta(days=1)).isoformat())
    assert yesterday["allowed"] is True and "staff_inactive" not in _codes(yesterday)


def test_a_release_done_later_refuses_the_earlier_days(client, admin, world, make):
    later = make.device_type(technology_group_id=world["groups"][0], lifecycle_phase=6,
                             released_on=dt.date(2024, 6, 1)).id
    _cell(client, admin, world)
    _assign(client, admin, world)
    before = _ask(client, admin, world["person"], world["activity"], later, "2024-05-31")
    assert before["allowed"] is False and "not_released" in _codes(before, "leidraad")
    on_the_day = _ask(client, admin, world["person"], world["activity"], later, "2024-06-01")
    assert on_the_day["allowed"] is True and "released" in _codes(on_the_day, "leidraad")


# --- the answer's shape and errors ----------------------------------------------------

def test_every_reason_has_source_code_and_message_for_yes_and_no(client, admin, world, make):
    _cell(client, admin, world)
    _assign(client, admin, world)
    yes = _ask(client, admin, world["person"], world["activity"], world["types"]["a"])
    no = _ask(client, admin, make.staff().id, world["activity"], world["types"]["a"])
    assert yes["allowed"] is True and no["allowed"] is False
    for answer in (yes, no):
        assert answer["reasons"]
        for reason in answer["reasons"]:
            assert set(reason) == {"source", "code", "message", "ok"}
            assert reason["source"] and reason["code"] and reason["message"]
    assert all(r["ok"] for r in yes["reasons"])
    assert any(not r["ok"] for r in no["reasons"])


def test_unknown_staff_is_404(client, admin, world):
    assert client.get(f"{API}/staff/999999/can-perform?activity_id={world['activity']}", headers=admin).status_code == 404


@pytest.mark.parametrize("query, field", [
    ("activity_id=999999", "activity_id"),
    ("activity_id={activity}&device_type_id=999999", "device_type_id"),
    ("", "activity_id"),
    ("activity_id={activity}&on=31-12-2024", "on"),
])
def test_unknown_activity_or_device_type_is_422(client, admin, world, query, field):
    query = query.format(activity=world["activity"])
    response = client.get(f"{API}/staff/{world['person']}/can-perform?{query}", headers=admin)
    assert response.status_code == 422 and field in response.json["errors"]


def test_technician_asks_only_about_themself(client, admin, world, make):
    _cell(client, admin, world)
    _assign(client, admin, world)
    _, headers = make.user("technician", staff_id=world["person"])
    assert _ask(client, headers, world["person"], world["activity"], world["types"]["a"])["allowed"] is True
    other = make.staff().id
    _ask(client, headers, other, world["activity"], world["types"]["a"], status=404)


def test_manager_asks_only_within_their_tree(client, admin, world, make):
    home = make.department()
    below = make.department(parent_id=home.id)
    elsewhere = make.department()
    _, headers = make.user("manager", department_id=home.id)
    for dept, status in ((home, 200), (below, 200), (elsewhere, 404)):
        _ask(client, headers, make.staff(department_id=dept.id).id, world["activity"], world["types"]["a"], status=status)


@pytest.mark.parametrize("role", ["tvb_admin", "auditor"])
def test_readers_of_everything_may_ask_about_anyone(client, world, make, role):
    _, headers = make.user(role)
    _ask(client, headers, world["person"], world["activity"], world["types"]["a"])


# --- the inspector's question ------------------------------------------------------------

def _authorised(client, headers, device_type_id, activity_id, on=None, include_refused=False, status=200):
    query = f"activity_id={activity_id}" + (f"&on={on}" if on else "")
    if include_refused:
        query += "&include_refused=true"
    response = client.get(f"{API}/device-types/{device_type_id}/authorised-staff?{query}", headers=headers)
    assert response.status_code == status, response.json
    return response.json


def test_authorised_staff_lists_who_was_allowed_on_the_date_with_reasons(client, admin, world, make):
    _cell(client, admin, world)
    early = make.staff(name="Anna").id
    late = make.staff(name="Bram").id
    _assign(client, admin, world, "2024-01-01", "2024-06-30", staff_id=early)
    _assign(client, admin, world, "2024-06-01", staff_id=late)
    on_may = _authorised(client, admin, world["types"]["a"], world["activity"], "2024-05-15")
    assert [row["staff_id"] for row in on_may["staff"]] == [early]
    assert on_may["on"] == "2024-05-15" and on_may["device_type_id"] == world["types"]["a"]
    row = on_may["staff"][0]
    assert row["allowed"] is True and row["name"] == "Anna" and "authorised" in _codes(row)
    on_june = _authorised(client, admin, world["types"]["a"], world["activity"], "2024-06-15")
    assert {row["staff_id"] for row in on_june["staff"]} == {early, late}
    on_july = _authorised(client, admin, world["types"]["a"], world["activity"], "2024-07-01")
    assert [row["staff_id"] for row in on_july["staff"]] == [late]


def test_include_refused_lists_the_refused_with_why(client, admin, world, make):
    _cell(client, admin, world)
    allowed = make.staff(name="Anna").id
    inactive = make.staff(name="Bram", active=False).id
    _assign(client, admin, world, staff_id=allowed)
    _assign(client, admin, world, staff_id=inactive)
    only_t = _post(client, admin, "/tvb/roles", {"name": "Leerling"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": only_t, "activity_id": world["activity"], "letters": "T", "effective_from": LONG_AGO})
    learner = make.staff(name="Cees").id
    _assign(client, admin, world, staff_id=learner, role_id=only_t)
    make.staff(name="Dirk")  # holds no role for the activity: not a candidate at all

    plain = _authorised(client, admin, world["types"]["a"], world["activity"])
    assert [row["staff_id"] for row in plain["staff"]] == [allowed]
    full = _authorised(client, admin, world["types"]["a"], world["activity"], include_refused=True)
    assert [(row["staff_id"], row["allowed"]) for row in full["staff"]] == [
        (allowed, True), (inactive, False), (learner, False)]
    assert "staff_inactive" in _codes(full["staff"][1])
    assert "not_authorised" in _codes(full["staff"][2]) and "only T" in _core(full["staff"][2])["message"]


def test_authorised_staff_answers_each_person_as_can_perform_does_and_as_its_schema_dumps(app, client, admin,
                                                                                          world, make):
    """The list decides everyone at once and words a shared finding once: each row must still be
    exactly that person's can-perform answer (reasons, order, messages in either language), and
    the JSON written without marshmallow exactly what AuthorisedStaffSchema dumps."""
    from core.decision.schemas import AuthorisedStaffSchema
    _cell(client, admin, world)
    only_t = _post(client, admin, "/tvb/roles", {"name": "Leerling"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": only_t, "activity_id": world["activity"], "letters": "T",
                                        "effective_from": LONG_AGO})
    unrelated = _post(client, admin, "/tvb/roles", {"name": "Los"})["id"]  # no cell for the activity
    people = []
    for name, active, roles in [("Anna", True, [world["role"]]), ("Bram", True, [world["role"]]),
                                ("Cees", False, [world["role"]]), ("Dirk", True, [only_t]),
                                ("Eva", True, [only_t]), ("Fleur", True, [world["role"], only_t]),
                                ("Gijs", True, [unrelated, world["role"]])]:
        person = make.staff(name=name, active=active).id
        for role in roles:
            _assign(client, admin, world, staff_id=person, role_id=role)
        people.append(person)
    for language in ("en", "nl"):
        headers = {**admin, "Accept-Language": language}
        listed = _authorised(client, headers, world["types"]["a"], world["activity"], include_refused=True)
        assert sorted(row["staff_id"] for row in listed["staff"]) == sorted(people)
        for row in listed["staff"]:
            alone = _ask(client, headers, row["staff_id"], world["activity"], world["types"]["a"])
            assert {"allowed": row["allowed"], "reasons": row["reasons"]} == alone
        with app.test_request_context():
            dumped = AuthorisedStaffSchema().dump({**listed, "on": dt.date.fromisoformat(listed["on"])})
        assert dumped == listed
        assert set(listed) == {"device_type_id", "activity_id", "on", "staff"}
        assert all(set(row) == {"staff_id", "name", "employee_number", "allowed", "reasons"}
                   for row in listed["staff"])


def test_authorised_staff_outside_the_scope_is_empty(client, admin, world):
    _cell(client, admin, world, device_type_id=world["types"]["a"])
    _assign(client, admin, world)
    assert _authorised(client, admin, world["types"]["b"], world["activity"], include_refused=True)["staff"] == []


def test_authorised_staff_of_a_manager_is_their_tree_only(client, admin, world, make):
    home, elsewhere = make.department(), make.department()
    _, headers = make.user("manager", department_id=home.id)
    _cell(client, admin, world)
    mine = make.staff(department_id=home.id).id
    _assign(client, admin, world, staff_id=mine)
    _assign(client, admin, world, staff_id=make.staff(department_id=elsewhere.id).id)
    assert [row["staff_id"] for row in _authorised(client, headers, world["types"]["a"], world["activity"])["staff"]] == [mine]


def test_authorised_staff_errors(client, admin, world):
    _authorised(client, admin, 999999, world["activity"], status=404)
    body = _authorised(client, admin, world["types"]["a"], 999999, status=422)
    assert "activity_id" in body["errors"]


# --- round trips (the large-hospital benchmarks, benchmarks/RESULTS.md) --------------------------------------------------

def test_an_inactive_person_without_a_role_hears_both_reasons(client, admin, world, make):
    _cell(client, admin, world)
    gone = make.staff(active=False).id  # holds no role at all
    answer = _ask(client, admin, gone, world["activity"], world["types"]["a"])
    assert answer["allowed"] is False
    assert sorted(_codes(answer, "core")) == ["not_authorised", "staff_inactive"]


def test_a_decision_is_a_fixed_number_of_round_trips_whatever_the_number_of_people(app, client, admin, world, make):
    """The core's two person conditions are one statement and the device type's phase on
    the day (dated lifecycle history) one more; Leidraad's release check one (screenings
    and releases, for a re-screening awaiting re-release) and its competence check two
    (class + override + policy, then records + safety notices)."""
    from sqlalchemy import event

    from core.decision.services import decide_many
    from core.devices.models import DeviceType
    from core.extensions import db
    from core.tvb.models import Activity
    activity = _post(client, admin, "/tvb/activities", {
        "name": "Bedienen", "lifecycle_phase": 6,
        "requirements": {"leidraad": {"competence_role": "user"}}})["id"]
    people = [make.staff().id for _ in range(12)]
    with app.app_context():
        activity, kind = db.session.get(Activity, activity), db.session.get(DeviceType, world["types"]["a"])
        seen = []

        def count(*args):
            seen.append(args[2])
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            decide_many(people[:1], activity, kind, dt.date.today())
            one = len(seen)
            decide_many(people, activity, kind, dt.date.today())
            many = len(seen) - one
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert one == many == 5, seen
