"""The manager's home page in Chromium: the work queues, the pictures (images with a text
alternative, no script, no CSP violation), and a queue item that opens where the work is done."""
from __future__ import annotations

import pytest

from tests.web.conftest import log_in

pytestmark = pytest.mark.browser

MANAGER = "manager@bekwaam.demo"


def test_manager_home_shows_queues_and_pictures(page, live_server, shot):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    log_in(page, MANAGER)
    page.goto("/")
    assert page.get_by_role("heading", name="Werk te doen").is_visible()
    for anchor in ("#queue-cpd-reviews", "#queue-missing", "#expiry-timeline", "#coverage"):
        assert page.locator(anchor).is_visible(), anchor
    # the pictures are images with their title as accessible name, and a visible table beside them
    timeline = page.get_by_role("img", name="Bekwaamheden die per maand vervallen, komende 12 maanden")
    assert timeline.is_visible()
    assert page.locator("#expiry-timeline table td").count() == 24  # 12 months and 12 counts
    assert page.locator("#chart-expiry g.column").count() == 12
    shot(page, "home-manager")
    # a queue item leads to where the work is done: the person's page, at the right place
    link = page.locator("#queue-missing tbody a[href*='#competences'], #queue-cpd-reviews li a").first
    if link.count():
        link.click()
        page.wait_for_url("**/staff/**")
        assert "#competences" in page.url or "#cpd-" in page.url
    assert not violations, violations


def test_technician_home_shows_their_own_status(page, live_server, shot):
    log_in(page, "technicus@bekwaam.demo")  # the demo's technician reads English (stored on the user)
    page.goto("/")
    assert page.get_by_role("heading", name="My status", exact=True).is_visible()
    for anchor in ("#renew", "#queue-missing", "#may-do"):
        assert page.locator(anchor).is_visible(), anchor
    assert page.locator("#queue-cpd-reviews").count() == 0  # nobody reviews their own hours
    shot(page, "home-technician")
