"""The web interface end to end: Chromium drives the pages of a live server (CSRF on, demo hospital).

Screenshots go to artifacts/screenshots/ (CI keeps them).
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.web.conftest import log_in

pytestmark = pytest.mark.browser

ADMIN, TVB_ADMIN, MANAGER, TECHNICIAN, AUDITOR = (
    "admin@bekwaam.demo", "tvb@bekwaam.demo", "manager@bekwaam.demo", "technicus@bekwaam.demo", "auditor@bekwaam.demo")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def no_error(page):
    assert page.locator(".error-box").count() == 0, page.url


def demo_ids(live_server) -> dict:
    from core.auth.models import User
    from core.devices.models import DeviceType
    from core.tvb.models import Activity, Role
    with live_server["app"].app_context():
        ids = {
            "technician_staff": db.session.scalar(select(User.staff_id).where(User.email == TECHNICIAN)),
            "device_type": db.session.scalar(select(DeviceType.id).where(DeviceType.model == "Perseus A500")),
            "role": db.session.scalar(select(Role.id).where(Role.name == "OK-assistent")),
            "activity": db.session.scalar(select(Activity.id).where(Activity.name == "Reparatie")),
        }
        db.session.remove()
    return ids


def test_log_in_and_open_every_page(page, live_server, shot):
    ids = demo_ids(live_server)
    page.goto("/")
    assert "/login" in page.url
    shot(page, "01-login")
    log_in(page, ADMIN)
    expected = [  # path, heading, screenshot
        ("/", "Dashboard", "02-dashboard"),
        ("/staff", "Medewerkers", "03-staff"),
        (f"/staff/{ids['technician_staff']}", None, "04-staff-profile"),
        ("/device-types", "Typen hulpmiddelen", "05-device-types"),
        (f"/device-types/{ids['device_type']}", "Dräger Perseus A500", "06-device-type"),
        ("/matrix", "Bekwaamheidsmatrix", "07-matrix"),
        ("/tvb", "TVB-matrix", "08-tvb"),
        ("/alerts", "Signaleringen", "09-alerts"),
        ("/audit", "Audittrail", "10-audit"),
    ]
    for path, heading, name in expected:
        page.goto(path)
        no_error(page)
        if heading:
            assert page.locator("h1").first.inner_text() == heading
        shot(page, name, full_page=name not in ("07-matrix", "08-tvb"))
    # the matrix opens with a choice for a user without a department (not the whole hospital)
    page.goto("/matrix")
    assert page.locator("table.matrix").count() == 0
    page.select_option("form.filters select[name=department_id]", label="Zorgeenheden")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"department_id=\d+"))
    # the matrix keeps its header row in view while its box scrolls
    header = page.locator("table.matrix thead th").nth(1)
    top_before = header.bounding_box()["y"]
    page.locator(".matrix-wrap").evaluate("box => box.scrollTop = 400")
    assert abs(header.bounding_box()["y"] - top_before) < 2


def test_may_this_person_check_shows_reasons(page, live_server, shot):
    ids = demo_ids(live_server)
    log_in(page, MANAGER)
    page.goto(f"/staff/{ids['technician_staff']}#check")
    page.select_option("select[name=activity_id]", label="Reparatie")
    page.select_option("#check select[name=device_type_id]", label="Dräger Perseus A500")
    page.locator("#check button[type=submit]").click()
    decision = page.locator("#decision article.decision")
    decision.wait_for()
    assert re.match(r"[✓✗] (Ja|Nee): ", decision.locator("h3").inner_text())
    assert decision.locator(".reasons li").count() >= 1
    assert "/can-perform" not in page.url  # htmx swapped the answer in; no page load
    decision.scroll_into_view_if_needed()
    shot(page, "11-can-perform", full_page=False)


def test_edit_a_tvb_cell(page, live_server, shot):
    from core.tvb.models import Cell
    ids = demo_ids(live_server)
    log_in(page, TVB_ADMIN)
    page.goto("/tvb")
    cell = page.locator(f"#tvb-{ids['role']}-{ids['activity']}")
    cell.get_by_role("button").click()
    editor = page.locator(f"#tvb-{ids['role']}-{ids['activity']} form")
    editor.wait_for()
    editor.locator("select[name=new_scope]").select_option(value="all")
    editor.locator("input[name=new_letters][value=T]").check()
    editor.locator("input[name=new_letters][value=B]").check()
    shot(page, "12-tvb-cell-editing", full_page=False)
    editor.locator("button[type=submit]").click()
    shown = page.locator(f"#tvb-{ids['role']}-{ids['activity']} .tvb-entry")
    shown.first.wait_for()
    assert "TB" in shown.first.inner_text()
    with live_server["app"].app_context():
        letters = db.session.scalars(select(Cell.letters).where(
            Cell.role_id == ids["role"], Cell.activity_id == ids["activity"])).all()
        db.session.remove()
    assert letters == ["TB"]
    shot(page, "13-tvb-cell-saved", full_page=False)


def test_export_the_matrix_and_open_the_xlsx(page, live_server, tmp_path):
    from openpyxl import load_workbook
    log_in(page, ADMIN)
    page.goto("/matrix")  # no export before a choice: it would hold the whole hospital
    assert page.get_by_role("button", name=re.compile("XLSX")).count() == 0
    page.select_option("form.filters select[name=department_id]", label="Medische Technologie & Klinische Fysica")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"department_id=\d+"))
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("XLSX")).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    sheet = load_workbook(target).worksheets[0]
    assert sheet["A1"].value == "Personeelsnummer" and sheet["B1"].value == "Naam"
    assert sheet.max_row > 20 and sheet.max_column > 10  # the department and everything below it
    fills = {cell.fill.fgColor.rgb[-6:] for row in sheet.iter_rows(min_row=2, min_col=3) for cell in row}
    assert {"C6EFCE", "EDEDED"} <= fills  # coloured by state


def test_switch_language_to_english(page, live_server, shot):
    log_in(page, ADMIN)  # the demo admin reads Dutch
    page.goto("/staff")
    assert page.locator("h1").inner_text() == "Medewerkers"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Staff"  # the same page, now in English
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/")
    assert page.get_by_text("Active staff").count() == 1
    shot(page, "14-dashboard-english")
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.get_by_text("Actieve medewerkers").count() == 1


def test_auditor_reads_without_edit_forms(page, live_server, shot):
    log_in(page, AUDITOR)
    page.goto("/tvb")
    assert page.locator("table.tvb button").count() == 0
    page.goto("/audit")
    no_error(page)
    shot(page, "15-auditor-audit", full_page=False)


def test_record_and_approve_a_cpd_entry(page, browser, live_server, shot, tmp_path):
    ids = demo_ids(live_server)
    certificate = tmp_path / "certificaat.pdf"
    certificate.write_bytes(PDF)
    log_in(page, TECHNICIAN)  # the demo technician reads English
    page.get_by_role("link", name="My profile").click()
    page.locator("#cpd summary").click()
    form = page.locator("form.cpd-form")
    form.locator("input[name=date]").fill(dt.date.today().isoformat())
    form.locator("input[name=hours]").fill("3.5")
    form.locator("input[name=title]").fill("Browser test: storingsanalyse")
    form.locator("input[name=certificate]").set_input_files(str(certificate))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("#cpd tr", has_text="Browser test: storingsanalyse")
    assert "pending" in row.inner_text()
    shot(page, "16-cpd-registered")

    manager = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server["url"]).new_page()
    log_in(manager, MANAGER)
    manager.goto(f"/staff/{ids['technician_staff']}#cpd")
    row = manager.locator("#cpd tr", has_text="Browser test: storingsanalyse")
    with manager.expect_popup() as popup:
        row.locator("a[href^='/uploads/']").click()
    assert popup.value.url.startswith(live_server["url"] + "/uploads/")
    row.get_by_role("button", name="Goedkeuren").click()
    manager.wait_for_load_state()
    row = manager.locator("#cpd tr", has_text="Browser test: storingsanalyse")
    assert "goedgekeurd" in row.inner_text()
    shot(manager, "17-cpd-approved")
    manager.context.close()


def test_import_staff_dry_run_then_for_real(page, live_server, shot, tmp_path):
    """Issue 8 on the page: a dry run shows every line (the bad one highlighted), then one click imports."""
    from core.staff.models import Staff
    hr_file = tmp_path / "hr-export.csv"
    hr_file.write_bytes(
        "Personeelsnummer;Naam;Afdeling;Soort dienstverband;In dienst\r\n"
        "990001;Browser, Anna;IC;Intern;01-03-2015\r\n"
        "990002;Browser, Bram;IC;Intern;31-02-2019\r\n"   # line 3: no such date
        "990003;Browser, Cas;OK;Extern;2020-06-15\r\n".encode("utf-8"))  # line 4: external without company

    def imported() -> list[str]:
        with live_server["app"].app_context():
            numbers = db.session.scalars(select(Staff.employee_number).where(Staff.employee_number.like("99000%"))
                                         .order_by(Staff.employee_number)).all()
            db.session.remove()
        return list(numbers)

    log_in(page, ADMIN)
    page.get_by_role("link", name="Importeren").click()
    page.wait_for_url("**/imports")
    assert page.locator("#dry_run").is_checked() and not page.locator("#partial").is_checked()
    page.get_by_label("Wat importeren").select_option("staff")
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(hr_file))
    page.get_by_role("button", name="Controleren en importeren").click()
    page.wait_for_load_state()
    no_error(page)
    assert "Er is niets opgeslagen: proefimport." in page.get_by_role("status").first.inner_text()
    bad = page.locator("#line-3")
    assert "row-rejected" in bad.get_attribute("class")
    assert "In dienst: '31-02-2019' is geen bestaande datum." in bad.inner_text()  # Dutch, the file's header
    assert "bij een externe medewerker is het bedrijf verplicht" in page.locator("#line-4").inner_text()
    assert "aangemaakt" in page.locator("#line-2").inner_text()
    assert imported() == []
    shot(page, "18-import")

    confirm = page.locator("form.import-confirm")
    confirm.get_by_label("Gedeeltelijke import toestaan").check()
    confirm.get_by_role("button", name="Echt importeren").click()
    page.wait_for_load_state()
    no_error(page)
    assert "Opgeslagen." in page.get_by_role("status").first.inner_text()
    assert "2 afgekeurde regels zijn weggelaten" in page.get_by_role("status").first.inner_text()
    assert imported() == ["990001"]


def test_assign_a_role_by_typing_a_name(page, live_server, shot):
    """The person field suggests people as one types (htmx fills a datalist) and takes the employee number."""
    from core.staff.models import Staff
    from core.tvb.models import Assignment
    ids = demo_ids(live_server)
    with live_server["app"].app_context():
        person = db.session.get(Staff, ids["technician_staff"])
        name, number = person.name, person.employee_number
        before = len(db.session.scalars(select(Assignment.id).where(Assignment.staff_id == person.id)).all())
        db.session.remove()
    log_in(page, TVB_ADMIN)
    page.goto("/tvb#assignments")
    page.locator("#assignments details summary").click()
    field = page.locator("input[name=staff_number]")
    field.press_sequentially(name.split()[0][:4], delay=50)
    option = page.locator(f"#staff-suggestions option[value='{number}']")
    option.wait_for(state="attached")
    shot(page, "13-tvb-assign-suggestions", full_page=False)
    field.fill(number)
    page.select_option("select[name=role_id]", value=str(ids["role"]))
    page.locator("#assignments details form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Toewijzing opgeslagen." in page.content()
    with live_server["app"].app_context():
        after = len(db.session.scalars(select(Assignment.id).where(Assignment.staff_id == ids["technician_staff"])).all())
        db.session.remove()
    assert after == before + 1


def test_no_content_security_policy_violations(page, live_server):
    """The pages and their htmx interactions work under the CSP: no inline script or style is blocked."""
    ids = demo_ids(live_server)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, TVB_ADMIN)
    for path in ("/", "/staff", f"/staff/{ids['technician_staff']}", "/device-types",
                 f"/device-types/{ids['device_type']}", "/matrix", "/tvb", "/alerts"):
        page.goto(path)
        no_error(page)
    page.goto("/tvb")
    page.locator(f"#tvb-{ids['role']}-{ids['activity']}").get_by_role("button").click()
    page.locator(f"#tvb-{ids['role']}-{ids['activity']} form").wait_for()  # an htmx swap
    assert not violations, violations
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
