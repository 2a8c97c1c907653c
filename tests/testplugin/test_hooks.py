"""Every hook of core.hookspecs is called by the core through its normal path.

The test plugin (``plugin.py``) records each call; each test below drives one
hook through the API, the CLI or the runtime wrappers and checks both the
recorded call and its effect. The meta-test at the end fails when a hookspec
lacks a docstring, an implementation here, or a recorded call.
"""
from __future__ import annotations

import datetime as dt
import inspect

from sqlalchemy import inspect as sa_inspect, text

from core import hookspecs
from core.extensions import db
from tests.testplugin import plugin


def _clear():
    plugin.CALLS.clear()


def test_migration_branch_created_its_table(papp):
    assert plugin.calls("bekwaam_migration_dirs"), "the core never asked the plugin for its migrations"
    with papp.app_context():
        assert "testplugin_note" in sa_inspect(db.engine).get_table_names()
        heads = {row[0] for row in db.session.execute(text("SELECT version_num FROM alembic_version"))}
    assert "testplugin_0001" in heads


def test_api_blueprint_answers_under_its_namespace(papp, pclient, padmin):
    assert plugin.calls("bekwaam_api_blueprints")
    assert "testplugin" in papp.blueprints
    response = pclient.get("/api/v1/testplugin/ping", headers=padmin)
    assert response.status_code == 200, response.json
    assert response.json == {"pong": True}
    # The core's bearer-token check covers plugin endpoints too.
    assert pclient.get("/api/v1/testplugin/ping").status_code == 401


def _logged_in(papp, pmake, role="admin"):
    from tests.web.conftest import login_as
    user_id, _headers = pmake.user(role)
    client = papp.test_client()
    login_as(client, user_id)
    return client, user_id


