"""The core's write forms end to end: Chromium on the demo hospital (CSRF on, the Content-Security-Policy on).

A manager records a competence from a profile and runs a training session for three people;
an admin adds a device type and a person. Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.web.conftest import log_in

pytestmark = pytest.mark.browser

ADMIN, MANAGER = "admin@bekwaam.demo", "manager@bekwaam.demo"
TODAY = dt.date.today()


def watch_csp(page) -> list:
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def no_error(page):
    assert page.locator(".error-box").count() == 0, page.url


def people_of(live_server, department_code: str, n: int) -> list:
    """(id, name, employee number) of ``n`` active people of a demo department, and the assessor (the head)."""
    from core.staff.models import Department, Staff
    with live_server["app"].app_context():
        rows = db.session.execute(
            select(Staff.id, Staff.name, Staff.employee_number).join(Department, Department.id == Staff.department_id)
            .where(Department.code == department_code, Staff.active.is_(True)).order_by(Staff.id).limit(n)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def head(live_server):
    from core.staff.models import Staff
    with live_server["app"].app_context():
        row = db.session.execute(select(Staff.name, Staff.employee_number)
                                 .where(Staff.employee_number == "100001")).one()
        db.session.remove()
    return tuple(row)


def competences_of(live_server, staff_ids, model: str) -> list:
    from core.competence.models import Competence
    from core.devices.models import DeviceType
    with live_server["app"].app_context():
        rows = db.session.execute(
            select(Competence.staff_id, Competence.role, Competence.obtained_on, Competence.assessor_id)
            .join(DeviceType, DeviceType.id == Competence.device_type_id)
            .where(Competence.staff_id.in_(staff_ids), DeviceType.model == model,
                   Competence.obtained_on == TODAY, Competence.role == "key_user")).all()
        db.session.remove()
    return rows


def choose_device_type(page, typed: str, model: str) -> None:
    """Type in the search box; htmx fills the select with suggestions; choose the one wanted."""
    page.locator("#device-type-search").press_sequentially(typed, delay=40)
    option = page.locator("#device_type_id option", has_text=model)
    option.first.wait_for(state="attached")
    page.select_option("#device_type_id", value=option.first.get_attribute("value"))


def choose_assessor(page, name: str, number: str) -> None:
    field = page.locator("#assessor_number")
    field.press_sequentially(name.split()[0][:5], delay=40)
    page.locator(f"#assessor-suggestions option[value='{number}']").wait_for(state="attached")
    field.fill(number)


def test_a_manager_records_a_competence_from_the_profile(page, live_server, shot):
    violations = watch_csp(page)
    (staff_id, name, _number), = people_of(live_server, "MT-ACUUT", 1)
    head_name, head_number = head(live_server)
    log_in(page, MANAGER)
    page.goto(f"/staff/{staff_id}")
    page.locator("#record-competence").click()
    page.wait_for_url(f"**/staff/{staff_id}/competences/new")
    no_error(page)
    # First a mistake: no device type. The refusal appears next to the field, in Dutch.
    page.locator("#competence-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#device_type_id-error").inner_text() == "Kies een type hulpmiddel."
    choose_device_type(page, "Perseus", "Perseus A500")
    page.select_option("#role", value="key_user")
    page.select_option("#method", value="training_and_assessment")
    choose_assessor(page, head_name, head_number)
    shot(page, "forms-01-record-competence")
    page.locator("#competence-form button[type=submit]").click()
    page.wait_for_url(f"**/staff/{staff_id}#competences")
    assert "Bekwaamheid vastgelegd" in page.locator(".flash-success").inner_text()
    row = page.locator("#competences tr", has_text="Perseus A500").filter(has_text=TODAY.strftime("%d-%m-%Y"))
    assert row.count() >= 1
    shot(page, "forms-02-profile-after-recording")
    found = competences_of(live_server, [staff_id], "Perseus A500")
    assert len(found) == 1 and found[0].assessor_id is not None
    assert not violations, violations


def test_a_manager_runs_a_training_session_for_three_people(page, live_server, shot):
    violations = watch_csp(page)
    people = people_of(live_server, "MT-ALG", 3)
    head_name, head_number = head(live_server)
    log_in(page, MANAGER)
    page.goto("/staff")
    page.locator("#training-session").click()
    page.wait_for_url("**/competences/session")
    no_error(page)
    choose_device_type(page, "Evita", "Evita V800")
    page.select_option("#role", value="key_user")
    page.select_option("#method", value="training")
    choose_assessor(page, head_name, head_number)
    for _id, _name, number in people:
        page.locator(f"#people input[value='{number}']").check()
    shot(page, "forms-03-training-session")
    page.locator("#session-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Trainingssessie vastgelegd voor 3 personen." in page.locator(".flash-success").inner_text()
    found = competences_of(live_server, [p[0] for p in people], "Evita V800")
    assert sorted(r.staff_id for r in found) == sorted(p[0] for p in people)
    assert not violations, violations


def test_an_admin_adds_a_device_type_and_a_person(page, live_server, shot):
    violations = watch_csp(page)
    log_in(page, ADMIN)
    page.goto("/device-types")
    page.locator("#add-device-type").click()
    page.wait_for_url("**/device-types/new")
    page.locator("#manufacturer").fill("Mindray")
    page.locator("#model").fill("BeneVision N22")
    page.locator("#name").fill("Patiëntmonitor")
    page.select_option("#technology_group_id", index=1)
    page.select_option("#mdr_class", value="IIb")
    page.locator("#device-type-form button[type=submit]").click()
    page.wait_for_url("**/device-types/*")
    no_error(page)
    assert page.locator("h1").inner_text() == "Mindray BeneVision N22"
    assert "1. Behoeftebepaling" in page.locator("#phase-history").inner_text()
    shot(page, "forms-04-device-type-added")

    page.goto("/staff")
    page.locator("#add-person").click()
    page.wait_for_url("**/staff/new")
    page.locator("#employee_number").fill("900123")
    page.locator("#name").fill("Noor van Dijk")
    page.select_option("#employment_type", value="external")
    page.locator("#staff-form button[type=submit]").click()  # an external person without a company
    page.wait_for_load_state()
    assert page.locator("#company-error").inner_text() == \
        "Een externe medewerker heeft het bedrijf nodig waarvoor hij of zij werkt."
    page.locator("#company").fill("Medisch Techniek BV")
    page.select_option("#department_id", index=1)
    page.locator("#start_date").fill(TODAY.isoformat())
    page.locator("#staff-form button[type=submit]").click()
    page.wait_for_url("**/staff/*")
    no_error(page)
    assert page.locator("h1").inner_text() == "Noor van Dijk"
    assert "900123" in page.locator("hgroup").inner_text()
    shot(page, "forms-05-person-added")
    assert not violations, violations
