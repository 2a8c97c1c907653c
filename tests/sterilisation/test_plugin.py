"""The sterilisation plugin's contributions, through the API and the pages.

Its can_perform condition: registered on the day decided (boundaries on both
ends), not registered, and an unreadable register (fail closed). Its panels and
navigation entry reach the core's pages; its page needs a login and shows only
the people the viewer may see.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core.extensions import db
from tests.sterilisation import register
from tests.web.conftest import login_as

FROM, UNTIL = dt.date(2026, 3, 1), dt.date(2026, 8, 31)


def _register(app, staff_id, number="ST-0042", valid_from=FROM, valid_to=UNTIL):
    with app.app_context():
        register.register(db.session, staff_id, number, valid_from, valid_to)
        db.session.commit()


@pytest.fixture
def setup(sapp, smake):
    """A person holding a role with B for "Steriliseren" (which requires the registration) since 2020."""
    client = sapp.test_client()
    _, admin = smake.user("admin")
    person = smake.staff(name="Sanne Steriel")
    role = client.post("/api/v1/tvb/roles", headers=admin, json={"name": "CSA-medewerker"}).json
    activity = client.post("/api/v1/tvb/activities", headers=admin,
                           json={"name": "Steriliseren", "requirements": {"sterilisation": {"registered": True}},
                                 "effective_from": "2020-01-01"})
    assert activity.status_code == 201, activity.json
    cell = client.post("/api/v1/tvb/cells", headers=admin,
                       json={"role_id": role["id"], "activity_id": activity.json["id"], "letters": "B",
                             "effective_from": "2020-01-01"})
    assert cell.status_code == 201, cell.json
    assignment = client.post("/api/v1/tvb/assignments", headers=admin,
                             json={"staff_id": person.id, "role_id": role["id"], "valid_from": "2020-01-01"})
    assert assignment.status_code == 201, assignment.json
    return {"client": client, "admin": admin, "person": person, "activity": activity.json["id"]}


def _decide(setup, on: dt.date):
    response = setup["client"].get(f"/api/v1/staff/{setup['person'].id}/can-perform", headers=setup["admin"],
                                   query_string={"activity_id": setup["activity"], "on": on.isoformat()})
    assert response.status_code == 200, response.json
    mine = [r for r in response.json["reasons"] if r["source"] == "sterilisation"]
    return response.json["allowed"], mine


def test_the_requirement_is_validated_by_the_plugins_schema(setup):
    bad = setup["client"].post("/api/v1/tvb/activities", headers=setup["admin"],
                               json={"name": "Fout", "requirements": {"sterilisation": {"registered": "soms"}}})
    assert bad.status_code == 422 and "registered" in str(bad.json["errors"]["requirements"])


@pytest.mark.parametrize("on, allowed", [
    (FROM - dt.timedelta(days=1), False),  # the day before the registration
    (FROM, True),                          # its first day
    (UNTIL, True),                         # its last day (inclusive)
    (UNTIL + dt.timedelta(days=1), False),  # the day after
])
def test_condition_holds_only_while_registered(sapp, setup, on, allowed):
    _register(sapp, setup["person"].id)
    decision, mine = _decide(setup, on)
    assert decision is allowed
    assert [r["code"] for r in mine] == ["sterilisation_registered" if allowed else "sterilisation_not_registered"]
    assert all(r["ok"] is allowed for r in mine)


def test_without_a_registration_the_answer_is_no_with_the_reason(setup):
    decision, mine = _decide(setup, dt.date(2026, 5, 1))
    assert decision is False
    assert mine == [{"source": "sterilisation", "code": "sterilisation_not_registered", "ok": False,
                     "message": "Niet geregistreerd als sterilisatieassistent op 01-05-2026."}]


def test_an_unreadable_register_fails_closed(sapp, setup, monkeypatch):
    _register(sapp, setup["person"].id)
    assert _decide(setup, dt.date(2026, 5, 1))[0] is True
    monkeypatch.setattr(register, "TABLE", "sterilisation_register_that_is_gone")
    decision, mine = _decide(setup, dt.date(2026, 5, 1))
    assert decision is False
    assert [r["code"] for r in mine] == ["sterilisation_register_unreadable"]


def test_other_activities_are_not_its_business(sapp, smake, setup):
    other = setup["client"].post("/api/v1/tvb/activities", headers=setup["admin"], json={"name": "Reparatie"}).json
    response = setup["client"].get(f"/api/v1/staff/{setup['person'].id}/can-perform", headers=setup["admin"],
                                   query_string={"activity_id": other["id"]})
    assert [r for r in response.json["reasons"] if r["source"] == "sterilisation"] == []


def _web(sapp, smake, role="admin", **kw):
    user_id, _ = smake.user(role, **kw)
    client = sapp.test_client()
    login_as(client, user_id)
    return client


def test_profile_panel_and_navigation_entry(sapp, smake, setup):
    today = dt.date.today()
    _register(sapp, setup["person"].id, valid_from=today - dt.timedelta(days=10), valid_to=None)
    page = _web(sapp, smake).get(f"/staff/{setup['person'].id}").get_data(as_text=True)
    assert 'id="sterilisatie"' in page and "Sterilisatieassistent" in page
    assert "Geregistreerd</span> op " + today.strftime("%d-%m-%Y") + ", nummer ST-0042" in page
    assert 'href="/sterilisatie/"' in page  # the navigation entry
    other = smake.staff(name="Niet Geregistreerd")
    assert "Niet geregistreerd</span>" in _web(sapp, smake).get(f"/staff/{other.id}").get_data(as_text=True)


def test_device_type_panel_counts_registered_competent_people(sapp, smake, setup):
    from core.competence.models import Competence
    today = dt.date.today()
    device_type = smake.device_type(model="Autoclaaf 3000")
    unregistered = smake.staff()
    with sapp.app_context():
        for sid in (setup["person"].id, unregistered.id):
            db.session.add(Competence(staff_id=sid, device_type_id=device_type.id, role="user",
                                      obtained_on=today - dt.timedelta(days=30), method="training"))
        db.session.commit()
    _register(sapp, setup["person"].id, valid_from=today - dt.timedelta(days=1), valid_to=None)
    page = _web(sapp, smake).get(f"/device-types/{device_type.id}").get_data(as_text=True)
    assert "1 van 2 medewerkers met een bekwaamheid voor dit type zijn geregistreerd" in page


def test_register_page_needs_a_login_and_shows_only_whom_the_viewer_may_see(sapp, smake):
    today = dt.date.today()
    mine, theirs = smake.department(), smake.department()
    anna = smake.staff(name="Anna Eigen", department_id=mine.id)
    bram = smake.staff(name="Bram Ander", department_id=theirs.id)
    for person in (anna, bram):
        _register(sapp, person.id, number=f"ST-{person.id}", valid_from=today, valid_to=None)
    anonymous = sapp.test_client().get("/sterilisatie/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    manager_page = _web(sapp, smake, "manager", department_id=mine.id).get("/sterilisatie/").get_data(as_text=True)
    assert "Anna Eigen" in manager_page and "Bram Ander" not in manager_page
    admin_page = _web(sapp, smake).get("/sterilisatie/").get_data(as_text=True)
    assert "Anna Eigen" in admin_page and "Bram Ander" in admin_page


def test_the_register_page_is_in_the_access_log(sapp, smake):
    from sqlalchemy import select
    from core.audit.models import AccessLogEntry
    _register(sapp, smake.staff().id, valid_from=dt.date.today(), valid_to=None)
    assert _web(sapp, smake).get("/sterilisatie/").status_code == 200
    with sapp.app_context():
        subjects = list(db.session.scalars(select(AccessLogEntry.subject)))
    assert "bulk: sterilisation register, 1 rows" in subjects
