"""Leidraad Medische Technologie 2026 in the browser, end to end, as the medical technology manager:
risk screening (fase 2) → the PRI → technical and clinical approval → release (fase 5, vrijgave),
each by someone the TVB matrix authorises, on a server of its own (the demo hospital, CSRF on).
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.web.conftest import log_in, serve_demo

pytestmark = pytest.mark.browser

MT_MANAGER = "mt@bekwaam.demo"
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def release_server(tmp_path_factory):
    """The demo hospital plus a new device type waiting for its screening, a role whose B authorises
    every approval kind held by the head of department, and a competent technician and user."""
    for server in serve_demo(tmp_path_factory.mktemp("release")):
        app = server["app"]
        from core.competence.models import Competence
        from core.devices.models import DeviceType
        from core.staff.models import Staff
        from core.tvb.models import Activity, Assignment, Cell, Role
        with app.app_context():
            device_type = DeviceType(manufacturer="Vrijgeef", model="Pomp 7", name="Infuuspomp",
                                     technology_group_id=1, mdr_class="IIb", lifecycle_phase=4)
            role = Role(name="Vrijgeefcommissie")
            db.session.add_all([device_type, role])
            db.session.flush()
            head = db.session.scalar(select(Staff).where(Staff.employee_number == "100001"))
            others = db.session.scalars(select(Staff).where(Staff.active.is_(True), Staff.id != head.id)
                                        .order_by(Staff.id).limit(2)).all()
            for kind, name in (("pri", "PRI goedkeuren (test)"), ("technical", "Technisch akkoord (test)"),
                               ("clinical", "Klinisch akkoord (test)")):
                activity = Activity(name=name, level="tactical", lifecycle_phase=5,
                                    requirements={"leidraad": {"approval": kind}})
                db.session.add(activity)
                db.session.flush()
                db.session.add(Cell(role_id=role.id, activity_id=activity.id, letters="TVB"))
            db.session.add(Assignment(staff_id=head.id, role_id=role.id, valid_from=TODAY - dt.timedelta(days=1)))
            for person, competence_role in zip(others, ("technician", "user")):
                db.session.add(Competence(staff_id=person.id, device_type_id=device_type.id, role=competence_role,
                                          method="training_and_assessment", obtained_on=TODAY - dt.timedelta(days=10)))
            db.session.commit()
            server["device_type_id"] = device_type.id
            server["head"] = head.name
            db.session.remove()
        yield server


@pytest.fixture
def release_page(browser, release_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=release_server["url"],
                                  locale="nl-NL")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def test_screening_pri_approvals_and_release_end_to_end(release_page, release_server, shot):
    page = release_page
    type_id, head = release_server["device_type_id"], release_server["head"]
    log_in(page, MT_MANAGER)
    page.goto(f"/device-types/{type_id}")
    assert "Nog nooit gescreend" in page.content()

    # fase 2: the risk screening, a new use: a PRI is required
    screening = page.locator("#screening")
    screening.get_by_text("Nieuwe risicoscreening").click()
    screening.locator("select[name=usage_context]").select_option("medium")
    screening.locator("select[name=novelty]").select_option("low")
    screening.locator("select[name=impact]").select_option("medium")
    screening.get_by_label("Nieuwe of aangepaste toepassing (een PRI is vereist)").check()
    screening.get_by_role("button", name="Screenen").click()
    page.wait_for_url(f"**/device-types/{type_id}#screening")
    assert "Gescreend: risicoklasse" in page.content()

    approvals = page.locator("#approvals")
    assert "Deze screening vraagt een PRI." in approvals.inner_text()
    missing = approvals.locator("#release-missing").inner_text()
    assert "prospectieve risico-inventarisatie (PRI)" in missing and "Geen klinisch akkoord." in missing
    assert "no_pri" not in page.content()
    assert page.locator("#release-start button[type=submit]").is_disabled()

    # the PRI, the technical and the clinical approval, each typed: by name once, by number after
    for kind, typed, recorded in (("pri", head, "PRI (prospectieve risico-inventarisatie) vastgelegd"),
                                  ("technical", "100001", "Technisch akkoord vastgelegd"),
                                  ("clinical", "100001", "Klinisch akkoord vastgelegd")):
        details = page.locator(f"#approve-{kind}")
        details.locator("summary").click()
        assert head in details.inner_text()  # who may give it is shown
        details.locator(f"input[name={kind}-person]").fill(typed)
        details.get_by_role("button", name="Vastleggen", exact=True).click()
        page.wait_for_url(f"**/device-types/{type_id}#approvals")
        assert recorded in page.content(), kind
        assert page.locator(".error").count() == 0
    shot(page, "plugforms-01-approvals")

    # fase 5: nothing missing any more; release, then confirm
    assert page.locator("#release-missing").count() == 0
    start = page.locator("#release-start button[type=submit]")
    assert start.is_enabled()
    start.click()
    confirm = page.locator("#release-confirm")
    confirm.wait_for()
    assert "Vrijgeef Pomp 7 vrijgeven voor gebruik vanaf " + TODAY.strftime("%d-%m-%Y") + "?" in confirm.inner_text()
    shot(page, "plugforms-02-release-confirm")
    confirm.get_by_role("button", name="Ja, vrijgeven", exact=True).click()
    page.wait_for_url(f"**/device-types/{type_id}#release")
    content = page.content()
    assert "Vrijgegeven voor gebruik vanaf " + TODAY.strftime("%d-%m-%Y") in content
    assert "Vrijgegeven op " + TODAY.strftime("%d-%m-%Y") in page.locator("#release").inner_text()
    shot(page, "plugforms-03-released")

    from core.devices.models import DeviceType
    with release_server["app"].app_context():
        released = db.session.get(DeviceType, type_id)
        assert released.released_on == TODAY and released.lifecycle_phase == 6
        db.session.remove()