def test_web_blueprint_answers_after_login(papp, pclient, pmake):
    assert plugin.calls("bekwaam_web_blueprints")
    assert plugin.web_blp in papp.blueprints.values()
    # A plugin's page needs a login like the core's.
    anonymous = pclient.get("/testplugin/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    client, _ = _logged_in(papp, pmake)
    response = client.get("/testplugin/")
    assert response.status_code == 200
    assert b"testplugin page" in response.data


def test_cli_command_is_added(papp):
    from core.cli import cli
    assert plugin.calls("bekwaam_cli_commands")
    result = papp.test_cli_runner().invoke(cli, ["testplugin-hello", "--name", "Ada"])
    assert result.exit_code == 0, result.output
    assert "hello Ada from testplugin" in result.output


def _activity(pclient, padmin, requirements, **extra):
    response = pclient.post("/api/v1/tvb/activities", headers=padmin,
                            json={"name": f"Act {len(plugin.CALLS)}-{requirements}", "requirements": requirements,
                                  **extra})
    return response


def test_requirement_schema_validates_activity_requirements(papp, pclient, padmin):
    _clear()
    ok = _activity(pclient, padmin, {"testplugin": {"level": 2}})
    assert ok.status_code == 201, ok.json
    assert ok.json["requirements"] == {"testplugin": {"level": 2}}
    assert plugin.calls("bekwaam_activity_requirement_schemas")
    bad = _activity(pclient, padmin, {"testplugin": {"level": 9}})
    assert bad.status_code == 422
    assert "level" in str(bad.json["errors"]["requirements"])
    unknown = _activity(pclient, padmin, {"testplugin": {"level": 1, "colour": "red"}})
    assert unknown.status_code == 422
    assert "colour" in str(unknown.json["errors"]["requirements"])


def test_can_perform_condition_reason_appears(papp, pclient, padmin, pmake):
    person = pmake.staff()
    # Recorded as in force since before the day asked: requirements are read as they stood.
    activity = _activity(pclient, padmin, {"testplugin": {"level": 3}}, effective_from="2026-01-01").json
    _clear()
    response = pclient.get(f"/api/v1/staff/{person.id}/can-perform?activity_id={activity['id']}&on=2026-01-05",
                           headers=padmin)
    assert response.status_code == 200, response.json
    mine = [r for r in response.json["reasons"] if r["source"] == "testplugin"]
    assert mine == [{"source": "testplugin", "code": "testplugin_level",
                     "message": "Test plugin level 3 holds.", "ok": True}]
    (call,) = plugin.calls("bekwaam_can_perform_conditions")
    assert call["staff_ids"] == [person.id] and call["activity_id"] == activity["id"]
    assert call["on"] == dt.date(2026, 1, 5)
    # The core's own TVB reason still refuses: a plugin condition alone never allows.
    assert response.json["allowed"] is False


def test_competence_expiry_hook_sets_expires_on(papp, pclient, padmin, pmake):
    person = pmake.staff()
    owned = pmake.device_type(manufacturer=plugin.EXPIRY_MANUFACTURER)
    other = pmake.device_type(manufacturer="Someone Else")
    _clear()
    body = {"staff_id": person.id, "role": "user", "obtained_on": "2026-08-31", "method": "training"}
    # Owned by the plugin: a typed-in expiry is overwritten (the owning plugin computes it).
    response = pclient.post("/api/v1/competences", headers=padmin,
                            json={**body, "device_type_id": owned.id, "expires_on": "2030-01-01"})
    assert response.status_code == 201, response.json
    assert response.json["expires_on"] == "2027-02-28"
    assert response.json["expiry_source"] == "testplugin"
    assert plugin.calls("bekwaam_competence_expiry")
    # Not owned: the plugin returns None and the typed value stays.
    response = pclient.post("/api/v1/competences", headers=padmin,
                            json={**body, "device_type_id": other.id, "expires_on": "2030-01-01"})
    assert response.status_code == 201, response.json
    assert response.json["expires_on"] == "2030-01-01"
    assert response.json["expiry_source"] is None


def test_release_blockers_refuse_phase_6(papp, pclient, padmin, pmake):
    blocked = pmake.device_type(manufacturer=plugin.BLOCKED_MANUFACTURER)
    free = pmake.device_type(manufacturer="Free Medical")
    _clear()
    today = dt.date.today()
    response = pclient.patch(f"/api/v1/device-types/{blocked.id}", headers=padmin, json={"lifecycle_phase": 6})
    assert response.status_code == 409, response.json
    assert response.json["missing"] == [
        {"code": "testplugin_blocked", "message": f"Test plugin blocks release on {today.isoformat()}."}]
    assert plugin.calls("bekwaam_release_blockers")[-1] == {"device_type_id": blocked.id, "on": today}
    # Nothing was written.
    assert pclient.get(f"/api/v1/device-types/{blocked.id}", headers=padmin).json["lifecycle_phase"] == 1
    # Nothing blocks the free type, yet phase 6 comes only from a release procedure
    # (Leidraad Medische Technologie 2026, fase 5), never from a PATCH or a typed date.
    response = pclient.patch(f"/api/v1/device-types/{free.id}", headers=padmin, json={"lifecycle_phase": 6})
    assert response.status_code == 409 and response.json["missing"] == []
    response = pclient.patch(f"/api/v1/device-types/{free.id}", headers=padmin,
                             json={"lifecycle_phase": 6, "released_on": "2026-03-01"})
    assert response.status_code == 422 and list(response.json["errors"]) == ["released_on"]


def test_alert_events_are_collected(papp):
    from core import plugins_runtime
    _clear()
    with papp.app_context():
        events = plugins_runtime.alert_events(dt.date(2026, 5, 1), [30, 7])
    mine = [e for e in events if e.source == "testplugin"]
    assert [(e.due_on, e.horizon_days) for e in mine] == [(dt.date(2026, 5, 31), 30), (dt.date(2026, 5, 8), 7)]
    assert plugin.calls("bekwaam_alert_events") == [{"as_of": dt.date(2026, 5, 1), "horizons": [30, 7]}]


def test_a_plugins_reason_and_code_read_dutch(papp):
    """A reason without its own Dutch reads as the plugin's text for its code; a stored code as its word."""
    from core.contract import Reason
    from core.reason_texts import dutch
    from core.web.context import label
    _clear()
    with papp.test_request_context():
        assert dutch(Reason("testplugin", "testplugin_level", "Test plugin level 2 holds.", True)) == \
            "Het testniveau is gehaald."
        assert label("testplugin_grade") == "testgraad"
    assert plugin.calls("bekwaam_reason_texts") and plugin.calls("bekwaam_labels")


def test_demo_data_hook_runs(papp):
    from core import demo
    _clear()
    with papp.app_context():
        login = demo.load_demo()
        notes = db.session.execute(text("SELECT body FROM testplugin_note")).scalars().all()
    today = dt.date.today()
    assert login["email"]
    assert plugin.calls("bekwaam_demo_data") == [{"today": today, "size": "small"}]
    assert notes == [f"demo small {today}"]


def test_staff_summary_is_filed_under_the_plugins_name(papp, pmake):
    from core import plugins_runtime
    person = pmake.staff()
    _clear()
    with papp.app_context():
        summary = plugins_runtime.staff_summaries(person.id, dt.date(2026, 2, 2))
    assert summary["testplugin"] == {"staff_id": person.id, "on": "2026-02-02"}
    assert plugin.calls("bekwaam_staff_summary") == [{"staff_id": person.id, "on": dt.date(2026, 2, 2)}]


def test_evidence_reaches_the_passport_sources_and_fhir(papp, pmake):
    """The plugin's registrations are merged per person and exported (FHIR identifier and qualification)."""
    from core import plugins_runtime
    from core.evidence import fhir
    from core.staff.models import Staff
    person = pmake.staff()
    _clear()
    on = dt.date(2026, 2, 2)
    with papp.test_request_context():
        merged = plugins_runtime.evidence([person.id], on)
        resource = fhir.practitioner(db.session.get(Staff, person.id), on).as_json()
    (item,) = [i for i in merged[person.id] if i["source"] == "testplugin"]
    assert item["text_nl"] == "geldig op 02-02-2026"
    assert plugin.calls("bekwaam_evidence")[0] == {"staff_ids": [person.id], "on": on}
    assert {"system": "urn:testplugin:licence", "value": f"L-{person.id}"} in resource["identifier"]
    assert any(q["code"]["text"] == "Testlicentie: geldig op 02-02-2026" for q in resource["qualification"])


def _hookspecs():
    return {name: func for name, func in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(func, "bekwaam_spec")}


def test_settings_come_with_their_defaults_and_from_the_environment(papp, tmp_path, monkeypatch):
    from core import create_app
    assert plugin.calls("bekwaam_settings") or "bekwaam_settings" in plugin.EVER_CALLED
    assert papp.config["TESTPLUGIN_GREETING"] == "hello"
    monkeypatch.setenv("BEKWAAM_TESTPLUGIN_GREETING", "hallo")
    again = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "x.sqlite"), "TESTING": True,
                        "BEKWAAM_EXTRA_PLUGINS": [("testplugin", plugin)]})
    assert again.config["TESTPLUGIN_GREETING"] == "hallo"


