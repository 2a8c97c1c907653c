"""Fixtures for the pages: a logged-in test client, and a live server driven by Chromium.

The browser tests run Debian's Chromium (``/usr/bin/chromium``) through
Playwright; no browser is ever downloaded. Outside CI they are skipped when
Chromium or Playwright is absent; in CI their absence is a failure.
"""
from __future__ import annotations

import os
import pathlib
import threading

import pytest

from tests.conftest import migrated_app

CHROMIUM = os.environ.get("BEKWAAM_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DEMO_PASSWORD = "bekwaam-demo"


# ---------------------------------------------------------------- test client


def login_as(client, user_id: int) -> None:
    """Log a test client in without the form (the form itself has its own tests)."""
    from core.auth import sessions
    from core.extensions import db

    with client.application.app_context():
        sid = sessions.start(user_id)
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session[sessions.SESSION_KEY] = sid


@pytest.fixture
def web(app, make):
    """A factory: web(role, **user kwargs) -> (test client logged in as a new user, user id)."""
    def build(role="admin", **kw):
        user_id, _headers = make.user(role, **kw)
        client = app.test_client()
        login_as(client, user_id)
        return client, user_id
    return build


@pytest.fixture
def csrf_on(app):
    """CSRF as in production (the shared test app switches it off for the API tests)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


# ---------------------------------------------------------------- live server + browser


def _require(why: str | None) -> None:
    if why is None:
        return
    if os.environ.get("CI"):
        pytest.fail(why + " (CI must run the browser tests)")
    pytest.skip(why)


def serve_demo(folder, **config):
    """The app with the demo hospital over its own SQLite file, CSRF on, served on a free port (a generator)."""
    from werkzeug.serving import make_server

    from core.demo import load_demo
    from core.extensions import db

    app = migrated_app("sqlite:///" + str(folder / "live.sqlite"), WTF_CSRF_ENABLED=True, TESTING=False,
                       SECRET_KEY="live-test-secret", **config)
    app.instance_path = str(folder / "instance")  # uploads land here, not in the repo
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        load_demo()
        _collect_alerts()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The demo hospital served with the built-in plugins."""
    yield from serve_demo(tmp_path_factory.mktemp("live"))


def _collect_alerts() -> None:
    """Fill the alert inbox and the dashboard's boxes as the daily job would (nothing is sent: no channels)."""
    import datetime as dt

    from core.alerts.services import run_day
    run_day(dt.date.today(), manual=True)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require("Playwright is not installed (pip install playwright==1.65.2; never `playwright install`)")
    _require(None if os.path.exists(CHROMIUM) else f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server["url"],
                                  accept_downloads=True, locale="nl-NL")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot():
    """shot(page, name): a full-page screenshot kept by CI as an artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = True):
        if full_page:  # a sticky header would be drawn where the page was scrolled to
            page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    return take


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form (a fresh browser context starts logged out)."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
