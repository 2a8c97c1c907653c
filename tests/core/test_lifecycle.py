"""Lifecycle as dated history, legacy registration, release only from the release procedure.

Leidraad Medische Technologie 2026, levensloop: use (phase 6) only after the
release of phase 5 ("pas bij een volledig technisch en klinisch akkoord mag
medische technologie in gebruik genomen worden"); phase 7 is buitengebruikstellen.
The core refuses use of a type not in phase 6 on the day asked, with every
plugin disabled as well.
"""
from __future__ import annotations

import datetime as dt

import pytest

# The matrix of these tests is taken as configured long ago: they are about the phase history.
pytestmark = pytest.mark.usefixtures("tvb_since_long_ago")

from tests.conftest import migrated_app

API = "/api/v1"
TODAY = dt.date.today()
D = dt.timedelta(days=1)


def _post(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _patch(client, headers, path, body, status=200):
    response = client.patch(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _type_body(client, headers, **extra):
    group = client.get(f"{API}/technology-groups", headers=headers).json[0]["id"]
    return {"manufacturer": "Philips", "model": f"MX{len(extra)}-{extra.get('lifecycle_phase', 1)}",
            "name": "Patiëntmonitor", "technology_group_id": group, "mdr_class": "IIb", **extra}


@pytest.fixture
def world(client, admin, make):
    """A legacy type in use since 2020, an activity of use (no plugin requirements) and a person with B."""
    type_id = _post(client, admin, "/device-types",
                    _type_body(client, admin, lifecycle_phase=6, released_on="2020-01-01"))["id"]
    activity = _post(client, admin, "/tvb/activities", {"name": "Bedienen", "lifecycle_phase": 6})["id"]
    decommission = _post(client, admin, "/tvb/activities", {"name": "Afvoeren", "lifecycle_phase": 7})["id"]
    role = _post(client, admin, "/tvb/roles", {"name": "Gebruiker"})["id"]
    for act in (activity, decommission):
        _post(client, admin, "/tvb/cells", {"role_id": role, "activity_id": act, "letters": "TVB"})
    person = make.staff().id
    _post(client, admin, "/tvb/assignments", {"staff_id": person, "role_id": role, "valid_from": "2000-01-01"})
    return {"type": type_id, "activity": activity, "decommission": decommission, "person": person}


def ask(client, headers, w, on, activity=None):
    response = client.get(f"{API}/staff/{w['person']}/can-perform?activity_id={activity or w['activity']}"
                          f"&device_type_id={w['type']}&on={on}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def core_refusals(answer):
    return [r["code"] for r in answer["reasons"] if r["source"] == "core" and not r["ok"]]


# --- legacy registration -------------------------------------------------------------------

def test_a_type_registered_in_use_is_a_legacy_registration_in_record_audit_and_page(app, client, admin, make):
    from tests.web.conftest import login_as
    created = _post(client, admin, "/device-types", _type_body(client, admin, lifecycle_phase=6,
                                                                 released_on="2019-05-01"))
    assert created["legacy_registration"] is True and created["released_on"] == "2019-05-01"
    new = _post(client, admin, "/device-types", _type_body(client, admin))
    assert new["legacy_registration"] is False
    audit = client.get(f"{API}/audit?entity=device_type&entity_id={created['id']}", headers=admin).json
    entries = audit if isinstance(audit, list) else audit.get("items", audit)
    assert any(e["action"] == "create" and e["after"]["legacy_registration"] is True for e in entries)
    page = app.test_client()
    login_as(page, make.user("admin")[0])
    body = page.get(f"/device-types/{created['id']}").get_data(as_text=True)
    assert "Bestaande registratie" in body and "niet via de vrijgaveprocedure" in body
    assert "Bestaande registratie" not in page.get(f"/device-types/{new['id']}").get_data(as_text=True)


def test_legacy_registration_is_read_only(client, admin):
    body = _type_body(client, admin, legacy_registration=True)
    assert "legacy_registration" in _post(client, admin, "/device-types", body, status=422)["errors"]


@pytest.mark.parametrize("phase", [1, 2, 3, 4, 5])
def test_a_type_before_phase_6_cannot_carry_a_release_date(client, admin, phase):
    refused = _post(client, admin, "/device-types",
                    _type_body(client, admin, lifecycle_phase=phase, released_on="2024-01-01"), status=422)
    assert list(refused["errors"]) == ["released_on"]


def test_a_legacy_release_date_lies_on_or_before_today(client, admin):
    late = _post(client, admin, "/device-types", _type_body(client, admin, lifecycle_phase=6,
                                                              released_on=(TODAY + D).isoformat()), status=422)
    assert list(late["errors"]) == ["released_on"]
    on_time = _post(client, admin, "/device-types", _type_body(client, admin, lifecycle_phase=6,
                                                                 released_on=TODAY.isoformat()))
    assert on_time["legacy_registration"] is True


@pytest.mark.parametrize("released_on, ok", [("1949-12-31", False), ("1950-01-01", True), ("9999-12-31", False)])
def test_release_dates_have_bounds(client, admin, released_on, ok):
    response = client.post(f"{API}/device-types", headers=admin,
                           json=_type_body(client, admin, lifecycle_phase=6, released_on=released_on))
    assert response.status_code == (201 if ok else 422)
    if not ok:
        assert list(response.json["errors"]) == ["released_on"]


# --- the decision follows the dated phase history (core, every plugin) ------------------------

def test_decommissioned_from_its_date_on_the_past_stands(client, admin, world):
    since = TODAY - 10 * D
    assert ask(client, admin, world, since - D)["allowed"] is True
    _patch(client, admin, f"/device-types/{world['type']}", {"lifecycle_phase": 7, "phase_since": since.isoformat()})
    assert ask(client, admin, world, since - D)["allowed"] is True          # the day before
    for day in (since, since + D, TODAY):                                    # first day, day after, today
        answer = ask(client, admin, world, day)
        assert answer["allowed"] is False and core_refusals(answer) == ["decommissioned"]
    # Decommissioning itself (a phase 7 activity) is not use.
    assert ask(client, admin, world, TODAY, world["decommission"])["allowed"] is True


def test_moved_back_to_an_earlier_phase_is_not_in_use_from_today(client, admin, world):
    _patch(client, admin, f"/device-types/{world['type']}", {"lifecycle_phase": 4})
    assert ask(client, admin, world, TODAY - D)["allowed"] is True
    answer = ask(client, admin, world, TODAY)
    assert answer["allowed"] is False and core_refusals(answer) == ["not_in_use"]
    assert core_refusals(ask(client, admin, world, TODAY + D)) == ["not_in_use"]
    # Back to 6 only through a release, never by changing the phase.
    again = client.patch(f"{API}/device-types/{world['type']}", headers=admin, json={"lifecycle_phase": 6})
    assert again.status_code == 409


def test_before_its_legacy_release_date_a_type_is_not_in_use(client, admin, world):
    assert core_refusals(ask(client, admin, world, "2019-12-31")) == ["not_in_use"]
    assert core_refusals(ask(client, admin, world, "2020-01-01")) == []


def test_the_inspector_list_follows_the_phase_history(client, admin, world):
    _patch(client, admin, f"/device-types/{world['type']}", {"lifecycle_phase": 7, "phase_since": TODAY.isoformat()})
    rows = client.get(f"{API}/device-types/{world['type']}/authorised-staff?activity_id={world['activity']}"
                      f"&on={TODAY.isoformat()}&include_refused=true", headers=admin).json["staff"]
    assert [(row["staff_id"] if "staff_id" in row else row["id"], row["allowed"]) for row in rows] == [
        (world["person"], False)]
    earlier = client.get(f"{API}/device-types/{world['type']}/authorised-staff?activity_id={world['activity']}"
                         f"&on={(TODAY - D).isoformat()}", headers=admin).json["staff"]
    assert [row["allowed"] for row in earlier] == [True]


@pytest.mark.parametrize("body", [
    {"lifecycle_phase": 7, "phase_since": (TODAY + D).isoformat()},   # not in the future
    {"lifecycle_phase": 7, "phase_since": "2019-12-31"},               # not before the last change (2020-01-01)
    {"phase_since": TODAY.isoformat()},                                 # only with a phase
    {"lifecycle_phase": 7, "phase_since": "9999-12-31"},
])
def test_bad_phase_since_is_422(client, admin, world, body):
    refused = _patch(client, admin, f"/device-types/{world['type']}", body, status=422)
    assert list(refused["errors"]) == ["phase_since"]


def test_phase_since_on_the_last_change_is_taken(client, admin, world):
    _patch(client, admin, f"/device-types/{world['type']}", {"lifecycle_phase": 7, "phase_since": "2020-01-01"})
    assert core_refusals(ask(client, admin, world, "2020-01-01")) == ["decommissioned"]


def test_the_lifecycle_check_holds_with_every_plugin_disabled(database_url, make, client, admin, world):
    from importlib import metadata

    from core.plugins import GROUP
    _patch(client, admin, f"/device-types/{world['type']}", {"lifecycle_phase": 7, "phase_since": TODAY.isoformat()})
    bare = migrated_app(database_url, BEKWAAM_DISABLED_PLUGINS=[ep.name for ep in metadata.entry_points(group=GROUP)])
    try:
        answer = ask(bare.test_client(), admin, world, TODAY)
        assert answer["allowed"] is False and core_refusals(answer) == ["decommissioned"]
        assert ask(bare.test_client(), admin, world, TODAY - D)["allowed"] is True
    finally:
        with bare.app_context():
            from core.extensions import db
            db.engine.dispose()


# --- the migration ---------------------------------------------------------------------------

def test_the_migration_clears_release_dates_without_a_release_and_records_the_history(tmp_path, capsys):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from core import create_app
    from core.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "m.sqlite"), "TESTING": True,
                      "SECRET_KEY": "x", "BEKWAAM_DISABLED_PLUGINS": []})
    try:
        with app.app_context():
            upgrade(revision="0004_core")
            db.session.execute(text(
                "INSERT INTO device_type (id, manufacturer, model, name, technology_group_id, lifecycle_phase, "
                "released_on) VALUES (1, 'A', 'wrong', 'x', 1, 3, '2024-02-01'), "
                "(2, 'A', 'used', 'x', 1, 6, '2021-05-01'), (3, 'A', 'new', 'x', 1, 2, NULL)"))
            db.session.commit()
            upgrade(revision="heads")
            rows = db.session.execute(text("SELECT id, released_on, legacy_registration FROM device_type "
                                           "ORDER BY id")).all()
            assert [(r[0], r[1], bool(r[2])) for r in rows] == [(1, None, False), (2, "2021-05-01", False),
                                                                   (3, None, False)]
            phases = db.session.execute(text("SELECT device_type_id, phase, valid_from FROM device_type_phase "
                                             "ORDER BY device_type_id")).all()
            assert [tuple(p) for p in phases] == [(1, 3, "1900-01-01"), (2, 6, "2021-05-01"), (3, 2, "1900-01-01")]
            audit = db.session.execute(text("SELECT entity_id, actor, before, after FROM audit_entry "
                                            "WHERE entity = 'device_type'")).all()
            assert len(audit) == 1 and audit[0][0] == 1 and "2024-02-01" in audit[0][2]
            assert "0006_core_lifecycle" in audit[0][1]
        assert "id 1 (phase 3, released_on 2024-02-01)" in capsys.readouterr().out
    finally:
        with app.app_context():
            db.engine.dispose()
