"""Safety invariants of the core decision: it fails closed and never rewrites the past.

The decision tells a hospital who may touch a ventilator. When a rule cannot
be checked the answer is no, naming what could not be checked; a change made
today leaves every answer for an earlier date as it was; facts recorded late
govern from their own dates. Each case goes through the API, with its first
day, its last day and the day after.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core import create_app

API = "/api/v1"
LONG_AGO = "2000-01-01"
TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


def _post(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _ask(client, headers, staff_id, activity_id, on, device_type_id=None, status=200):
    query = f"activity_id={activity_id}&on={on}"
    if device_type_id is not None:
        query += f"&device_type_id={device_type_id}"
    response = client.get(f"{API}/staff/{staff_id}/can-perform?{query}", headers=headers)
    assert response.status_code == status, response.json
    return response.json


def _codes(answer):
    return {r["code"] for r in answer["reasons"] if not r["ok"]}


@pytest.fixture
def world(client, admin, make):
    """A person holding, since 2000, a role with B for an activity without plugin requirements."""
    role = _post(client, admin, "/tvb/roles", {"name": "MT4 anesthesie"})["id"]
    activity = _post(client, admin, "/tvb/activities", {"name": "Preventief onderhoud",
                                                         "effective_from": LONG_AGO})["id"]
    cell = _post(client, admin, "/tvb/cells", {"role_id": role, "activity_id": activity, "letters": "TVB",
                                               "effective_from": LONG_AGO})["id"]
    person = make.staff(start_date=dt.date(2010, 3, 1)).id
    _post(client, admin, "/tvb/assignments", {"staff_id": person, "role_id": role, "valid_from": LONG_AGO})
    return {"role": role, "activity": activity, "cell": cell, "person": person}


# --- a change made today never alters the answer for an earlier date --------------

def test_taking_b_away_today_leaves_yesterday_allowed(client, admin, world):
    assert _ask(client, admin, world["person"], world["activity"], YESTERDAY)["allowed"]
    response = client.patch(f"{API}/tvb/cells/{world['cell']}", headers=admin, json={"letters": "T"})
    assert response.status_code == 200, response.json
    assert _ask(client, admin, world["person"], world["activity"], YESTERDAY)["allowed"]
    today = _ask(client, admin, world["person"], world["activity"], TODAY)
    assert not today["allowed"] and "not_authorised" in _codes(today)


def test_deleting_a_cell_today_leaves_the_past_allowed(client, admin, world):
    assert client.delete(f"{API}/tvb/cells/{world['cell']}", headers=admin).status_code == 204
    assert _ask(client, admin, world["person"], world["activity"], YESTERDAY)["allowed"]
    assert not _ask(client, admin, world["person"], world["activity"], TODAY)["allowed"]


def test_granting_b_today_does_not_allow_yesterday(client, admin, world, make):
    other = _post(client, admin, "/tvb/roles", {"name": "Key user IC"})["id"]
    person = make.staff().id
    _post(client, admin, "/tvb/assignments", {"staff_id": person, "role_id": other, "valid_from": LONG_AGO})
    _post(client, admin, "/tvb/cells", {"role_id": other, "activity_id": world["activity"], "letters": "B"})
    assert _ask(client, admin, person, world["activity"], TODAY)["allowed"]
    assert not _ask(client, admin, person, world["activity"], YESTERDAY)["allowed"]


def test_a_stricter_requirement_today_leaves_yesterday_as_it_was(client, admin, world):
    response = client.patch(f"{API}/tvb/activities/{world['activity']}", headers=admin,
                            json={"requirements": {"vzi_mt": {"min_level": "MT4"}}})
    assert response.status_code == 200, response.json
    assert _ask(client, admin, world["person"], world["activity"], YESTERDAY)["allowed"]
    today = _ask(client, admin, world["person"], world["activity"], TODAY)
    assert not today["allowed"] and "vzi_not_certified" in _codes(today)


def test_a_change_recorded_late_takes_effect_from_its_own_day(client, admin, world):
    since = TODAY - dt.timedelta(days=10)
    response = client.patch(f"{API}/tvb/cells/{world['cell']}", headers=admin,
                            json={"letters": "TV", "effective_from": since.isoformat()})
    assert response.status_code == 200, response.json
    assert _ask(client, admin, world["person"], world["activity"], since - dt.timedelta(days=1))["allowed"]
    assert not _ask(client, admin, world["person"], world["activity"], since)["allowed"]


@pytest.mark.parametrize("offset, accepted", [(1, False), (0, True)])
def test_effective_from_cannot_be_in_the_future(client, admin, world, offset, accepted):
    day = (TODAY + dt.timedelta(days=offset)).isoformat()
    response = client.patch(f"{API}/tvb/cells/{world['cell']}", headers=admin,
                            json={"letters": "TV", "effective_from": day})
    assert response.status_code == (200 if accepted else 422), response.json
    if not accepted:
        assert "effective_from" in response.json["errors"]


def test_effective_from_cannot_rewrite_an_earlier_change(client, admin, world):
    since = TODAY - dt.timedelta(days=10)
    client.patch(f"{API}/tvb/cells/{world['cell']}", headers=admin,
                 json={"letters": "TV", "effective_from": since.isoformat()})
    before = (since - dt.timedelta(days=1)).isoformat()
    response = client.patch(f"{API}/tvb/cells/{world['cell']}", headers=admin,
                            json={"letters": "B", "effective_from": before})
    assert response.status_code == 422 and "effective_from" in response.json["errors"]
    same_day = client.patch(f"{API}/tvb/cells/{world['cell']}", headers=admin,
                            json={"letters": "B", "effective_from": since.isoformat()})
    assert same_day.status_code == 200, same_day.json
    assert _ask(client, admin, world["person"], world["activity"], since)["allowed"]


def test_an_activity_asked_about_before_it_existed_is_refused(client, admin, world):
    new = _post(client, admin, "/tvb/activities", {"name": "Reparatie"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": world["role"], "activity_id": new, "letters": "B"})
    assert _ask(client, admin, world["person"], new, TODAY)["allowed"]
    before = _ask(client, admin, world["person"], new, YESTERDAY)
    assert not before["allowed"] and "activity_not_defined" in _codes(before)


# --- facts recorded late govern from their own dates ------------------------------

@pytest.mark.parametrize("on, allowed", [("2026-04-30", True), ("2026-05-01", False), ("2026-05-02", False)])
def test_a_leaving_date_entered_today_governs_from_its_day(client, admin, world, on, allowed):
    response = client.put(f"{API}/staff/{world['person']}/departure", headers=admin, json={"left_on": "2026-05-01"})
    assert response.status_code == 200, response.json
    answer = _ask(client, admin, world["person"], world["activity"], on)
    assert answer["allowed"] is allowed
    if not allowed:
        assert "staff_left" in _codes(answer)


@pytest.mark.parametrize("on, allowed", [("2010-02-28", False), ("2010-03-01", True)])
def test_nobody_is_allowed_before_their_start_date(client, admin, world, on, allowed):
    answer = _ask(client, admin, world["person"], world["activity"], on)
    assert answer["allowed"] is allowed
    if not allowed:
        assert "not_yet_employed" in _codes(answer)


def test_a_leaving_date_before_the_start_date_is_refused(client, admin, world):
    response = client.put(f"{API}/staff/{world['person']}/departure", headers=admin, json={"left_on": "2010-03-01"})
    assert response.status_code == 422 and "left_on" in response.json["errors"]
    client.put(f"{API}/staff/{world['person']}/departure", headers=admin, json={"left_on": "2020-01-01"})
    response = client.patch(f"{API}/staff/{world['person']}", headers=admin, json={"start_date": "2020-01-01"})
    assert response.status_code == 422 and "start_date" in response.json["errors"]


# --- a requirement no enabled plugin checks refuses --------------------------------

@pytest.mark.parametrize("plugin, requirement", [
    ("vzi_mt", {"min_level": "MT3"}),
    ("leidraad", {"competence_role": "user"}),
    ("big_kt", {"reserved_procedure": "injection", "protocol": "Protocol injecties IC"}),
])
def test_disabling_a_plugin_never_widens_who_is_allowed(app, client, admin, world, database_url, plugin,
                                                        requirement):
    if plugin == "big_kt":
        requirement = {**requirement, "subdomain_id": _post(client, admin, "/big/subdomains",
                                                            {"name": "Beeldvorming"})["id"]}
    response = client.patch(f"{API}/tvb/activities/{world['activity']}", headers=admin,
                            json={"requirements": {plugin: requirement}, "effective_from": TODAY.isoformat()})
    assert response.status_code == 200, response.json
    without = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SECRET_KEY": "test-secret",
                          "BEKWAAM_DISABLED_PLUGINS": [plugin]})
    try:
        answer = _ask(without.test_client(), admin, world["person"], world["activity"], TODAY)
        # The day before the requirement existed is decided as it stood, plugin or not.
        before = _ask(without.test_client(), admin, world["person"], world["activity"], YESTERDAY)
    finally:
        with without.app_context():  # its pooled connections must not outlive the test
            from core.extensions import db
            db.engine.dispose()
    assert answer["allowed"] is False
    unchecked = [r for r in answer["reasons"] if r["code"] == "requirement_unchecked"]
    assert unchecked and plugin in unchecked[0]["message"] and unchecked[0]["source"] == "core"
    assert before["allowed"]


# --- bounds -----------------------------------------------------------------------

@pytest.mark.parametrize("on", ["0002-01-01", "9999-12-31", "1949-12-31", "2101-01-01"])
def test_a_date_out_of_range_is_a_422_naming_the_field(client, admin, world, on):
    response = client.get(f"{API}/staff/{world['person']}/can-perform?activity_id={world['activity']}&on={on}",
                          headers=admin)
    assert response.status_code == 422, response.json
    assert "on" in str(response.json["errors"])


@pytest.mark.parametrize("day, status", [("1950-01-01", 201), ("2100-12-31", 201), ("9999-01-01", 422)])
def test_assignment_dates_have_bounds(client, admin, world, day, status):
    response = client.post(f"{API}/tvb/assignments", headers=admin,
                           json={"staff_id": world["person"], "role_id": world["role"], "valid_from": day})
    assert response.status_code == status, response.json


# --- the dated history itself (boundaries found by the mutation run) ------------------

def _versions(app, cell_id):
    from sqlalchemy import select

    from core.extensions import db
    from core.tvb.models import CellVersion
    with app.app_context():
        return [(v.letters, v.valid_from, v.valid_until) for v in db.session.scalars(
            select(CellVersion).where(CellVersion.cell_id == cell_id).order_by(CellVersion.valid_from))]


def test_two_changes_on_one_day_leave_one_version_for_that_day(app, client, admin, world):
    other = _post(client, admin, "/tvb/cells", {"role_id": world["role"], "activity_id": _post(
        client, admin, "/tvb/activities", {"name": "Reparatie"})["id"], "letters": "B"})["id"]
    before_other = _versions(app, other)
    for letters in ("T", "TB"):
        assert client.patch(f"{API}/tvb/cells/{world['cell']}", headers=admin,
                            json={"letters": letters}).status_code == 200
    assert _versions(app, world["cell"]) == [("TVB", dt.date(2000, 1, 1), TODAY), ("TB", TODAY, None)]
    assert _versions(app, other) == before_other  # another cell's history is not touched
    assert _ask(client, admin, world["person"], world["activity"], TODAY)["allowed"]


def test_backfill_versions_rows_written_around_the_orm_once(app, world):
    from sqlalchemy import func, insert, select

    from core.extensions import db
    from core.tvb import history
    from core.tvb.models import Activity, ActivityVersion, Cell, CellVersion
    with app.app_context():
        activity_id = db.session.execute(insert(Activity).values(name="Bulk", level="operational",
                                                                 requirements={})).inserted_primary_key[0]
        cell_id = db.session.execute(insert(Cell).values(role_id=world["role"], activity_id=activity_id,
                                                         letters="B")).inserted_primary_key[0]
        for _ in range(2):  # a second run adds nothing
            history.backfill(db.session, dt.date(2010, 1, 1))
        assert db.session.scalar(select(func.count()).where(CellVersion.cell_id == cell_id)) == 1
        assert db.session.scalar(select(func.count()).where(ActivityVersion.activity_id == activity_id)) == 1
        assert db.session.scalar(select(func.count()).where(CellVersion.cell_id == world["cell"])) == 1
        db.session.commit()


def test_the_inspectors_list_only_holds_roles_whose_scope_covers_the_type(client, admin, world, make):
    groups = [g["id"] for g in client.get(f"{API}/technology-groups", headers=admin).json[:2]]
    kind = _post(client, admin, "/device-types", {"manufacturer": "Dräger", "model": "Scoped", "name": "Scoped",
                                                  "technology_group_id": groups[0], "lifecycle_phase": 6,
                                                  "released_on": "2001-01-01"})["id"]
    elsewhere = _post(client, admin, "/tvb/roles", {"name": "Alleen groep 2"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": elsewhere, "activity_id": world["activity"], "letters": "B",
                                        "technology_group_id": groups[1], "effective_from": LONG_AGO})
    person = make.staff().id
    _post(client, admin, "/tvb/assignments", {"staff_id": person, "role_id": elsewhere, "valid_from": LONG_AGO})
    listed = client.get(f"{API}/device-types/{kind}/authorised-staff?activity_id={world['activity']}"
                        f"&on={TODAY.isoformat()}&include_refused=true", headers=admin).json["staff"]
    assert {row["staff_id"] for row in listed} == {world["person"]}


# --- who is listed, and what the reasons name ------------------------------------------

def test_candidates_hold_b_unless_asked_for_everyone_and_without_a_type_only_unscoped_cells(app, client, admin,
                                                                                           world, make):
    """The inspector's list is built from ``candidates``: by default B holders only; a
    question without a device type is covered only by cells without a scope."""
    from core.decision.services import candidates
    from core.extensions import db
    from core.tvb.models import Activity
    group = client.get(f"{API}/technology-groups", headers=admin).json[0]["id"]
    watcher = _post(client, admin, "/tvb/roles", {"name": "Alleen T"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": watcher, "activity_id": world["activity"], "letters": "T",
                                        "effective_from": LONG_AGO})
    scoped = _post(client, admin, "/tvb/roles", {"name": "Alleen groep"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": scoped, "activity_id": world["activity"], "letters": "B",
                                        "technology_group_id": group, "effective_from": LONG_AGO})
    t_only, in_group = make.staff().id, make.staff().id
    _post(client, admin, "/tvb/assignments", {"staff_id": t_only, "role_id": watcher, "valid_from": LONG_AGO})
    _post(client, admin, "/tvb/assignments", {"staff_id": in_group, "role_id": scoped, "valid_from": LONG_AGO})
    with app.app_context():
        activity = db.session.get(Activity, world["activity"])
        assert candidates(activity, None, TODAY) == [world["person"]]
        assert candidates(activity, None, TODAY, b_only=False) == sorted([world["person"], t_only])
    # Asked without a device type, the group-scoped B does not cover the question.
    answer = _ask(client, admin, in_group, world["activity"], TODAY)
    assert not answer["allowed"] and "not_authorised" in _codes(answer)


def test_the_authorised_reason_names_the_technology_group_of_the_cell(client, admin, world, make):
    group = client.get(f"{API}/technology-groups", headers=admin).json[0]
    kind = _post(client, admin, "/device-types", {"manufacturer": "Dräger", "model": "Named", "name": "Named",
                                                  "technology_group_id": group["id"], "lifecycle_phase": 6,
                                                  "released_on": "2001-01-01"})["id"]
    scoped = _post(client, admin, "/tvb/roles", {"name": "Groepsrol"})["id"]
    _post(client, admin, "/tvb/cells", {"role_id": scoped, "activity_id": world["activity"], "letters": "B",
                                        "technology_group_id": group["id"], "effective_from": LONG_AGO})
    person = make.staff().id
    _post(client, admin, "/tvb/assignments", {"staff_id": person, "role_id": scoped, "valid_from": LONG_AGO})
    answer = _ask(client, admin, person, world["activity"], TODAY, device_type_id=kind)
    assert answer["allowed"]
    granted = next(r["message"] for r in answer["reasons"] if r["code"] == "authorised")
    assert f"role 'Groepsrol' has B for 'Preventief onderhoud' (technology group {group['code']})" in granted


# --- a device type without a recorded phase is not in use ------------------------------------

def _type_written_around_the_orm(app, group_id, phase, released_on):
    from sqlalchemy import insert

    from core.devices.models import DeviceType
    from core.extensions import db
    with app.app_context():
        type_id = db.session.execute(insert(DeviceType).values(
            manufacturer="Bulk", model=f"B-{phase}-{released_on}", name="Bulk", technology_group_id=group_id,
            lifecycle_phase=phase, released_on=released_on)).inserted_primary_key[0]
        db.session.commit()
    return type_id


def test_a_type_without_any_phase_history_is_refused_until_its_history_is_backfilled(app, client, admin, world):
    from sqlalchemy import select

    from core.devices.models import DeviceTypePhase
    from core.devices.services import backfill_phases
    from core.extensions import db
    group = client.get(f"{API}/technology-groups", headers=admin).json[0]["id"]
    in_use = _type_written_around_the_orm(app, group, 6, dt.date(2015, 6, 1))
    planned = _type_written_around_the_orm(app, group, 3, None)
    # Its current phase says 6, but nothing records when it entered use: no.
    answer = _ask(client, admin, world["person"], world["activity"], TODAY, device_type_id=in_use)
    refusal = next(r for r in answer["reasons"] if r["code"] == "not_in_use")
    assert not answer["allowed"] and "no phase recorded on or before that day" in refusal["message"]
    with app.app_context():
        for _ in range(2):  # a second run adds nothing
            backfill_phases(db.session, dt.date(2010, 1, 1))
        db.session.commit()
        rows = db.session.execute(select(DeviceTypePhase.device_type_id, DeviceTypePhase.phase,
                                         DeviceTypePhase.valid_from)
                                  .where(DeviceTypePhase.device_type_id.in_([in_use, planned]))
                                  .order_by(DeviceTypePhase.device_type_id)).all()
    assert [tuple(r) for r in rows] == [(in_use, 6, dt.date(2015, 6, 1)), (planned, 3, dt.date(2010, 1, 1))]
    # In use from its release date on, not the day before; the planned type names its phase.
    assert _ask(client, admin, world["person"], world["activity"], "2015-06-01", device_type_id=in_use)["allowed"]
    assert not _ask(client, admin, world["person"], world["activity"], "2015-05-31", device_type_id=in_use)["allowed"]
    answer = _ask(client, admin, world["person"], world["activity"], TODAY, device_type_id=planned)
    refusal = next(r for r in answer["reasons"] if r["code"] == "not_in_use")
    assert refusal["message"].endswith("phase 3.")
