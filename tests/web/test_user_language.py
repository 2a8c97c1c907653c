"""The language is stored on the user: the switch in the header stores it, it survives a new
login, it comes before the browser's Accept-Language, and new accounts (also SSO/SCIM) are Dutch."""
from __future__ import annotations

from sqlalchemy import select

from core.auth.models import User
from core.extensions import db
from tests.web.conftest import login_as


def _locale(app, user_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(User.locale).where(User.id == user_id))


def test_switch_stores_the_language_and_it_survives_a_new_login(app, web):
    client, user_id = web("admin")
    assert _locale(app, user_id) == "nl"
    assert client.post("/language/en", data={"next": "/"}).status_code == 302
    assert _locale(app, user_id) == "en"
    client.post("/logout")
    fresh = app.test_client()  # another browser, no session choice
    login_as(fresh, user_id)
    page = fresh.get("/").get_data(as_text=True)
    assert 'lang="en"' in page and "Active staff" in page
    # and back: stored again
    fresh.post("/language/nl")
    assert _locale(app, user_id) == "nl"
    other = app.test_client()
    login_as(other, user_id)
    assert 'lang="nl"' in other.get("/").get_data(as_text=True)


def test_a_password_login_reads_the_stored_language(app, make):
    from core.auth.services import set_password
    user_id, _ = make.user("admin", email="lang-login@example.org")
    with app.app_context():
        user = db.session.get(User, user_id)
        set_password(user, "a long enough password")
        user.locale = "en"
        db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": "lang-login@example.org", "password": "a long enough password"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_the_stored_language_comes_before_accept_language(app, web):
    client, user_id = web("admin")  # stored: nl
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="nl"' in page


def test_accept_language_without_a_user_or_a_choice(app):
    client = app.test_client()
    assert 'lang="en"' in client.get("/login", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(as_text=True)
    assert 'lang="nl"' in client.get("/login", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert 'lang="nl"' in client.get("/login").get_data(as_text=True)


def test_an_unknown_language_changes_nothing(app, web):
    client, user_id = web("admin")
    client.post("/language/fr")
    assert _locale(app, user_id) == "nl"


def test_an_auditor_may_store_their_language(app, web):
    client, user_id = web("auditor")
    assert client.post("/language/en").status_code == 302
    assert _locale(app, user_id) == "en"


def test_a_scim_created_user_is_dutch(app, make):
    from core.cli import cli
    make.staff(employee_number="LANG-70999")
    result = app.test_cli_runner().invoke(cli, ["scim", "token"])
    headers = {"Authorization": f"Bearer {result.output.strip().splitlines()[-1]}",
               "Content-Type": "application/scim+json"}
    core = "urn:ietf:params:scim:schemas:core:2.0:User"
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    answer = app.test_client().post("/scim/v2/Users", headers={**headers, "Accept-Language": "en"}, json={
        "schemas": [core, enterprise], "userName": "scim-lang@zkh.example", "active": True,
        "emails": [{"primary": True, "type": "work", "value": "scim-lang@zkh.example"}],
        enterprise: {"employeeNumber": "LANG-70999"}})
    assert answer.status_code == 201, answer.json
    assert _locale(app, int(answer.json["id"])) == "nl"
