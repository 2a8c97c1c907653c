"""Web tasks end to end in Chromium, each as the role that does it (live demo server, CSRF on).

Each test makes its own user so the shared demo users keep their language.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.web.conftest import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.browser

TECHNICIAN, MANAGER = "technicus@bekwaam.demo", "manager@bekwaam.demo"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def own_user(live_server, email, role, *, like=None, locale="nl"):
    """A user of our own; `like` gives the staff record and department of that demo user."""
    from core.auth.models import User
    from core.auth.services import create_user
    with live_server["app"].app_context():
        template = db.session.scalar(select(User).where(User.email == like)) if like else None
        create_user(email, role, DEMO_PASSWORD, locale=locale,
                    staff_id=template.staff_id if template else None,
                    department_id=template.department_id if template else None)
        db.session.commit()
        db.session.remove()


def stored_locale(live_server, email):
    from core.auth.models import User
    with live_server["app"].app_context():
        locale = db.session.scalar(select(User.locale).where(User.email == email))
        db.session.remove()
    return locale


def test_language_is_kept_on_the_user_across_logins(page, live_server):
    email = "taal-tasks@bekwaam.demo"
    own_user(live_server, email, "auditor")
    log_in(page, email)
    page.goto("/staff")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert stored_locale(live_server, email) == "en"
    page.context.clear_cookies()  # logged out: a fresh session
    log_in(page, email)
    page.goto("/staff")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Staff"


def test_dutch_decimal_comma_in_cpd_hours(page, browser, live_server, tmp_path):
    email = "cpd-komma-tasks@bekwaam.demo"
    own_user(live_server, email, "technician", like=TECHNICIAN, locale="nl")
    certificate = tmp_path / "certificaat.pdf"
    certificate.write_bytes(PDF)
    log_in(page, email)
    page.get_by_role("link", name="Mijn gegevens").click()
    page.locator("#cpd summary").click()
    form = page.locator("form.cpd-form")
    form.locator("input[name=date]").fill(dt.date.today().isoformat())
    form.locator("input[name=hours]").fill("7,5")
    form.locator("input[name=title]").fill("Taaktest: komma-uren")
    form.locator("input[name=certificate]").set_input_files(str(certificate))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("#cpd tr", has_text="Taaktest: komma-uren")
    text = row.inner_text()
    assert "7,5" in text and "75" not in text.replace("7,5", "")
