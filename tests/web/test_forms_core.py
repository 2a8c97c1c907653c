"""The core's write forms: competences (one person, a renewal, a training session), people,
device types and their lifecycle, TVB roles. Each form: a good submission (written, visible
after the redirect), a bad one (422, the Dutch refusal beside its field, nothing written) and
a role that may not write (refused, and no link on the page)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from core.competence.models import Competence
from core.devices.models import DeviceType, DeviceTypePhase
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Assignment, Role

TODAY = dt.date.today()


@pytest.fixture
def w(app, make, web):
    """Departments A and B; in A Anna, Bert, Carl and the trainer Tina; in B Dora; a device type; a TVB role."""
    a, b = make.department(name="Afdeling A"), make.department(name="Afdeling B")
    people = {key: make.staff(name=name, department_id=dept.id) for key, name, dept in [
        ("anna", "Anna Jansen", a), ("bert", "Bert de Vries", a), ("carl", "Carl Smit", a),
        ("tina", "Tina Trainer", a), ("dora", "Dora Bakker", b)]}
    device_type = make.device_type(manufacturer="Dräger", model="Evita V800", name="Beademingstoestel")
    with app.app_context():
        role = Role(name="MT4 IC")
        db.session.add(role)
        db.session.commit()
        role_id = role.id
    return {"a": a, "b": b, "dt": device_type, "role_id": role_id, "web": web, "app": app, **people}


def client_as(w, role, **kw):
    if role == "manager" and not kw:
        kw = {"department_id": w["a"].id}
    if role == "technician" and not kw:
        kw = {"staff_id": w["anna"].id}
    return w["web"](role, **kw)[0]


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def competence_form(w, **changes):
    form = {"device_type_id": str(w["dt"].id), "role": "user", "method": "training_and_assessment",
            "obtained_on": TODAY.isoformat(), "assessor_number": w["tina"].employee_number, "expires_on": "",
            "evidence": "Presentielijst 12"}
    form.update(changes)
    return form


def field_error(html: str, field_id: str) -> str:
    """The text of the refusal right below the input ``field_id`` (empty when there is none)."""
    found = re.search(rf'id="{field_id}-error">([^<]*)<', html)
    return found.group(1) if found else ""


# --------------------------------------------------------------------- one person's competence


def test_a_manager_records_a_competence_and_sees_it_on_the_profile(w):
    client = client_as(w, "manager")
    profile = client.get(f"/staff/{w['anna'].id}").get_data(as_text=True)
    assert f'/staff/{w["anna"].id}/competences/new' in profile  # the link for a writer
    response = client.post(f"/staff/{w['anna'].id}/competences/new", data=competence_form(w))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Evita V800" in page and TODAY.strftime("%d-%m-%Y") in page
    assert "Bekwaamheid vastgelegd" in page
    with w["app"].app_context():
        row = db.session.scalar(select(Competence).where(Competence.staff_id == w["anna"].id))
        assert (row.device_type_id, row.role, row.assessor_id, row.evidence) == (
            w["dt"].id, "user", w["tina"].id, "Presentielijst 12")


def test_own_assessor_is_refused_beside_the_assessor_field(w):
    client = client_as(w, "manager")
    response = client.post(f"/staff/{w['anna'].id}/competences/new",
                           data=competence_form(w, assessor_number=w["anna"].employee_number))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "assessor_number") == \
        "Niemand beoordeelt de eigen bekwaamheid."
    assert count(w["app"], Competence) == 0


def test_missing_device_type_and_date_are_refused_in_dutch(w):
    client = client_as(w, "manager")
    response = client.post(f"/staff/{w['anna'].id}/competences/new",
                           data=competence_form(w, device_type_id="", obtained_on=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "device_type_id") == "Kies een type hulpmiddel."
    assert field_error(html, "obtained_on") == "Dit veld is vereist."
    assert count(w["app"], Competence) == 0


def test_an_expiry_before_the_day_obtained_is_refused(w, monkeypatch):
    import core.competence.services
    monkeypatch.setattr(core.competence.services, "competence_expiry", lambda competence: None)  # no plugin decides
    client = client_as(w, "manager")
    response = client.post(f"/staff/{w['anna'].id}/competences/new",
                           data=competence_form(w, expires_on=(TODAY - dt.timedelta(days=1)).isoformat()))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "expires_on") == \
        "De vervaldatum moet na de datum van verkrijgen liggen."
    assert count(w["app"], Competence) == 0


def test_the_plugin_computes_the_expiry_where_it_owns_the_requirement(w):
    """Leidraad Medische Technologie 2026: the expiry follows the risk class; a typed one is not kept."""
    from plugins.leidraad import services as leidraad
    with w["app"].app_context():
        leidraad.add_screening(db.session.get(DeviceType, w["dt"].id), {
            "screened_on": TODAY, "product_risk": "high", "usage_context": "high", "novelty": "high",
            "impact": "high", "note": None}, None)
        db.session.commit()
    client = client_as(w, "manager")
    response = client.post(f"/staff/{w['anna'].id}/competences/new",
                           data=competence_form(w, expires_on=(TODAY + dt.timedelta(days=3)).isoformat()))
    assert response.status_code == 302
    with w["app"].app_context():
        row = db.session.scalar(select(Competence).where(Competence.staff_id == w["anna"].id))
        assert row.expiry_source == "leidraad" and row.expires_on not in (None, TODAY + dt.timedelta(days=3))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"zij vervalt op {row.expires_on.strftime('%d-%m-%Y')}" in page


def test_an_unknown_assessor_number_is_refused(w):
    response = client_as(w, "manager").post(f"/staff/{w['anna'].id}/competences/new",
                                            data=competence_form(w, assessor_number="NOBODY"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "assessor_number") == \
        "Geen persoon met dit personeelsnummer."


@pytest.mark.parametrize("role, status", [("technician", 403), ("auditor", 403), ("tvb_admin", 403),
                                          ("mt_manager", 403)])
def test_roles_that_may_not_record_are_refused(w, role, status):
    client = client_as(w, role)
    assert client.post(f"/staff/{w['anna'].id}/competences/new", data=competence_form(w)).status_code == status
    assert client.get(f"/staff/{w['anna'].id}/competences/new").status_code == status
    profile = client.get(f"/staff/{w['anna'].id}").get_data(as_text=True)
    assert "/competences/new" not in profile and "record-competence" not in profile
    assert count(w["app"], Competence) == 0


def test_a_manager_of_another_department_is_told_nothing(w):
    client = client_as(w, "manager", department_id=w["b"].id)
    assert client.post(f"/staff/{w['anna'].id}/competences/new", data=competence_form(w)).status_code == 404
    assert count(w["app"], Competence) == 0


def test_a_renewal_is_a_new_record_prefilled_from_the_old_one(w):
    with w["app"].app_context():
        old = Competence(staff_id=w["anna"].id, device_type_id=w["dt"].id, role="key_user", method="training",
                         obtained_on=TODAY - dt.timedelta(days=800), expires_on=TODAY - dt.timedelta(days=70),
                         assessor_id=w["tina"].id)
        db.session.add(old)
        db.session.commit()
        old_id = old.id
    client = client_as(w, "manager")
    assert f"/competences/{old_id}/renew" in client.get(f"/staff/{w['anna'].id}").get_data(as_text=True)
    form_page = client.get(f"/staff/{w['anna'].id}/competences/{old_id}/renew").get_data(as_text=True)
    assert re.search(rf'<option selected value="{w["dt"].id}">Dräger Evita V800', form_page)
    assert '<option selected value="key_user">' in form_page and w["tina"].employee_number in form_page
    response = client.post(f"/staff/{w['anna'].id}/competences/{old_id}/renew",
                           data=competence_form(w, role="key_user", method="training"))
    assert response.status_code == 302
    with w["app"].app_context():
        rows = db.session.scalars(select(Competence).where(Competence.staff_id == w["anna"].id)
                                  .order_by(Competence.id)).all()
        assert [r.obtained_on for r in rows] == [TODAY - dt.timedelta(days=800), TODAY]
        assert rows[0].expires_on == TODAY - dt.timedelta(days=70)  # the old one as it was


def test_a_renewal_of_another_persons_competence_is_not_found(w):
    with w["app"].app_context():
        other = Competence(staff_id=w["bert"].id, device_type_id=w["dt"].id, role="user", method="training",
                           obtained_on=TODAY)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    client = client_as(w, "manager")
    assert client.get(f"/staff/{w['anna'].id}/competences/{other_id}/renew").status_code == 404


# --------------------------------------------------------------------- a training session


def session_form(w, people, **changes):
    form = competence_form(w, **changes)
    form.pop("evidence")
    form["people"] = [w[p].employee_number for p in people]
    return form


def test_a_training_session_records_everyone_at_once(w):
    client = client_as(w, "manager")
    page = client.get("/competences/session").get_data(as_text=True)
    assert w["anna"].employee_number in page and w["dora"].employee_number not in page  # the manager's own people
    data = session_form(w, ["anna", "bert"], numbers=w["carl"].employee_number)
    response = client.post("/competences/session", data=data)
    assert response.status_code == 302
    assert "Trainingssessie vastgelegd voor 3 personen." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    with w["app"].app_context():
        staff_ids = set(db.session.scalars(select(Competence.staff_id).where(Competence.device_type_id == w["dt"].id)))
    assert staff_ids == {w["anna"].id, w["bert"].id, w["carl"].id}


def test_a_training_session_is_all_or_nothing_and_names_each_refused_person(w):
    client = client_as(w, "manager")
    data = session_form(w, ["anna", "tina"], numbers=f"{w['dora'].employee_number}; {w['bert'].employee_number}")
    response = client.post("/competences/session", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    refusals = re.search(r'<ul class="reasons" id="session-refusals">(.*?)</ul>', html, re.S).group(1)
    assert f"Tina Trainer ({w['tina'].employee_number})</strong>: Niemand beoordeelt de eigen bekwaamheid." \
        in refusals
    # Dora is in another department: named by the number typed only, never by her name.
    assert f"<strong>{w['dora'].employee_number}</strong>: Geen persoon met dit personeelsnummer" in refusals
    assert "Dora" not in html
    assert "Anna" not in refusals and "Bert" not in refusals
    assert count(w["app"], Competence) == 0  # Anna and Bert were fine, and are not written either


def test_a_session_without_people_is_refused(w):
    response = client_as(w, "manager").post("/competences/session", data=session_form(w, []))
    assert response.status_code == 422
    assert "Kies ten minste één persoon." in response.get_data(as_text=True)
    assert count(w["app"], Competence) == 0


@pytest.mark.parametrize("role", ["technician", "auditor", "tvb_admin", "mt_manager"])
def test_roles_that_may_not_record_have_no_training_session(w, role):
    client = client_as(w, role)
    assert client.post("/competences/session", data=session_form(w, ["anna"])).status_code == 403
    assert client.get("/competences/session").status_code == 403
    assert "/competences/session" not in client.get("/staff").get_data(as_text=True)
    assert count(w["app"], Competence) == 0


# --------------------------------------------------------------------- people


def staff_form(**changes):
    form = {"employee_number": "N-100", "name": "Nina Nieuw", "email": "nina@example.org", "department_id": "",
            "manager_number": "", "employment_type": "internal", "company": "", "start_date": "2026-01-05",
            "active": "y"}
    form.update(changes)
    return form


def test_a_manager_adds_a_person_to_their_department(w):
    client = client_as(w, "manager")
    assert "/staff/new" in client.get("/staff").get_data(as_text=True)
    response = client.post("/staff/new", data=staff_form(department_id=str(w["a"].id),
                                                         manager_number=w["tina"].employee_number))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nina Nieuw" in page and "N-100" in page
    with w["app"].app_context():
        nina = db.session.scalar(select(Staff).where(Staff.employee_number == "N-100"))
        assert (nina.department_id, nina.manager_id, nina.start_date) == (w["a"].id, w["tina"].id, dt.date(2026, 1, 5))


def test_an_external_person_without_company_is_refused(w):
    response = client_as(w, "admin").post("/staff/new", data=staff_form(employment_type="external"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "company") == \
        "Een externe medewerker heeft het bedrijf nodig waarvoor hij of zij werkt."
    assert count(w["app"], Staff, Staff.employee_number == "N-100") == 0


def test_a_used_employee_number_is_refused(w):
    response = client_as(w, "admin").post("/staff/new", data=staff_form(employee_number=w["anna"].employee_number))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "employee_number") == "Al in gebruik."
    assert count(w["app"], Staff, Staff.name == "Nina Nieuw") == 0


def test_a_manager_cannot_place_a_person_in_another_department(w):
    response = client_as(w, "manager").post("/staff/new", data=staff_form(department_id=str(w["b"].id)))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "department_id") == "Ongeldige keuze."
    assert count(w["app"], Staff, Staff.employee_number == "N-100") == 0


@pytest.mark.parametrize("role", ["technician", "auditor", "tvb_admin", "mt_manager"])
def test_roles_that_may_not_add_people_are_refused(w, role):
    client = client_as(w, role)
    assert client.post("/staff/new", data=staff_form()).status_code == 403
    assert client.post(f"/staff/{w['anna'].id}/edit", data=staff_form()).status_code == 403
    assert "/staff/new" not in client.get("/staff").get_data(as_text=True)
    assert count(w["app"], Staff, Staff.employee_number == "N-100") == 0


def test_a_manager_edits_a_person_of_their_department(w):
    client = client_as(w, "manager")
    edit_page = client.get(f"/staff/{w['anna'].id}/edit").get_data(as_text=True)
    assert 'value="Anna Jansen"' in edit_page
    response = client.post(f"/staff/{w['anna'].id}/edit", data=staff_form(
        employee_number=w["anna"].employee_number, name="Anna Jansen-de Wit", department_id=str(w["a"].id)))
    assert response.status_code == 302
    assert "Anna Jansen-de Wit" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_person_cannot_be_their_own_manager(w):
    response = client_as(w, "admin").post(f"/staff/{w['anna'].id}/edit", data=staff_form(
        employee_number=w["anna"].employee_number, department_id=str(w["a"].id),
        manager_number=w["anna"].employee_number))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "manager_number") == \
        "Niemand is de eigen leidinggevende."
    assert count(w["app"], Staff, Staff.name == "Nina Nieuw") == 0


def test_a_manager_of_another_department_cannot_edit(w):
    client = client_as(w, "manager", department_id=w["b"].id)
    assert client.post(f"/staff/{w['anna'].id}/edit", data=staff_form()).status_code == 404


# --------------------------------------------------------------------- device types and their lifecycle


def device_type_form(**changes):
    form = {"manufacturer": "Philips", "model": "IntelliVue MX750", "name": "Patiëntmonitor",
            "technology_group_id": "1", "mdr_class": "IIb", "lifecycle_phase": "1", "released_on": ""}
    form.update(changes)
    return form


def test_an_mt_manager_adds_a_device_type(w):
    client = client_as(w, "mt_manager")
    assert "/device-types/new" in client.get("/device-types").get_data(as_text=True)
    response = client.post("/device-types/new", data=device_type_form())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Philips IntelliVue MX750" in page and "1. Behoeftebepaling" in page


def test_a_type_registered_in_use_needs_its_release_date(w):
    response = client_as(w, "admin").post("/device-types/new", data=device_type_form(lifecycle_phase="6"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "released_on") == \
        "Een type dat in fase 6 of 7 wordt geregistreerd, heeft de datum van vrijgave nodig."
    assert count(w["app"], DeviceType, DeviceType.model == "IntelliVue MX750") == 0


def test_a_second_type_with_the_same_manufacturer_and_model_is_refused(w):
    response = client_as(w, "admin").post("/device-types/new", data=device_type_form(
        manufacturer="Dräger", model="Evita V800"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "model") == "Al in gebruik."
    assert count(w["app"], DeviceType) == 1


@pytest.mark.parametrize("role", ["manager", "technician", "auditor", "tvb_admin"])
def test_roles_that_may_not_write_device_types_are_refused(w, role):
    client = client_as(w, role)
    assert client.post("/device-types/new", data=device_type_form()).status_code == 403
    assert client.post(f"/device-types/{w['dt'].id}/edit", data=device_type_form()).status_code == 403
    assert client.post(f"/device-types/{w['dt'].id}/phase", data={"lifecycle_phase": "7", "confirm": "yes"}
                       ).status_code == 403
    assert "/device-types/new" not in client.get("/device-types").get_data(as_text=True)
    page = client.get(f"/device-types/{w['dt'].id}").get_data(as_text=True)
    assert "phase-form" not in page and "/edit" not in page
    assert count(w["app"], DeviceType, DeviceType.lifecycle_phase == 7) == 0


def test_editing_a_device_type(w):
    client = client_as(w, "admin")
    assert 'value="Evita V800"' in client.get(f"/device-types/{w['dt'].id}/edit").get_data(as_text=True)
    response = client.post(f"/device-types/{w['dt'].id}/edit", data=device_type_form(
        manufacturer="Dräger", model="Evita V800", name="IC-beademing"))
    assert response.status_code == 302
    assert "IC-beademing" in client.get(response.headers["Location"]).get_data(as_text=True)
    bad = client.post(f"/device-types/{w['dt'].id}/edit", data=device_type_form(model=""))
    assert bad.status_code == 422 and field_error(bad.get_data(as_text=True), "model") == "Dit veld is vereist."


def test_changing_the_phase_is_recorded_in_the_history(w):
    client = client_as(w, "admin")
    response = client.post(f"/device-types/{w['dt'].id}/phase", data={"lifecycle_phase": "3"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    history = re.search(r'<table class="striped compact" id="phase-history">(.*?)</table>', page, re.S).group(1)
    assert "3. Verwerving" in history and TODAY.strftime("%d-%m-%Y") in history


def test_phase_6_only_through_the_release(w):
    response = client_as(w, "admin").post(f"/device-types/{w['dt'].id}/phase", data={"lifecycle_phase": "6"})
    assert response.status_code == 422
    assert "Een type hulpmiddel komt alleen via de vrijgave in fase 6" in response.get_data(as_text=True)
    assert count(w["app"], DeviceType, DeviceType.lifecycle_phase == 6) == 0


def test_decommissioning_asks_for_confirmation_first(w):
    client = client_as(w, "admin")
    first = client.post(f"/device-types/{w['dt'].id}/phase", data={"lifecycle_phase": "7"})
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and 'name="confirm" value="yes"' in html
    assert "Buitengebruikstellen en afvoer" in html and TODAY.strftime("%d-%m-%Y") in html
    assert count(w["app"], DeviceType, DeviceType.lifecycle_phase == 7) == 0
    assert count(w["app"], DeviceTypePhase, DeviceTypePhase.phase == 7) == 0
    confirmed = client.post(f"/device-types/{w['dt'].id}/phase", data={"lifecycle_phase": "7", "confirm": "yes"})
    assert confirmed.status_code == 302
    assert count(w["app"], DeviceType, DeviceType.lifecycle_phase == 7) == 1
    assert count(w["app"], DeviceTypePhase, DeviceTypePhase.phase == 7) == 1


# --------------------------------------------------------------------- TVB roles from the profile


def test_a_manager_assigns_a_role_from_the_profile(w):
    client = client_as(w, "manager")
    assert "role-form" in client.get(f"/staff/{w['anna'].id}").get_data(as_text=True)
    response = client.post(f"/staff/{w['anna'].id}/roles", data={
        "role_id": str(w["role_id"]), "valid_from": "2026-01-01", "valid_to": ""})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "MT4 IC" in page and "01-01-2026" in page
    assert count(w["app"], Assignment, Assignment.staff_id == w["anna"].id) == 1


def test_a_role_ending_before_it_starts_is_refused_beside_the_field(w):
    response = client_as(w, "manager").post(f"/staff/{w['anna'].id}/roles", data={
        "role_id": str(w["role_id"]), "valid_from": "2026-01-01", "valid_to": "2025-12-31"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "valid_to") == \
        "De laatste dag kan niet vóór de eerste liggen."
    assert count(w["app"], Assignment) == 0


@pytest.mark.parametrize("role", ["technician", "auditor", "mt_manager"])
def test_roles_that_may_not_assign_are_refused(w, role):
    client = client_as(w, role)
    assert client.post(f"/staff/{w['anna'].id}/roles", data={
        "role_id": str(w["role_id"]), "valid_from": "2026-01-01"}).status_code == 403
    assert "role-form" not in client.get(f"/staff/{w['anna'].id}").get_data(as_text=True)
    assert count(w["app"], Assignment) == 0


@pytest.fixture
def assignment_id(w):
    with w["app"].app_context():
        assignment = Assignment(staff_id=w["anna"].id, role_id=w["role_id"], valid_from=dt.date(2025, 1, 1))
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def valid_to(w, assignment_id):
    with w["app"].app_context():
        return db.session.get(Assignment, assignment_id).valid_to


def test_ending_a_role_needs_the_confirmation(w, assignment_id):
    client = client_as(w, "tvb_admin")
    url = f"/staff/{w['anna'].id}/roles/{assignment_id}/end"
    assert url in client.get(f"/staff/{w['anna'].id}").get_data(as_text=True)
    confirm_page = client.get(url).get_data(as_text=True)
    assert "01-01-2025" in confirm_page and 'name="confirm" value="yes"' in confirm_page
    unconfirmed = client.post(url, data={"valid_to": TODAY.isoformat()})
    assert unconfirmed.status_code == 200 and valid_to(w, assignment_id) is None
    confirmed = client.post(url, data={"valid_to": TODAY.isoformat(), "confirm": "yes"})
    assert confirmed.status_code == 302 and valid_to(w, assignment_id) == TODAY
    assert TODAY.strftime("%d-%m-%Y") in client.get(confirmed.headers["Location"]).get_data(as_text=True)


def test_ending_a_role_before_it_started_is_refused(w, assignment_id):
    response = client_as(w, "manager").post(f"/staff/{w['anna'].id}/roles/{assignment_id}/end",
                                            data={"valid_to": "2024-12-31", "confirm": "yes"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "valid_to") == \
        "De laatste dag kan niet vóór de eerste liggen."
    assert valid_to(w, assignment_id) is None


@pytest.mark.parametrize("role", ["technician", "auditor", "mt_manager"])
def test_roles_that_may_not_assign_cannot_end_a_role(w, assignment_id, role):
    client = client_as(w, role)
    url = f"/staff/{w['anna'].id}/roles/{assignment_id}/end"
    assert client.post(url, data={"valid_to": TODAY.isoformat(), "confirm": "yes"}).status_code == 403
    assert url not in client.get(f"/staff/{w['anna'].id}").get_data(as_text=True)
    assert valid_to(w, assignment_id) is None


def test_the_forms_keep_csrf(w, csrf_on):
    client = client_as(w, "manager")
    response = client.post(f"/staff/{w['anna'].id}/competences/new", data=competence_form(w))
    assert response.status_code in (400, 422)
    assert count(w["app"], Competence) == 0


# --------------------------------------------------------------------- suggestions as one types


def test_person_suggestions_show_only_people_the_user_may_see(w):
    manager = client_as(w, "manager")
    page = manager.get("/staff/suggestions?assessor_number=Bakker").get_data(as_text=True)
    assert w["dora"].employee_number not in page  # Dora Bakker is in department B
    assert w["tina"].employee_number in manager.get("/staff/suggestions?assessor_number=Tina").get_data(as_text=True)
    admin = client_as(w, "admin")
    assert w["dora"].employee_number in admin.get("/staff/suggestions?manager_number=Bakker").get_data(as_text=True)
    assert client_as(w, "technician").get("/staff/suggestions?assessor_number=Tina").status_code == 403


def test_device_type_suggestions_give_ids_for_the_forms(w):
    page = client_as(w, "manager").get("/device-types/suggestions?device_type_search=evita+dräger").get_data(
        as_text=True)
    assert f'<option value="{w["dt"].id}" selected>Dräger Evita V800' in page
    assert 'value="' + str(w["dt"].id) not in client_as(w, "manager").get(
        "/device-types/suggestions?device_type_search=e").get_data(as_text=True)


def test_an_english_reader_gets_the_refusal_in_english(w):
    client = client_as(w, "manager")
    client.post("/language/en")
    response = client.post(f"/staff/{w['anna'].id}/competences/new",
                           data=competence_form(w, assessor_number=w["anna"].employee_number))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "assessor_number") == \
        "A person cannot assess their own competence."