def test_import_kind_runs_like_the_cores_own(papp, pclient, padmin):
    import io
    _clear()

    def upload(content: bytes, **query):
        qs = "&".join(f"{k}={str(v).lower()}" for k, v in query.items())
        return pclient.post("/api/v1/imports/testplugin-notes" + (f"?{qs}" if qs else ""), headers=padmin,
                            data={"file": (io.BytesIO(content), "notes.csv")}, content_type="multipart/form-data")
    bad = upload("Tekst\nEen\n\n" .encode() + b"Een\n" + ("x" * 201).encode() + b"\n")
    assert plugin.calls("bekwaam_import_kinds")
    assert bad.status_code == 422
    assert bad.json["errors"] == {"line 4": ["duplicate: the same key as line 2."],
                                  "line 5": ["body: longer than 200 characters."]}
    good = upload(b"text\nEen\nTwee\n")
    assert good.status_code == 200, good.json
    assert [(r["line"], r["status"]) for r in good.json["rows"]] == [(2, "created"), (3, "created")]
    assert upload(b"text\nEen\n").json["rows"][0]["status"] == "unchanged"


def test_export_kind_is_offered_with_its_roles(papp, pclient, padmin, pmake):
    _clear()
    with papp.app_context():
        db.session.execute(plugin.insert(plugin.NOTES), [{"body": "=1+1"}, {"body": "Twee"}])
        db.session.commit()
    response = pclient.get("/api/v1/exports/testplugin-notes.csv", headers=padmin)
    assert plugin.calls("bekwaam_export_kinds")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "\ufeffid,body" and [line.split(",", 1)[1] for line in lines[1:]] == ["'=1+1", "Twee"]
    _, technician = pmake.user("technician", staff_id=pmake.staff().id)
    assert pclient.get("/api/v1/exports/testplugin-notes.csv", headers=technician).status_code == 403


