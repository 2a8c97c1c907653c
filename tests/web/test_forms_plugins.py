"""The plugins' write forms in the pages: each good, bad (422, the field's error next to it, nothing
written) and forbidden, calling the same services as the plugins' REST endpoints.

Leidraad Medische Technologie 2026, fase 2 (risicoscreening/PRI) and fase 5 (vrijgave: "pas bij
een volledig technisch en klinisch akkoord"); VZI certificatienormen (opzegging van de registratie);
the BIG registration of the clinical technologist.
"""
from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from sqlalchemy import func, select

from core.extensions import db

TODAY = dt.date.today()
API = "/api/v1"


def _api(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _count(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def _errors_of(html: str, field_id: str) -> str:
    """The text of the label holding the field ``field_id`` (its error is shown inside it)."""
    match = re.search(r'<label>(?:(?!</label>).)*id="' + re.escape(field_id) + r'"(?:(?!</label>).)*</label>', html, re.S)
    assert match, field_id
    return html_lib.unescape(match.group(0))


@pytest.fixture
def leidraad_world(app, client, make):
    """A device type of class IIb, an approver with B for every approval kind, a competent technician and user."""
    admin_id, admin = make.user("admin")
    pump = make.device_type(manufacturer="Fresenius", model="Agilia", mdr_class="IIb")
    approver = make.staff(name="Petra Vrijgever", employee_number="P-1001")
    bystander = make.staff(name="Kees Omstander", employee_number="K-2002")
    tech = make.staff(name="Tom Technicus")
    nurse = make.staff(name="Nina Gebruiker")
    role = _api(client, admin, "/tvb/roles", {"name": "Vrijgeverrol"})["id"]
    for kind, name in (("technical", "Technische vrijgave"), ("clinical", "Klinische vrijgave"),
                       ("pri", "PRI goedkeuren")):
        act = _api(client, admin, "/tvb/activities", {"name": name, "lifecycle_phase": 5,
                                                       "requirements": {"leidraad": {"approval": kind}}})["id"]
        _api(client, admin, "/tvb/cells", {"role_id": role, "activity_id": act, "letters": "TVB"})
    _api(client, admin, "/tvb/assignments", {"staff_id": approver.id, "role_id": role, "valid_from": "2000-01-01"})
    for person, competence_role in ((tech, "technician"), (nurse, "user")):
        _api(client, admin, "/competences", {"staff_id": person.id, "device_type_id": pump.id, "role": competence_role,
                                            "obtained_on": str(TODAY - dt.timedelta(days=30)),
                                            "method": "training_and_assessment"})
    return {"pump": pump, "approver": approver, "bystander": bystander, "admin": admin}


def _screen(client, pump_id, **extra):
    form = {"usage_context": "high", "novelty": "low", "impact": "high", "screened_on": TODAY.isoformat(), **extra}
    response = client.post(f"/device-types/{pump_id}/screenings", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def _approve(client, pump_id, kind, person, date=None):
    return client.post(f"/device-types/{pump_id}/approvals/{kind}",
                       data={f"{kind}-person": person, f"{kind}-date": (date or TODAY).isoformat(),
                             f"{kind}-note": "akkoord"})


# ------------------------------------------------------------------ Leidraad: the PRI and the approvals


def test_screening_form_marks_a_new_use_so_a_pri_is_required(app, web, leidraad_world):
    from plugins.leidraad.models import Screening
    client, _ = web("mt_manager")
    pump = leidraad_world["pump"]
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Nieuwe of aangepaste toepassing" in page
    _screen(client, pump.id, usage_context="low", impact="low", product_risk="low", new_or_adapted_use="y")
    with app.app_context():
        screening = db.session.scalar(select(Screening).where(Screening.device_type_id == pump.id))
        assert screening.new_or_adapted_use and screening.pri_required
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Deze screening vraagt een PRI." in page and 'id="approve-pri"' in page


def test_approval_forms_show_who_may_give_them_and_no_select_of_staff(web, leidraad_world):
    client, _ = web("admin")
    pump = leidraad_world["pump"]
    _screen(client, pump.id, usage_context="low", impact="low", product_risk="low")
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert 'id="approve-technical"' in page and 'id="approve-clinical"' in page
    assert 'id="approve-pri"' not in page  # this screening requires no PRI
    assert "Mag het geven (rol met B in de TVB-matrix):" in page
    assert "Petra Vrijgever (P-1001)" in page and "Kees Omstander" not in page  # the eligible, not everybody
    assert '<option value="P-1001">Petra Vrijgever</option>' in page
    assert 'name="technical-person"' in page and '<select id="technical-person"' not in page


def test_approval_good_submission_is_written_and_shown(app, web, leidraad_world):
    from plugins.leidraad.models import Approval
    client, _ = web("mt_manager")
    pump = leidraad_world["pump"]
    _screen(client, pump.id)
    response = _approve(client, pump.id, "technical", "P-1001")
    assert response.status_code == 302 and response.headers["Location"].endswith("#approvals")
    assert _count(app, Approval, device_type_id=pump.id, kind="technical") == 1
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Technisch akkoord vastgelegd: Petra Vrijgever op " + TODAY.strftime("%d-%m-%Y") in page
    table = page[page.index('id="approvals-table"'):]
    assert "Petra Vrijgever" in table and TODAY.strftime("%d-%m-%Y") in table
    # typed by name instead of number: the same person
    assert _approve(client, pump.id, "clinical", "petra vrijgever").status_code == 302
    assert _count(app, Approval, device_type_id=pump.id, kind="clinical") == 1


def test_approval_by_someone_not_authorised_is_422_in_dutch_next_to_the_field(app, web, leidraad_world):
    from plugins.leidraad.models import Approval
    client, _ = web("admin")
    pump = leidraad_world["pump"]
    _screen(client, pump.id)
    response = _approve(client, pump.id, "technical", "K-2002")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    label = _errors_of(html, "technical-person")
    assert "Deze persoon heeft op " + TODAY.strftime("%d-%m-%Y") + " geen rol met B voor 'Technische vrijgave'." in label
    assert "holds no role" not in html
    assert _count(app, Approval, device_type_id=pump.id) == 0


@pytest.mark.parametrize("form, field_id, text", [
    ({"technical-person": "", "technical-date": TODAY.isoformat()}, "technical-person", "Vul in wie het geeft"),
    ({"technical-person": "Niemand Bekend", "technical-date": TODAY.isoformat()}, "technical-person",
     "Geen medewerker met deze naam of dit personeelsnummer."),
    ({"technical-person": "P-1001", "technical-date": "30-11-2026x"}, "technical-date", "Vul een datum in zoals 30-11-2026."),
    ({"technical-person": "P-1001", "technical-date": "1900-01-01"}, "technical-date", "tussen 01-01-1950 en 31-12-2100"),
    ({"technical-person": "P-1001", "technical-date": (TODAY - dt.timedelta(days=1)).isoformat()}, "technical-date",
     "Geen risicoscreening op of vóór deze datum"),
])
def test_bad_approval_is_422_with_the_error_next_to_its_field(app, web, leidraad_world, form, field_id, text):
    from plugins.leidraad.models import Approval
    client, _ = web("admin")
    pump = leidraad_world["pump"]
    _screen(client, pump.id)
    response = client.post(f"/device-types/{pump.id}/approvals/technical", data=form)
    assert response.status_code == 422
    assert text in _errors_of(response.get_data(as_text=True), field_id)
    assert _count(app, Approval, device_type_id=pump.id) == 0


def test_unknown_approval_kind_is_404(web, leidraad_world):
    client, _ = web("admin")
    assert client.post(f"/device-types/{leidraad_world['pump'].id}/approvals/everything",
                       data={"everything-person": "P-1001"}).status_code == 404


@pytest.mark.parametrize("role", ["manager", "technician", "tvb_admin", "auditor"])
def test_only_hospital_wide_writers_see_and_may_post_the_leidraad_forms(app, web, make, leidraad_world, role):
    from plugins.leidraad.models import Approval, Release, SafetyNotice
    pump = leidraad_world["pump"]
    writer, _ = web("admin")
    _screen(writer, pump.id)
    staff = make.staff()
    client, _ = web(role, staff_id=staff.id)
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Goedkeuringen en vrijgave" in page  # everyone reads it
    assert 'id="approve-technical"' not in page and 'id="release-start"' not in page
    assert "Veiligheidsmelding vastleggen" not in page
    assert _approve(client, pump.id, "technical", "P-1001").status_code == 403
    assert client.post(f"/device-types/{pump.id}/release",
                       data={"date": TODAY.isoformat(), "confirmed": "y"}).status_code == 403
    assert client.post(f"/device-types/{pump.id}/safety-notices",
                       data={"title": "FSN", "issued_on": TODAY.isoformat(),
                             "reinstruct_by": TODAY.isoformat()}).status_code == 403
    assert _count(app, Approval) == 0 and _count(app, Release) == 0 and _count(app, SafetyNotice) == 0


# ------------------------------------------------------------------ Leidraad: the release (vrijgave)


def test_release_refused_while_something_is_missing_then_confirmed_and_written(app, web, leidraad_world):
    from core.devices.models import DeviceType
    from plugins.leidraad.models import Release
    client, _ = web("mt_manager")
    pump = leidraad_world["pump"]
    _screen(client, pump.id, new_risk_insights="y")  # a PRI is required too
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    missing = page[page.index('id="release-missing"'):]
    missing = missing[:missing.index("</ul>")]
    assert "prospectieve risico-inventarisatie (PRI)" in missing and "Geen technisch akkoord." in missing
    assert "no_pri" not in page and "no_technical_approval" not in page  # no internal codes on a Dutch page
    start = page[page.index('id="release-start"'):]
    assert re.search(r"<button type=\"submit\" disabled", start[:start.index("</form>")])
    # refused server-side as well, however it is sent, and nothing is written
    refused = client.post(f"/device-types/{pump.id}/release", data={"date": TODAY.isoformat(), "confirmed": "y"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Niet vrijgegeven: op " + TODAY.strftime("%d-%m-%Y") in html
    assert "Geen klinisch akkoord." in html
    assert _count(app, Release, device_type_id=pump.id) == 0
    for kind in ("pri", "technical", "clinical"):
        assert _approve(client, pump.id, kind, "P-1001").status_code == 302
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert 'id="release-missing"' not in page
    # step 1: asks to confirm, writes nothing
    ask = client.post(f"/device-types/{pump.id}/release", data={"date": TODAY.isoformat()})
    html = ask.get_data(as_text=True)
    assert ask.status_code == 200 and 'id="release-confirm"' in html
    assert "Fresenius Agilia vrijgeven voor gebruik vanaf " + TODAY.strftime("%d-%m-%Y") + "?" in html
    assert 'name="confirmed" value="y"' in html
    assert _count(app, Release, device_type_id=pump.id) == 0
    # step 2: confirmed
    done = client.post(f"/device-types/{pump.id}/release", data={"date": TODAY.isoformat(), "confirmed": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#release")
    assert _count(app, Release, device_type_id=pump.id) == 1
    with app.app_context():
        released = db.session.get(DeviceType, pump.id)
        assert released.released_on == TODAY and released.lifecycle_phase == 6
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Vrijgegeven voor gebruik vanaf " + TODAY.strftime("%d-%m-%Y") in page


def test_release_with_a_bad_date_is_422_next_to_the_field(app, web, leidraad_world):
    from plugins.leidraad.models import Release
    client, _ = web("admin")
    response = client.post(f"/device-types/{leidraad_world['pump'].id}/release", data={"date": "morgen"})
    assert response.status_code == 422
    assert "Vul een datum in zoals 30-11-2026." in _errors_of(response.get_data(as_text=True), "date")
    assert _count(app, Release) == 0


# ------------------------------------------------------------------ Leidraad: safety notices


def test_safety_notice_good_bad_and_shown(app, web, leidraad_world):
    from plugins.leidraad.models import SafetyNotice
    client, _ = web("mt_manager")
    pump = leidraad_world["pump"]
    later = TODAY + dt.timedelta(days=30)
    bad = client.post(f"/device-types/{pump.id}/safety-notices",
                      data={"title": "FSN software 2.3", "issued_on": later.isoformat(), "reinstruct_by": TODAY.isoformat()})
    assert bad.status_code == 422
    assert "De herinstructie kan niet vóór de uitgifte van de veiligheidsmelding vallen." in _errors_of(
        bad.get_data(as_text=True), "reinstruct_by")
    empty = client.post(f"/device-types/{pump.id}/safety-notices",
                        data={"title": "", "issued_on": TODAY.isoformat(), "reinstruct_by": later.isoformat()})
    assert empty.status_code == 422 and "Vul de titel van de melding in." in _errors_of(
        empty.get_data(as_text=True), "title")
    assert _count(app, SafetyNotice, device_type_id=pump.id) == 0
    good = client.post(f"/device-types/{pump.id}/safety-notices",
                       data={"title": "FSN software 2.3", "issued_on": TODAY.isoformat(), "reinstruct_by": later.isoformat()})
    assert good.status_code == 302
    assert _count(app, SafetyNotice, device_type_id=pump.id) == 1
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "FSN software 2.3" in page and later.strftime("%d-%m-%Y") in page


# ------------------------------------------------------------------ BIG: the registration on the profile


def _big_form(**overrides):
    return {"big_number": "19012345601", "registered_on": "2021-09-01", "diploma_on": "2021-06-30",
            "status": "registered", "status_since": "", "restriction": "", **overrides}


def test_big_registration_recorded_from_the_profile(app, client, web, make):
    from plugins.big_kt.models import KtRegistration
    person = make.staff(name="Klaas Technoloog")
    writer, _ = web("admin")
    page = writer.get(f"/staff/{person.id}").get_data(as_text=True)
    assert "BIG-registratie vastleggen" in page and "Geen BIG-registratie vastgelegd." in page
    response = writer.post(f"/staff/{person.id}/big/registration", data=_big_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("#big")
    assert _count(app, KtRegistration, staff_id=person.id) == 1
    page = writer.get(f"/staff/{person.id}").get_data(as_text=True)
    assert "BIG-registratie opgeslagen: 19012345601, geregistreerd sinds 01-09-2021." in page
    assert "BIG-registratie wijzigen" in page and "19012345601" in page


def test_big_change_from_the_page_keeps_what_the_form_does_not_show(app, client, web, make):
    from plugins.big_kt.models import KtRegistration
    _admin_id, admin = make.user("admin")
    person = make.staff()
    body = {"big_number": "19012345602", "registered_on": "2021-09-01", "status": "registered",
            "diploma_on": "2021-06-30", "institution": "Universiteit Twente", "track": "Imaging & Intervention"}
    assert client.put(f"{API}/big/staff/{person.id}/registration", json=body, headers=admin).status_code == 200
    writer, _ = web("admin")
    response = writer.post(f"/staff/{person.id}/big/registration",
                           data=_big_form(big_number="19012345602", status="suspended",
                                          status_since=(TODAY - dt.timedelta(days=3)).isoformat()))
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(KtRegistration).where(KtRegistration.staff_id == person.id))
        assert row.status == "suspended" and row.status_since == TODAY - dt.timedelta(days=3)
        assert row.institution == "Universiteit Twente" and row.track == "Imaging & Intervention"


@pytest.mark.parametrize("overrides, field_id, text", [
    ({"big_number": "123"}, "big_number", "Een BIG-nummer heeft precies 11 cijfers."),
    ({"big_number": ""}, "big_number", "Vul het BIG-nummer in."),
    ({"diploma_on": "2022-01-01"}, "diploma_on", "Het diploma is van na de registratie."),
    ({"registered_on": "31-11-2026"}, "registered_on", "Vul een datum in zoals 30-11-2026."),
    ({"status": "restricted"}, "restriction", "Een beperkte inschrijving heeft de tekst van de beperking nodig."),
    ({"status": "dead"}, "status", "Kies een waarde uit de lijst."),
])
def test_bad_big_registration_is_422_next_to_its_field(app, web, make, overrides, field_id, text):
    from plugins.big_kt.models import KtRegistration
    person = make.staff()
    writer, _ = web("admin")
    response = writer.post(f"/staff/{person.id}/big/registration", data=_big_form(**overrides))
    assert response.status_code == 422
    assert text in _errors_of(response.get_data(as_text=True), field_id)
    assert _count(app, KtRegistration) == 0


@pytest.mark.parametrize("role, status", [("technician", 403), ("auditor", 403), ("mt_manager", 403),
                                          ("tvb_admin", 403), ("manager", 404)])
def test_big_registration_only_for_admin_and_the_persons_manager(app, web, make, role, status):
    from plugins.big_kt.models import KtRegistration
    mine, theirs = make.department(), make.department()
    person = make.staff(department_id=theirs.id)
    own = {"staff_id": person.id} if role == "technician" else {"department_id": mine.id} if role == "manager" else {}
    client, _ = web(role, **own)  # the manager of another department
    assert "BIG-registratie vastleggen" not in client.get(f"/staff/{person.id}").get_data(as_text=True)
    assert client.post(f"/staff/{person.id}/big/registration", data=_big_form()).status_code == status
    assert _count(app, KtRegistration) == 0


def test_the_persons_own_manager_may_record_the_big_registration(app, web, make):
    from plugins.big_kt.models import KtRegistration
    department = make.department()
    person = make.staff(department_id=department.id)
    manager, _ = web("manager", department_id=department.id)
    assert "BIG-registratie vastleggen" in manager.get(f"/staff/{person.id}").get_data(as_text=True)
    assert manager.post(f"/staff/{person.id}/big/registration", data=_big_form()).status_code == 302
    assert _count(app, KtRegistration, staff_id=person.id) == 1


# ------------------------------------------------------------------ Leidraad: the device type's own requirements


def _override_form(**overrides):
    form = {"valid_from": TODAY.isoformat(), "user-method": "", "user-interval_months": "",
            "key_user-method": "", "key_user-interval_months": "", "technician-method": "training_and_assessment",
            "technician-interval_months": "6", "trainer-method": "", "trainer-interval_months": ""}
    form.update(overrides)
    return form


def _override_rows(app, type_id):
    from plugins.leidraad.models import RequirementOverride
    with app.app_context():
        return [r.requirements for r in db.session.scalars(
            select(RequirementOverride).where(RequirementOverride.device_type_id == type_id)
            .order_by(RequirementOverride.id))]


def test_own_requirements_set_shown_and_removed(app, web, leidraad_world):
    client, _ = web("mt_manager")
    pump = leidraad_world["pump"]
    _screen(client, pump.id)
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Geen eigen eisen: elke rol volgt het beleid van de risicoklasse." in page
    response = client.post(f"/device-types/{pump.id}/override", data=_override_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("#own-requirements")
    assert _override_rows(app, pump.id) == [{"technician": {"method": "training_and_assessment", "interval_months": 6}}]
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Eigen eisen opgeslagen vanaf " + TODAY.strftime("%d-%m-%Y") in page
    assert "Dit apparaattype heeft eigen eisen voor: technicus." in page
    assert "elke 6 maanden" in page and "eigen eis" in page  # the requirements panel follows
    assert '<option selected value="training_and_assessment">' in page  # the form shows what is in force
    removed = client.post(f"/device-types/{pump.id}/override", data=_override_form(remove="y"))
    assert removed.status_code == 302
    assert _override_rows(app, pump.id) == [None]  # the same day's change replaced
    assert "Geen eigen eisen" in client.get(f"/device-types/{pump.id}").get_data(as_text=True)


@pytest.mark.parametrize("overrides, field_id, text", [
    ({"technician-interval_months": "0"}, "technician-interval_months",
     "Tussen 1 en 240 maanden, of leeg als de bekwaamheid niet verloopt."),
    ({"technician-interval_months": "zes"}, "technician-interval_months", "Vul een heel aantal maanden in."),
    ({"technician-method": "guesswork"}, "technician-method", "Kies een waarde uit de lijst."),
    ({"valid_from": (TODAY - dt.timedelta(days=1)).isoformat()}, "valid_from",
     "Vandaag of later: het verleden is beslist zoals het toen stond."),
])
def test_bad_own_requirements_are_422_next_to_the_field(app, web, leidraad_world, overrides, field_id, text):
    client, _ = web("admin")
    pump = leidraad_world["pump"]
    response = client.post(f"/device-types/{pump.id}/override", data=_override_form(**overrides))
    assert response.status_code == 422
    html = html_lib.unescape(response.get_data(as_text=True))
    cell = html[html.index(f'id="{field_id}"'):]
    assert text in cell[:cell.index("</t" if field_id != "valid_from" else "</label>")]
    assert _override_rows(app, pump.id) == []


def test_own_requirements_without_any_method_is_422(app, web, leidraad_world):
    client, _ = web("admin")
    pump = leidraad_world["pump"]
    response = client.post(f"/device-types/{pump.id}/override",
                           data=_override_form(**{"technician-method": "", "technician-interval_months": ""}))
    assert response.status_code == 422
    assert "Kies voor minstens één rol een methode" in response.get_data(as_text=True)
    assert _override_rows(app, pump.id) == []


@pytest.mark.parametrize("role", ["manager", "technician", "tvb_admin", "auditor"])
def test_own_requirements_only_for_hospital_wide_writers(app, web, make, leidraad_world, role):
    pump = leidraad_world["pump"]
    client, _ = web(role, staff_id=make.staff().id)
    page = client.get(f"/device-types/{pump.id}").get_data(as_text=True)
    assert "Eigen eisen van dit apparaattype" in page and 'id="override-form"' not in page
    assert client.post(f"/device-types/{pump.id}/override", data=_override_form()).status_code == 403
    assert _override_rows(app, pump.id) == []


def test_eligible_approvers_are_those_with_b_on_the_day_and_active(app, client, make, leidraad_world):
    from core.staff.models import Staff
    from plugins.leidraad import services
    admin, pump = leidraad_world["admin"], leidraad_world["pump"]
    later = make.staff(name="Lotte Later")
    role = _api(client, admin, "/tvb/roles", {"name": "Vrijgeverrol vanaf morgen"})["id"]
    with app.app_context():
        from core.tvb.models import Activity
        technical = db.session.scalar(select(Activity.id).where(Activity.name == "Technische vrijgave"))
    _api(client, admin, "/tvb/cells", {"role_id": role, "activity_id": technical, "letters": "TVB"})
    tomorrow = TODAY + dt.timedelta(days=1)
    _api(client, admin, "/tvb/assignments", {"staff_id": later.id, "role_id": role, "valid_from": str(tomorrow)})
    with app.app_context():
        from core.devices.models import DeviceType
        device_type = db.session.get(DeviceType, pump.id)
        names = lambda on: [s.name for s in services.eligible_approvers("technical", device_type, on)]  # noqa: E731
        assert names(TODAY) == ["Petra Vrijgever"]
        assert names(tomorrow) == ["Lotte Later", "Petra Vrijgever"]
        assert [s.name for s in services.eligible_approvers("clinical", device_type, tomorrow)] == ["Petra Vrijgever"]
        db.session.get(Staff, leidraad_world["approver"].id).active = False
        db.session.flush()
        assert names(TODAY) == []
        db.session.rollback()
