"""Every page with the Flask test client: logins, role checks as in the API, CSRF, exports."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from flask import Blueprint
from sqlalchemy import select

from core.extensions import db
from tests.web.conftest import login_as

TODAY = dt.date.today()


def csrf_token(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


@pytest.fixture
def hospital(app, make):
    """Two departments, a person in each, a device type with competences, a TVB role × activity, an alert."""
    from core.alerts.models import Alert
    from core.competence.models import Competence
    from core.tvb.models import Activity, Assignment, Cell, Role

    mt, ic = make.department(name="MT afdeling"), make.department(name="IC afdeling")
    anna = make.staff(name="Anna Mt", department_id=mt.id)
    bram = make.staff(name="Bram Ic", department_id=ic.id)
    pump = make.device_type(manufacturer="B. Braun", model="Space", technology_group_id=1)
    with app.app_context():
        role = Role(name="MT4 test")
        activity = Activity(name="Reparatie test", level="operational", requirements={})
        db.session.add_all([role, activity])
        db.session.flush()
        db.session.add_all([
            Cell(role_id=role.id, activity_id=activity.id, letters="TVB"),
            Assignment(staff_id=anna.id, role_id=role.id, valid_from=TODAY - dt.timedelta(days=10)),
            Competence(staff_id=anna.id, device_type_id=pump.id, role="technician", method="training",
                       obtained_on=TODAY - dt.timedelta(days=100), expires_on=TODAY + dt.timedelta(days=5)),
            Competence(staff_id=bram.id, device_type_id=pump.id, role="user", method="training",
                       obtained_on=TODAY - dt.timedelta(days=400), expires_on=TODAY - dt.timedelta(days=3)),
            Alert(key="test:cov", kind="coverage_below_minimum", source="core", device_type_id=pump.id,
                  due_on=TODAY, message="Too few technicians for B. Braun Space."),
            Alert(key="test:bram", kind="competence_expired", source="core", staff_id=bram.id,
                  due_on=TODAY, message="Bram's competence expired."),
        ])
        db.session.commit()
        ids = {"role": role.id, "activity": activity.id}
    return {"mt": mt, "ic": ic, "anna": anna, "bram": bram, "pump": pump, **ids}


def pages(h) -> list[str]:
    return ["/", "/staff", f"/staff/{h['anna'].id}", "/device-types", f"/device-types/{h['pump'].id}",
            "/matrix", "/tvb", "/alerts"]


# ------------------------------------------------------------------ login, language, CSRF


def test_pages_need_a_login(client, hospital):
    for path in pages(hospital) + ["/audit", "/matrix.xlsx", "/tvb.xlsx"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=")


def test_login_form_checks_password_and_csrf(app, client, make, csrf_on):
    make.user("admin", email="anna@example.org", password="correct horse")
    page = client.get("/login").get_data(as_text=True)
    assert "Inloggen" in page  # Dutch by default
    refused = client.post("/login", data={"email": "anna@example.org", "password": "correct horse"})
    assert refused.status_code == 400  # no CSRF token
    token = csrf_token(client)
    wrong = client.post("/login", data={"email": "anna@example.org", "password": "wrong", "csrf_token": token})
    assert wrong.status_code == 401 and "Onbekend e-mailadres" in wrong.get_data(as_text=True)
    ok = client.post("/login?next=//evil.example/x",
                     data={"email": "Anna@Example.org", "password": "correct horse", "csrf_token": token})
    assert ok.status_code == 302 and ok.headers["Location"] == "/"  # no open redirect
    assert client.get("/").status_code == 200


def test_every_post_without_csrf_token_is_refused(app, web, hospital, csrf_on):
    client, _ = web("admin")
    h = hospital
    for path in (f"/tvb/cells/{h['role']}/{h['activity']}", "/language/en", "/logout", "/tvb/assignments",
                 f"/device-types/{h['pump'].id}/screenings", "/alerts/1/acknowledge"):
        response = client.post(path, data={"new_scope": "all", "new_letters": "T"})
        assert response.status_code == 400, path
        assert "text/html" in response.content_type  # a page, not the API's JSON


def test_htmx_post_with_csrf_header_is_accepted(app, web, hospital, csrf_on):
    client, _ = web("tvb_admin")
    token = csrf_token(client, "/tvb")
    h = hospital
    response = client.post(f"/tvb/cells/{h['role']}/{h['activity']}", headers={"HX-Request": "true", "X-CSRFToken": token},
                           data={"letters_0": "T"})
    assert response.status_code == 200


def test_language_switch_to_english_and_back(web, hospital):
    client, _ = web("admin")
    assert "Actieve medewerkers" in client.get("/").get_data(as_text=True)
    response = client.post("/language/en", data={"next": "/staff"})
    assert response.status_code == 302 and response.headers["Location"] == "/staff"
    page = client.get("/").get_data(as_text=True)
    assert "Active staff" in page and 'lang="en"' in page
    client.post("/language/nl")
    assert "Actieve medewerkers" in client.get("/").get_data(as_text=True)


def test_user_locale_is_used_without_a_session_choice(web, hospital):
    client, _ = web("admin", locale="en")
    assert "Active staff" in client.get("/").get_data(as_text=True)


# ------------------------------------------------------------------ every page, every role


@pytest.mark.parametrize("role", ["admin", "tvb_admin", "auditor"])
def test_every_page_opens_for_the_roles_that_read_everything(web, hospital, role):
    client, _ = web(role)
    for path in pages(hospital) + [f"/staff/{hospital['bram'].id}"]:
        response = client.get(path)
        assert response.status_code == 200, path
    body = client.get("/").get_data(as_text=True)
    assert "Anna Mt" in body and "Bram Ic" in body  # expiring and expired, with links
    assert f'/device-types/{hospital["pump"].id}' in body  # the coverage gap links to the device type


def test_manager_sees_only_their_department_tree(web, hospital):
    h = hospital
    client, _ = web("manager", department_id=h["mt"].id)
    listing = client.get("/staff").get_data(as_text=True)
    assert "Anna Mt" in listing and "Bram Ic" not in listing
    assert client.get(f"/staff/{h['anna'].id}").status_code == 200
    assert client.get(f"/staff/{h['bram'].id}").status_code == 404  # as the API: not revealed
    matrix = client.get("/matrix").get_data(as_text=True)
    assert "Anna Mt" in matrix and "Bram Ic" not in matrix
    dashboard = client.get("/").get_data(as_text=True)
    assert "Anna Mt" in dashboard and "Bram Ic" not in dashboard
    assert "Bram&#39;s competence expired." not in client.get("/alerts").get_data(as_text=True)
    assert client.get("/audit").status_code == 403


def test_technician_sees_only_themself(web, hospital):
    h = hospital
    client, _ = web("technician", staff_id=h["anna"].id)
    assert client.get(f"/staff/{h['anna'].id}").status_code == 200
    assert client.get(f"/staff/{h['bram'].id}").status_code == 404
    assert "Bram Ic" not in client.get("/staff").get_data(as_text=True)
    assert "Bram Ic" not in client.get("/matrix").get_data(as_text=True)
    assert "Mijn gegevens" in client.get("/").get_data(as_text=True)  # the self-service link
    assert client.get("/audit").status_code == 403
    assert client.get(f"/tvb/cells/{h['role']}/{h['activity']}/edit").status_code == 403


def test_auditor_sees_no_edit_forms_and_every_post_is_refused(web, hospital):
    h = hospital
    client, _ = web("auditor")
    tvb = client.get("/tvb").get_data(as_text=True)
    assert "/edit" not in tvb and "tvb/assignments" not in tvb
    assert '/screenings"' not in client.get(f"/device-types/{h['pump'].id}").get_data(as_text=True)
    assert "Gezien" not in client.get("/alerts").get_data(as_text=True).split("<tbody>")[1]
    for path in (f"/tvb/cells/{h['role']}/{h['activity']}", "/tvb/assignments", f"/device-types/{h['pump'].id}/screenings",
                 "/alerts/1/acknowledge", f"/staff/{h['anna'].id}/cpd"):
        assert client.post(path, data={"new_scope": "all", "new_letters": "T"}).status_code == 403, path
    assert client.post("/language/en").status_code == 302  # reading in English is no write
    assert client.get("/audit").status_code == 200


def test_audit_page_lists_changes_for_admin(web, hospital):
    client, _ = web("admin")
    h = hospital
    client.post(f"/tvb/cells/{h['role']}/{h['activity']}", data={"new_scope": "tg:1", "new_letters": ["T"]})
    page = client.get("/audit?entity=tvb_cell").get_data(as_text=True)
    assert "tvb_cell" in page and "aangemaakt" in page


# ------------------------------------------------------------------ TVB editor


def test_tvb_cell_edit_renders_the_cell_again(app, web, hospital):
    from core.tvb.models import Cell
    h = hospital
    client, _ = web("tvb_admin")
    editor = client.get(f"/tvb/cells/{h['role']}/{h['activity']}/edit", headers={"HX-Request": "true"})
    assert editor.status_code == 200 and 'name="new_scope"' in editor.get_data(as_text=True)
    with app.app_context():
        cell_id = db.session.scalar(select(Cell.id).where(Cell.role_id == h["role"]))
    response = client.post(f"/tvb/cells/{h['role']}/{h['activity']}", headers={"HX-Request": "true"},
                           data={f"letters_{cell_id}": ["B", "T"], "new_scope": "tg:1", "new_letters": ["V"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith(f'<td id="tvb-{h["role"]}-{h["activity"]}"')
    assert "TB" in html and ">V<" in html
    with app.app_context():
        letters = sorted(db.session.scalars(select(Cell.letters).where(Cell.role_id == h["role"])))
    assert letters == ["TB", "V"]
    # no letters left: that scope goes
    client.post(f"/tvb/cells/{h['role']}/{h['activity']}", headers={"HX-Request": "true"},
                data={f"letters_{cell_id}": ["T"]})
    with app.app_context():
        assert list(db.session.scalars(select(Cell.letters).where(Cell.role_id == h["role"]))) == ["T"]


def test_tvb_cell_same_scope_twice_is_refused_without_changes(app, web, hospital):
    from core.tvb.models import Cell
    h = hospital
    client, _ = web("admin")
    response = client.post(f"/tvb/cells/{h['role']}/{h['activity']}", headers={"HX-Request": "true"},
                           data={"new_scope": "all", "new_letters": ["T"]})
    assert response.status_code == 200 and 'role="alert"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Cell.letters).where(Cell.role_id == h["role"])) == "TVB"


@pytest.mark.parametrize("role", ["manager", "technician"])
def test_tvb_cells_are_for_tvb_admins_only(web, hospital, role):
    h = hospital
    client, _ = web(role, department_id=h["mt"].id, staff_id=h["anna"].id)
    assert client.post(f"/tvb/cells/{h['role']}/{h['activity']}", data={"new_scope": "all"}).status_code == 403


def test_manager_assigns_roles_only_in_their_tree(app, web, hospital):
    from core.tvb.models import Assignment
    h = hospital
    client, _ = web("manager", department_id=h["mt"].id)
    form = {"staff_number": h["bram"].employee_number, "role_id": h["role"], "valid_from": TODAY.isoformat()}
    # Bram is outside this manager's tree: refused, with the same words as an unknown number
    refused = client.post("/tvb/assignments", data=form, follow_redirects=True).get_data(as_text=True)
    assert h["bram"].employee_number in refused and "Toewijzing opgeslagen" not in refused
    with app.app_context():
        assert db.session.scalar(select(Assignment.id).where(Assignment.staff_id == h["bram"].id)) is None
    # suggestions only offer people of the manager's own tree
    assert h["bram"].employee_number not in client.get("/tvb/staff-suggestions?staff_number=Ic").get_data(as_text=True)
    offered = client.get("/tvb/staff-suggestions?staff_number=anna").get_data(as_text=True)
    assert f'value="{h["anna"].employee_number}"' in offered
    form["staff_number"] = h["anna"].employee_number
    form["valid_to"] = (TODAY + dt.timedelta(days=30)).isoformat()
    assert client.post("/tvb/assignments", data=form).status_code == 302
    with app.app_context():
        ends = sorted(str(v) for v in db.session.scalars(select(Assignment.valid_to).where(Assignment.staff_id == h["anna"].id)))
    assert ends == [form["valid_to"], "None"]


def test_tvb_export_is_a_workbook(web, hospital):
    from openpyxl import load_workbook
    client, _ = web("admin")
    response = client.get("/tvb.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    matrix, people = book.worksheets
    assert matrix["A2"].value == "MT4 test" and matrix["B2"].value.startswith("TVB")
    assert people["B2"].value == "Anna Mt"


# ------------------------------------------------------------------ matrix


def test_matrix_cells_show_state_in_colour_and_text(web, hospital):
    client, _ = web("admin")
    html = client.get("/matrix?technology_group_id=1").get_data(as_text=True)  # hospital-wide, one group
    assert 'class="cell cell-expiring"' in html and 'class="cell cell-expired"' in html
    expiring = TODAY + dt.timedelta(days=5)
    assert f"vervalt {expiring:%d-%m-%Y}" in html  # in the title and the hidden text, not only the colour
    assert expiring.isoformat() not in html  # the reader's date, not ISO


def test_matrix_filters_and_paging(web, hospital, make):
    for n in range(105):
        make.staff(name=f"Zz {n:03d}", department_id=hospital["mt"].id)
    client, _ = web("admin")
    first = client.get(f"/matrix?department_id={hospital['mt'].id}").get_data(as_text=True)
    assert "Anna Mt" in first and "Bram Ic" not in first and "Pagina 1 van 2" in first
    second = client.get(f"/matrix?department_id={hospital['mt'].id}&page=2").get_data(as_text=True)
    assert "Zz 104" in second and "Anna Mt" not in second
    assert "Bram Ic" not in client.get("/matrix?technology_group_id=2").get_data(as_text=True)


def test_matrix_export_matches_the_page(web, hospital):
    from openpyxl import load_workbook
    client, _ = web("admin")
    response = client.get(f"/matrix.xlsx?department_id={hospital['mt'].id}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Personeelsnummer", "Naam", "B. Braun Space"]
    assert sheet["B2"].value == "Anna Mt" and sheet.max_row == 2
    assert sheet["C2"].value.date() == TODAY + dt.timedelta(days=5)
    assert sheet["C2"].fill.fgColor.rgb.endswith("FFEB9C")  # expiring


# ------------------------------------------------------------------ profile, device type, alerts


def test_can_perform_answers_with_reasons(web, hospital):
    h = hospital
    client, _ = web("admin")
    response = client.get(f"/staff/{h['anna'].id}/can-perform?activity_id={h['activity']}&on={TODAY}",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ja: Anna Mt mag dit" in html and "MT4 test" in html
    no = client.get(f"/staff/{h['bram'].id}/can-perform?activity_id={h['activity']}", headers={"HX-Request": "true"})
    assert "Nee: Bram Ic mag dit niet" in no.get_data(as_text=True)
    assert client.get(f"/staff/{h['anna'].id}/can-perform").status_code == 422


def test_can_perform_respects_visibility(web, hospital):
    h = hospital
    client, _ = web("technician", staff_id=h["anna"].id)
    assert client.get(f"/staff/{h['bram'].id}/can-perform?activity_id={h['activity']}").status_code == 404


def test_device_type_page_and_screening(app, web, hospital):
    h = hospital
    manager, _ = web("manager", department_id=h["mt"].id)
    page = manager.get(f"/device-types/{h['pump'].id}").get_data(as_text=True)
    assert "Bram Ic" not in page  # the manager's tree only
    # A screening changes competences in every department: not a department manager's to make.
    assert "Nieuwe risicoscreening" not in page
    assert manager.post(f"/device-types/{h['pump'].id}/screenings", data={"usage_context": "high"}).status_code == 403
    client, _ = web("mt_manager")
    page = client.get(f"/device-types/{h['pump'].id}").get_data(as_text=True)
    assert "Checklist vrijgave" in page and "Nieuwe risicoscreening" in page and "Anna Mt" in page
    # what still blocks the release, in the page's language
    assert "Geen technisch akkoord." in page and "No technical approval." not in page
    client.post("/language/en")
    english = client.get(f"/device-types/{h['pump'].id}").get_data(as_text=True)
    assert "No technical approval." in english and "Geen technisch akkoord." not in english
    client.post("/language/nl")
    form = {"usage_context": "high", "novelty": "low", "impact": "high", "product_risk": "medium",
            "screened_on": TODAY.isoformat()}
    response = client.post(f"/device-types/{h['pump'].id}/screenings", data=form)
    assert response.status_code == 302
    page = client.get(f"/device-types/{h['pump'].id}").get_data(as_text=True)
    assert "Gescreend: risicoklasse" in page and "Nog nooit gescreend" not in page
    bad = client.post(f"/device-types/{h['pump'].id}/screenings", data={**form, "novelty": "huge"})
    assert bad.status_code == 422


def test_screening_without_class_or_product_risk_shows_the_field_error(web, hospital):
    h = hospital  # the device type has no MDR class
    client, _ = web("admin")
    response = client.post(f"/device-types/{h['pump'].id}/screenings",
                           data={"usage_context": "high", "novelty": "low", "impact": "high"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "geen MDR/IVDR-klasse; geef het productrisico" in page
    assert "MDR/IVDR class" not in page  # the service's English stays the API's
    with client.session_transaction() as session:
        session["locale"] = "en"
    response = client.post(f"/device-types/{h['pump'].id}/screenings",
                           data={"usage_context": "high", "novelty": "low", "impact": "high"})
    assert response.status_code == 422 and "MDR/IVDR class" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["technician", "tvb_admin"])
def test_screening_is_for_admins_and_managers(web, hospital, role):
    h = hospital
    client, _ = web(role, staff_id=h["anna"].id)
    assert client.post(f"/device-types/{h['pump'].id}/screenings",
                       data={"usage_context": "high", "novelty": "low", "impact": "high"}).status_code == 403


def test_authorised_staff_fragment(web, hospital):
    h = hospital
    client, _ = web("admin")
    html = client.get(f"/device-types/{h['pump'].id}/authorised?activity_id={h['activity']}",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Anna Mt" in html and "Bram Ic" not in html


def test_alerts_acknowledge_within_visibility(app, web, hospital):
    from core.alerts.models import Alert
    h = hospital
    with app.app_context():
        ids = {a.key: a.id for a in db.session.scalars(select(Alert))}
    client, _ = web("technician", staff_id=h["anna"].id)
    assert client.post(f"/alerts/{ids['test:bram']}/acknowledge").status_code == 404
    client, _ = web("manager", department_id=h["ic"].id)
    response = client.post(f"/alerts/{ids['test:bram']}/acknowledge", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.get_data(as_text=True).startswith(f'<tr id="alert-{ids["test:bram"]}"')
    assert "test:bram" not in client.get("/alerts").get_data(as_text=True)
    acknowledged = client.get("/alerts?state=acknowledged").get_data(as_text=True)
    # an alert stored without Dutch text shows its kind in Dutch to a Dutch reader, never the English
    assert f'id="alert-{ids["test:bram"]}"' in acknowledged and "bekwaamheid verlopen" in acknowledged
    assert "Bram&#39;s competence expired." not in acknowledged


def test_unknown_records_are_404_pages(web):
    client, _ = web("admin")
    for path in ("/staff/999999", "/device-types/999999"):
        response = client.get(path)
        assert response.status_code == 404 and "text/html" in response.content_type


# ------------------------------------------------------------------ plugin pages


def test_plugin_page_gets_the_nav_entry_it_names_for_the_viewer(database_url, make):
    from core import create_app
    from core.contract import NavEntry
    from core.plugins import hookimpl

    page = Blueprint("webplugin", __name__)
    page.bekwaam_access = {"index": {"GET": ("admin", "auditor")}}

    @page.route("/webplugin")
    def index():
        return "plugin says hi"

    class WebPlugin:
        @hookimpl
        def bekwaam_web_blueprints(self):
            return [page]

        @hookimpl
        def bekwaam_nav_entries(self, viewer):
            # Only for the roles that may open the page.
            return [NavEntry("Plugin page", "webplugin_web.index")] if viewer.role in ("admin", "auditor") else []

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t", "TESTING": True,
                      "BEKWAAM_EXTRA_PLUGINS": [("webplugin", WebPlugin())], "BEKWAAM_DISABLED_PLUGINS": []})
    user_id, _ = make.user("auditor")
    client = app.test_client()
    login_as(client, user_id)
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/webplugin"' in html and "Plugin page" in html
    assert client.get("/webplugin").get_data(as_text=True) == "plugin says hi"
    technician_id, _ = make.user("technician", staff_id=make.staff().id)
    other = app.test_client()
    login_as(other, technician_id)
    assert "Plugin page" not in other.get("/").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()  # this app's pooled connections close now, not when collected


def test_matrix_pages_hold_at_most_about_ten_thousand_cells():
    from core.web.views.matrix import rows_per_page
    assert rows_per_page(1) == 100 and rows_per_page(100) == 100
    assert rows_per_page(200) == 50  # the large hospital's Intensive Care: 50 people × 200 types
    assert rows_per_page(3000) == 20  # never fewer than 20 people on a page


def test_the_check_offers_a_large_hospitals_own_types_and_the_rest_by_technology_group(app, web, hospital, make,
                                                                                        monkeypatch):
    from core.web.views import staff as staff_view
    h = hospital
    other = make.device_type(manufacturer="Getinge", model="Servo-u", technology_group_id=2)
    client, _ = web("admin")
    few = client.get(f"/staff/{h['anna'].id}").get_data(as_text=True)
    assert "Servo-u" in few and "B. Braun Space" in few  # few types: all are offered
    monkeypatch.setattr(staff_view, "ALL_DEVICE_TYPES_UP_TO", 1)
    many = client.get(f"/staff/{h['anna'].id}").get_data(as_text=True)
    assert "B. Braun Space" in many and "Servo-u" not in many  # Anna's own type only
    assert "choose a technology group" in many or "kies een technologiegroep" in many
    group = client.get(f"/staff/{h['anna'].id}/device-type-options?technology_group_id=2").get_data(as_text=True)
    assert f'value="{other.id}"' in group and "B. Braun Space" not in group
    assert client.get(f"/staff/{h['bram'].id}/device-type-options", headers={}).status_code == 200


def test_the_profile_does_not_ask_a_plugin_with_panels_for_its_summary_again(app, web, make, monkeypatch):
    """The VZI panel shows the VZI summary; the separate summary (the whole portfolio read again)
    is not computed for the page. The BIG panel reads a registration only once."""
    from plugins.big_kt import services as big
    from plugins.vzi_mt import services as vzi

    person = make.staff(name="Profiel Persoon")
    asked = {"vzi summary": 0, "big registration": 0}
    real_summary, real_registration = vzi.staff_summary, big.get_registration

    def summary(*args, **kwargs):
        asked["vzi summary"] += 1
        return real_summary(*args, **kwargs)

    def registration(*args, **kwargs):
        asked["big registration"] += 1
        return real_registration(*args, **kwargs)

    monkeypatch.setattr(vzi, "staff_summary", summary)
    monkeypatch.setattr(big, "get_registration", registration)
    client, _ = web("admin")
    page = client.get(f"/staff/{person.id}")
    assert page.status_code == 200
    assert 'id="vzi"' in page.get_data(as_text=True) and 'id="big"' in page.get_data(as_text=True)
    assert asked == {"vzi summary": 0, "big registration": 1}
