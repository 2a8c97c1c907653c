"""Leavers, server-side sessions, login throttling, password policy, redirects, security headers."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import select, update

from core.auth.models import User, UserSession
from core.extensions import db

PASSWORD = "paard batterij nietje"


def _password_user(app, email, role="admin", **kw):
    from core.auth.services import create_user
    with app.app_context():
        user = create_user(email, role, password=PASSWORD, **kw)
        db.session.commit()
        return user.id


def _login(client, email, password=PASSWORD, next_=None):
    url = "/login" + (f"?next={next_}" if next_ is not None else "")
    return client.post(url, data={"email": email, "password": password})


# --- leavers ---------------------------------------------------------------------

@pytest.fixture
def leaver(app, make):
    """A technician with a token, linked to a staff record still in service."""
    dept = make.department()
    staff = make.staff(department_id=dept.id, email="tech@example.org")
    user_id, headers = make.user("technician", email="tech@example.org", staff_id=staff.id)
    with app.app_context():
        from core.auth.services import set_password
        user = db.session.get(User, user_id)
        set_password(user, PASSWORD)
        db.session.commit()
    return {"staff": staff, "user_id": user_id, "headers": headers, "email": "tech@example.org"}


def _set_left_on(app, staff_id, day):
    from core.dataio.models import StaffDeparture
    with app.app_context():
        db.session.add(StaffDeparture(staff_id=staff_id, left_on=day))
        db.session.commit()


def test_leaving_date_in_the_future_keeps_access_until_that_day(app, client, leaver):
    from core.auth.leavers import local_today
    with app.app_context():
        tomorrow = local_today() + dt.timedelta(days=1)
    _set_left_on(app, leaver["staff"].id, tomorrow)
    assert client.get(f"/api/v1/staff/{leaver['staff'].id}", headers=leaver["headers"]).status_code == 200
    assert _login(client, leaver["email"]).status_code == 302


def test_on_the_leaving_day_token_and_login_are_refused(app, client, leaver):
    from core.auth.leavers import local_today
    web = app.test_client()
    assert _login(web, leaver["email"]).status_code == 302
    assert web.get("/").status_code == 200
    with app.app_context():
        today = local_today()
    _set_left_on(app, leaver["staff"].id, today)
    assert client.get(f"/api/v1/staff/{leaver['staff'].id}", headers=leaver["headers"]).status_code == 401
    assert web.get("/").status_code == 302  # the open session ends too
    refused = _login(app.test_client(), leaver["email"])
    assert refused.status_code == 401
    # The same answer as a wrong password: a leaver learns nothing from it.
    assert b"Unknown e-mail address or wrong password" in refused.data or b"Onbekend" in refused.data


def test_inactive_staff_record_locks_the_account_and_reactivation_is_explicit(app, client, leaver, admin):
    staff_id = leaver["staff"].id
    answer = client.patch(f"/api/v1/staff/{staff_id}", headers=admin, json={"active": False})
    assert answer.status_code == 200, answer.json
    assert client.get(f"/api/v1/staff/{staff_id}", headers=leaver["headers"]).status_code == 401
    with app.app_context():
        assert db.session.get(User, leaver["user_id"]).active is False  # locked, and it stays locked
    # While the record says "left", the account cannot be reactivated.
    refused = client.post(f"/api/v1/users/{leaver['user_id']}/reactivate", headers=admin)
    assert refused.status_code == 409 and "left" in refused.json["message"]
    # Back in service: the account still waits for an explicit reactivation ...
    assert client.patch(f"/api/v1/staff/{staff_id}", headers=admin, json={"active": True}).status_code == 200
    assert client.get(f"/api/v1/staff/{staff_id}", headers=leaver["headers"]).status_code == 401
    # ... which is audited.
    assert client.post(f"/api/v1/users/{leaver['user_id']}/reactivate", headers=admin).status_code == 200
    assert client.get(f"/api/v1/staff/{staff_id}", headers=leaver["headers"]).status_code == 200
    from core.audit.models import AuditEntry
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "user_account",
                                                              AuditEntry.entity_id == leaver["user_id"])).all()
        changes = [
            ((e.before or {}).get("active"), (e.after or {}).get("active")) for e in entries if e.action == "update"]
        assert (True, False) in changes  # locked when the record went inactive
        assert (False, True) in changes  # reactivated by the admin


# --- sessions ----------------------------------------------------------------------

def test_logout_ends_the_session_server_side(app):
    _password_user(app, "out@example.org")
    browser = app.test_client()
    assert _login(browser, "out@example.org").status_code == 302
    cookie = browser.get_cookie("session")
    assert browser.get("/").status_code == 200
    assert browser.post("/logout").status_code == 302
    # An attacker who copied the cookie before the logout gets nothing.
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    assert thief.get("/").status_code == 302


def test_idle_session_expires(app):
    user_id = _password_user(app, "idle@example.org")
    browser = app.test_client()
    assert _login(browser, "idle@example.org").status_code == 302
    assert browser.get("/").status_code == 200
    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.user_id == user_id).values(
            last_seen_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=31)))
        db.session.commit()
    assert browser.get("/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(UserSession.ended_at).where(UserSession.user_id == user_id)) is not None


def test_session_cookie_flags(app):
    _password_user(app, "flags@example.org")
    response = _login(app.test_client(), "flags@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # not configured here; see the next test


def test_secure_cookie_when_configured(database_url, monkeypatch):
    from tests.conftest import migrated_app
    monkeypatch.setenv("BEKWAAM_SECURE_COOKIES", "true")
    monkeypatch.setenv("BEKWAAM_HSTS", "1")
    secure = migrated_app(database_url)
    try:
        assert secure.config["SESSION_COOKIE_SECURE"] is True
        response = secure.test_client().get("/login")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        with secure.app_context():
            db.engine.dispose()  # an app built here must let go of its connections (PostgreSQL warns otherwise)


# --- throttling and timing -------------------------------------------------------------

def test_wrong_passwords_are_throttled_per_account_with_retry_after(app):
    _password_user(app, "guess@example.org")
    client = app.test_client()
    for _ in range(5):
        assert _login(client, "guess@example.org", "wrong password 123").status_code == 401
    blocked = _login(client, "guess@example.org", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 15 * 60


def test_unknown_addresses_are_throttled_the_same_way(app):
    client = app.test_client()
    for _ in range(5):
        assert _login(client, "nobody@example.org", "wrong password 123").status_code == 401
    assert _login(client, "nobody@example.org", "wrong password 123").status_code == 429


def test_throttled_per_address_across_accounts(app):
    app.config["BEKWAAM_LOGIN_MAX_PER_ADDRESS"] = 3
    try:
        client = app.test_client()
        for n in range(3):
            assert _login(client, f"spray{n}@example.org", "wrong password 123").status_code == 401
        assert _login(client, "spray9@example.org", "wrong password 123").status_code == 429
    finally:
        app.config["BEKWAAM_LOGIN_MAX_PER_ADDRESS"] = 20


def test_unknown_and_known_addresses_take_the_same_time(app):
    _password_user(app, "known@example.org")
    client = app.test_client()

    def timed(email):
        start = time.perf_counter()
        assert _login(client, email, "wrong password 123").status_code == 401
        return time.perf_counter() - start
    known = sorted(timed("known@example.org") for _ in range(3))[1]
    unknown = sorted(timed(f"ghost{n}@example.org") for n in range(3))[1]
    # Without the dummy verification the unknown address answers many times faster.
    assert unknown > known * 0.5, (known, unknown)


# --- password policy ------------------------------------------------------------------

@pytest.mark.parametrize("password, reason", [
    ("kort wachtw", "12"),
    ("Wachtwoord123", "common"),
    ("welkom12345!", "common"),
    ("jansen-is-de-beste", "e-mail name"),
])
def test_password_policy(app, admin, client, make, password, reason):
    user_id, _ = make.user("auditor", email="jansen@example.org")
    answer = client.post(f"/api/v1/users/{user_id}/password", headers=admin, json={"password": password})
    assert answer.status_code == 422
    assert reason in str(answer.json["errors"])


def test_a_good_password_is_accepted(admin, client, make):
    user_id, _ = make.user("auditor", email="jansen@example.org")
    answer = client.post(f"/api/v1/users/{user_id}/password", headers=admin, json={"password": "paard nietje batterij"})
    assert answer.status_code == 200


# --- redirects --------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/%09/evil.com", "//evil.com", "\\\\evil.com", "/\\evil.com",
                                    "https://evil.com", "http:evil.com", "/%0d%0a/evil.com", "javascript:alert(1)"])
def test_next_never_leaves_the_site(app, target):
    _password_user(app, "nav2@example.org")
    response = _login(app.test_client(), "nav2@example.org", next_=target)
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/"), response.headers["Location"]


def test_next_to_an_own_path_is_followed(app):
    _password_user(app, "nav3@example.org")
    response = _login(app.test_client(), "nav3@example.org", next_="/staff?q=a")
    assert response.headers["Location"].endswith("/staff?q=a")


# --- headers -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/api/v1/staff", "/static/app.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    response.close()  # a static file answer holds the file open until closed
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_no_inline_script_in_templates():
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[2]
    for template in list(root.glob("core/**/templates/**/*.html")) + list(root.glob("plugins/**/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{template}: inline <script>"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{template}: inline event handler"
        assert not re.search(r"\shx-on", text), f"{template}: hx-on needs eval"