def test_privacy_rule_erases_the_plugins_rows_of_a_leaver(papp, pmake):
    from core.dataio import privacy
    from core.dataio.models import StaffDeparture
    _clear()
    left = pmake.staff(active=False)
    stays = pmake.staff()
    with papp.app_context():
        db.session.add(StaffDeparture(staff_id=left.id, left_on=dt.date(2020, 1, 1)))
        db.session.execute(plugin.insert(plugin.NOTES), [{"staff_id": left.id, "body": "Jansen belde"},
                                                         {"staff_id": stays.id, "body": "Blijft"}])
        result = privacy.anonymise(dt.date(2025, 1, 1), 2)
        db.session.commit()
        notes = dict(db.session.execute(plugin.select(plugin.NOTES.c.staff_id, plugin.NOTES.c.body)).all())
    assert plugin.calls("bekwaam_privacy_rules")
    assert result["staff_ids"] == [left.id]
    assert notes == {left.id: plugin.ERASED, stays.id: "Blijft"}


def test_page_hooks_reach_the_pages(papp, pmake):
    from core.devices.models import DeviceType, TechnologyGroup
    from sqlalchemy import select
    person = pmake.staff(name="Ada <Lovelace>")
    client, user_id = _logged_in(papp, pmake)
    _clear()
    profile = client.get(f"/staff/{person.id}").get_data(as_text=True)
    assert "Testplugin-paneel" in profile and "<p id='testplugin-panel'>Ada &lt;Lovelace&gt;</p>" in profile
    assert plugin.calls("bekwaam_profile_panels") == [{"staff_id": person.id, "viewer_id": user_id,
                                                       "on": dt.date.today()}]
    # the nav entry, on every page
    assert 'href="/testplugin/"' in profile and plugin.calls("bekwaam_nav_entries")
    with papp.app_context():
        group = db.session.scalar(select(TechnologyGroup.id).limit(1))
        device_type = DeviceType(manufacturer="Testplugin Pages", model="P1", name="Pomp", technology_group_id=group)
        db.session.add(device_type)
        db.session.commit()
        type_id = device_type.id
    page = client.get(f"/device-types/{type_id}").get_data(as_text=True)
    # html that is not Markup is escaped: a plugin cannot inject by accident
    assert "Testplugin-typepaneel" in page and "&lt;b&gt;escaped, not bold&lt;/b&gt;" in page
    dashboard = client.get("/").get_data(as_text=True)
    assert "Testplugin-teller" in dashboard and ">42<" in dashboard
    assert "Testplugin-signalen" in dashboard  # the plugin's alert kind has its box
    assert plugin.calls("bekwaam_dashboard_tiles") and plugin.calls("bekwaam_alert_labels")
    # a queue: its title, its total, its item (escaped) linking to where the work is done, the full list
    assert "Testplugin-wachtrij" in dashboard and "Testplugin-taak &lt;b&gt;" in dashboard
    assert 'id="testplugin-queue"' in dashboard and plugin.calls("bekwaam_dashboard_queues")


def test_zz_meta_every_hookspec_documented_implemented_and_called():
    """Runs last in this module: every hook has a docstring, an impl and a call."""
    specs = _hookspecs()
    assert len(specs) >= 11, sorted(specs)  # the contract only grows
    undocumented = [n for n, f in specs.items() if not (f.__doc__ or "").strip()]
    assert not undocumented, f"hookspecs without a docstring: {undocumented}"
    missing = [n for n in specs if not hasattr(getattr(plugin, n, None), "bekwaam_impl")]
    assert not missing, f"the test plugin does not implement: {missing}"
    uncalled = sorted(set(specs) - plugin.EVER_CALLED)
    assert not uncalled, f"hooks never called by the core in these tests: {uncalled}"

