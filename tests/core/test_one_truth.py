"""Property-based: random hospitals, random dates, one truth, and a past that stays put.

Hypothesis generates small hospitals (people, roles, TVB cells in every scope,
assignments with dates, screened device types, competences of every method and
role) and checks through the API that

* the inspector's list (``authorised-staff``) holds exactly the people
  ``can-perform`` allows, on every date asked;
* the competence matrix shows a person competent for a device type today
  exactly when the decision's Leidraad reason says ``competent``;
* a change made today (a cell, an activity's requirements, an assignment ended,
  a competence, a re-screening, a leaving date) leaves every answer for an
  earlier date unchanged.

Competences here are all ``training_and_assessment`` in the matrix check: the
matrix shows validity by date, the decision also weighs the method against
the class (a documented difference, see docs/reason-codes.md).
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import empty_database

API = "/api/v1"
TODAY = dt.date.today()
# Three years back: competences of 12 to 36 months are then often valid on the days asked.
START = TODAY - dt.timedelta(days=3 * 365)
LEVELS = ("low", "medium", "high")
METHODS = ("instruction", "training", "training_and_assessment")


def _post(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, (path, body, response.json)
    return response.json


def _day(offset: int) -> dt.date:
    return min(START + dt.timedelta(days=offset), TODAY)


DAYS = st.integers(0, (TODAY - START).days)

person = st.fixed_dictionaries({
    "assignments": st.lists(st.tuples(st.integers(0, 1), DAYS, st.one_of(st.none(), st.integers(0, 2000))),
                            max_size=2),
    "competences": st.lists(st.tuples(st.integers(0, 1), DAYS, st.sampled_from(METHODS),
                                      st.sampled_from(("user", "technician"))), max_size=3),
})
hospital = st.fixed_dictionaries({
    "people": st.lists(person, min_size=1, max_size=4),
    # per role: letters (or no cell) and scope 0 = everything, 1 = the first type's group, 2 = the first type
    "cells": st.lists(st.tuples(st.sampled_from(("B", "TB", "TV", "T")), st.integers(0, 2)), min_size=1, max_size=1),
    "screenings": st.lists(st.tuples(st.sampled_from(LEVELS), st.sampled_from(LEVELS), st.sampled_from(LEVELS)),
                           min_size=2, max_size=2),
    "dates": st.lists(DAYS, min_size=1, max_size=3),
})
change = st.sampled_from(("cell", "requirements", "end_assignment", "competence", "rescreening", "departure"))


def _build(client, admin, make, data) -> dict:
    groups = [g["id"] for g in client.get(f"{API}/technology-groups", headers=admin).json[:2]]
    types = []
    for index, (context, novelty, impact) in enumerate(data["screenings"]):
        kind = _post(client, admin, "/device-types", {
            "manufacturer": "Dräger", "model": f"M{index}", "name": f"Type {index}",
            "technology_group_id": groups[index], "mdr_class": "IIa",
            "lifecycle_phase": 6, "released_on": START.isoformat()})["id"]
        _post(client, admin, f"/leidraad/device-types/{kind}/screenings", {
            "screened_on": (START - dt.timedelta(days=30)).isoformat(),
            "usage_context": context, "novelty": novelty, "impact": impact})
        types.append(kind)
    activity = _post(client, admin, "/tvb/activities", {
        "name": "Bedienen", "lifecycle_phase": 6, "effective_from": START.isoformat(),
        "requirements": {"leidraad": {"competence_role": "user"}}})["id"]
    roles, cells = [], []
    # Role 0 has B everywhere and person 0 holds it with a fresh competence: every
    # hospital has someone allowed today, so no property holds merely because
    # everybody is refused.
    for index, (letters, scope) in enumerate([("B", 0), *data["cells"]]):
        role = _post(client, admin, "/tvb/roles", {"name": f"Rol {index}"})["id"]
        where = [{}, {"technology_group_id": groups[0]}, {"device_type_id": types[0]}][scope]
        cells.append(_post(client, admin, "/tvb/cells", {"role_id": role, "activity_id": activity,
                                                         "letters": letters, "effective_from": START.isoformat(),
                                                         **where})["id"])
        roles.append(role)
    people, assignments = [], []
    first = {"assignments": [(0, 0, None)],
             "competences": [(0, (TODAY - START).days - 200, "training_and_assessment", "user")]}
    for spec in [first, *data["people"]]:
        staff_id = make.staff().id
        people.append(staff_id)
        held = set()
        for role_index, start, length in spec["assignments"]:
            valid_to = None if length is None else _day((_day(start) - START).days + length).isoformat()
            # The same role from the same day twice is a duplicate (a 409).
            once = (roles[role_index], _day(start))
            if once in held:
                continue
            held.add(once)
            assignments.append(_post(client, admin, "/tvb/assignments", {
                "staff_id": staff_id, "role_id": roles[role_index], "valid_from": _day(start).isoformat(),
                "valid_to": valid_to})["id"])
        for type_index, obtained, method, role in spec["competences"]:
            _post(client, admin, "/competences", {
                "staff_id": staff_id, "device_type_id": types[type_index], "role": role,
                "obtained_on": _day(obtained).isoformat(), "method": method, "assessor_id": None})
    return {"types": types, "activity": activity, "cells": cells, "people": people, "assignments": assignments,
            "roles": roles}


def _answers(client, admin, world, dates) -> dict:
    found = {}
    for day in dates:
        for kind in world["types"]:
            for staff_id in world["people"]:
                response = client.get(f"{API}/staff/{staff_id}/can-perform?activity_id={world['activity']}"
                                      f"&device_type_id={kind}&on={day.isoformat()}", headers=admin)
                assert response.status_code == 200, response.json
                found[(day, kind, staff_id)] = response.json
    return found


def _apply(client, admin, make, world, what: str) -> None:
    today = TODAY.isoformat()
    if what == "cell":
        response = client.patch(f"{API}/tvb/cells/{world['cells'][0]}", headers=admin, json={"letters": "T"})
    elif what == "requirements":
        response = client.patch(f"{API}/tvb/activities/{world['activity']}", headers=admin, json={
            "requirements": {"leidraad": {"competence_role": "technician"}, "vzi_mt": {"min_level": "MT4"}}})
    elif what == "end_assignment":
        if not world["assignments"]:
            return
        response = client.patch(f"{API}/tvb/assignments/{world['assignments'][0]}", headers=admin,
                                json={"valid_to": (TODAY - dt.timedelta(days=1)).isoformat()})
        if response.status_code == 422:  # it started today or later: nothing in the past to keep
            return
    elif what == "competence":
        response = client.post(f"{API}/competences", headers=admin, json={
            "staff_id": world["people"][0], "device_type_id": world["types"][0], "role": "user",
            "obtained_on": today, "method": "training_and_assessment"})
    elif what == "rescreening":
        response = client.post(f"{API}/leidraad/device-types/{world['types'][0]}/screenings", headers=admin, json={
            "screened_on": today, "usage_context": "high", "novelty": "high", "impact": "high"})
    else:
        response = client.put(f"{API}/staff/{world['people'][0]}/departure", headers=admin, json={"left_on": today})
    assert response.status_code in (200, 201), (what, response.json)


SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


@SETTINGS
@given(data=hospital)
def test_the_inspectors_list_is_the_decision(app, client, admin, make, data):
    empty_database(app)
    admin = make.user("admin")[1]
    world = _build(client, admin, make, data)
    dates = sorted({_day(offset) for offset in data["dates"]} | {TODAY})
    answers = _answers(client, admin, world, dates)
    for day in dates:
        for kind in world["types"]:
            response = client.get(f"{API}/device-types/{kind}/authorised-staff?activity_id={world['activity']}"
                                  f"&on={day.isoformat()}", headers=admin)
            assert response.status_code == 200, response.json
            listed = {row["staff_id"] for row in response.json["staff"] if row["allowed"]}
            decided = {sid for sid in world["people"] if answers[(day, kind, sid)]["allowed"]}
            assert listed == decided, (day, kind)
    assert answers[(TODAY, world["types"][0], world["people"][0])]["allowed"], "the hospital's anchor is refused"


@SETTINGS
@given(data=hospital)
def test_the_matrix_today_is_the_decisions_competence(app, client, admin, make, data):
    empty_database(app)
    admin = make.user("admin")[1]
    for spec in data["people"]:
        spec["competences"] = [(t, o, "training_and_assessment", r) for t, o, _m, r in spec["competences"]]
    world = _build(client, admin, make, data)
    answers = _answers(client, admin, world, [TODAY])
    response = client.get(f"{API}/competence-matrix?role=user&on={TODAY.isoformat()}", headers=admin)
    assert response.status_code == 200, response.json
    body = response.json
    columns = [t["id"] for t in body["device_types"]]
    matrix = {(row["staff_id"], kind): cell["state"]
              for row in body["rows"] for kind, cell in zip(columns, row["cells"], strict=True)}
    for kind in world["types"]:
        for staff_id in world["people"]:
            competent = any(r["code"] == "competent" for r in answers[(TODAY, kind, staff_id)]["reasons"])
            state = matrix.get((staff_id, kind), "missing")
            assert competent == (state in ("competent", "expiring")), (staff_id, kind, state)


@SETTINGS
@given(data=hospital, what=change)
def test_a_change_made_today_leaves_every_earlier_answer(app, client, admin, make, data, what):
    empty_database(app)
    admin = make.user("admin")[1]
    world = _build(client, admin, make, data)
    yesterday = TODAY - dt.timedelta(days=1)
    past = sorted(({_day(offset) for offset in data["dates"]} - {TODAY}) | {yesterday})
    before = _answers(client, admin, world, past)
    assert before[(yesterday, world["types"][0], world["people"][0])]["allowed"], "the anchor was refused"
    _apply(client, admin, make, world, what)
    after = _answers(client, admin, world, past)
    changed = {key: (before[key]["allowed"], after[key]["allowed"]) for key in before if before[key] != after[key]}
    assert not changed, (what, changed)


# Reporting a falsifying example imports a module that warns about its own deprecation.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
