"""The sterilisation plugin (tests/sterilisation) in Chromium: its panel, its navigation entry and its condition's reason on the demo."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import Factory
from tests.sterilisation import register
from tests.sterilisation.conftest import EXTRA
from tests.web.conftest import log_in, serve_demo

pytestmark = pytest.mark.browser

MANAGER, TECHNICIAN = "manager@bekwaam.demo", "technicus@bekwaam.demo"


@pytest.fixture(scope="module")
def sterile_server(tmp_path_factory):
    yield from serve_demo(tmp_path_factory.mktemp("sterile-live"), BEKWAAM_EXTRA_PLUGINS=EXTRA)


@pytest.fixture(scope="module")
def technician(sterile_server):
    """The demo technician, registered since yesterday; "Steriliseren" needs the registration."""
    from core.auth.models import User
    app = sterile_server["app"]
    _, admin = Factory(app).user("admin")
    with app.app_context():
        staff_id = db.session.scalar(select(User.staff_id).where(User.email == TECHNICIAN))
        register.register(db.session, staff_id, "ST-0007", dt.date.today() - dt.timedelta(days=1))
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    role = client.post("/api/v1/tvb/roles", headers=admin, json={"name": "CSA-medewerker"}).json
    activity = client.post("/api/v1/tvb/activities", headers=admin,
                           json={"name": "Steriliseren", "requirements": {"sterilisation": {"registered": True}}}).json
    assert client.post("/api/v1/tvb/cells", headers=admin, json={
        "role_id": role["id"], "activity_id": activity["id"], "letters": "B"}).status_code == 201
    assert client.post("/api/v1/tvb/assignments", headers=admin, json={
        "staff_id": staff_id, "role_id": role["id"], "valid_from": dt.date.today().isoformat()}).status_code == 201
    return staff_id


def test_panel_navigation_and_condition_in_the_browser(browser, sterile_server, technician, shot):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=sterile_server["url"],
                                  locale="nl-NL")
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        log_in(page, MANAGER)
        page.goto(f"/staff/{technician}")
        assert page.locator("#sterilisatie h2").inner_text() == "Sterilisatieassistent"
        assert "Geregistreerd" in page.locator("#sterilisation-status").inner_text()
        page.select_option("#check select[name=activity_id]", label="Steriliseren")
        page.locator("#check button[type=submit]").click()
        decision = page.locator("#decision article.decision")
        decision.wait_for()
        assert "Geregistreerd als sterilisatieassistent" in decision.locator(".reasons").inner_text()
        assert decision.locator("h3").inner_text().startswith("✓")
        shot(page, "sterilisation-profile", full_page=False)
        page.get_by_role("link", name="Sterilisatie", exact=True).click()
        page.wait_for_url("**/sterilisatie/")
        assert page.locator("h1").inner_text() == "Register sterilisatieassistenten"
        assert "ST-0007" in page.locator("table").inner_text()
    finally:
        context.close()
