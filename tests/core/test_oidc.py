"""Sign-in with the hospital account against an OpenID Connect provider on loopback."""
from __future__ import annotations

import datetime as dt
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from core.auth.models import User, UserSession
from core.extensions import db
from tests.conftest import migrated_app
from tests.oidc_provider import Provider

ROLE_MAP = {"Bekwaam.Admin": {"role": "admin"}, "Bekwaam.Technician": {"role": "technician"},
            "Bekwaam.Manager.IC": {"role": "manager", "department": "IC"},
            "Bekwaam.MT": {"role": "mt_manager"}}


@pytest.fixture(scope="module")
def provider():
    with Provider() as running:
        yield running


@pytest.fixture
def idp(provider):
    provider.claims, provider.token_issuer, provider.discovery_issuer, provider.nonce_override = {}, None, None, None
    provider.token_requests.clear()
    return provider


@pytest.fixture(scope="module")
def sso_app(database_url, provider):
    built = migrated_app(database_url, BEKWAAM_OIDC_ISSUER=provider.issuer, BEKWAAM_OIDC_CLIENT_ID="bekwaam",
                         BEKWAAM_OIDC_CLIENT_SECRET="s3cret", BEKWAAM_OIDC_ROLE_CLAIM="roles",
                         BEKWAAM_OIDC_ROLE_MAP=ROLE_MAP, BEKWAAM_OIDC_EMPLOYEE_CLAIM="employeeid")
    yield built
    _dispose(built)


def _dispose(built):
    # An app built by a test lets go of its pooled connections, or PostgreSQL's driver warns at collection.
    with built.app_context():
        db.engine.dispose()


def sign_in(sso_app, client=None, next_=None):
    """Browser round trip: Bekwaam → provider's authorize → Bekwaam's callback. Returns (client, answer)."""
    client = client or sso_app.test_client()
    start = client.get("/login/sso" + (f"?next={next_}" if next_ else ""))
    assert start.status_code == 302, start.data
    authorize = start.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0] and "openid" in query["scope"][0]
    back = requests.get(authorize, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    parts = urlsplit(back.headers["Location"])
    return client, client.get(f"{parts.path}?{parts.query}")


def test_sign_in_creates_the_user_with_the_mapped_role(app, sso_app, idp):
    idp.claims = {"roles": ["Bekwaam.Admin"]}
    client, answer = sign_in(sso_app, next_="/staff")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/staff")
    assert client.get("/").status_code == 200
    assert idp.token_requests[-1]["form"]["code_verifier"]  # PKCE: the verifier went to the token endpoint
    with sso_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "sso.user@zkh.example"))
        assert user.role == "admin" and user.oidc_subject == f"{idp.issuer} user-1" and user.password_hash is None
        assert db.session.scalar(select(UserSession.method).where(UserSession.user_id == user.id)) == "oidc"


def test_role_follows_the_provider_and_links_staff_and_department(app, sso_app, idp, make):
    ic = make.department(code="IC")
    person = make.staff(department_id=ic.id, employee_number="70123")
    idp.claims = {"roles": ["Bekwaam.Manager.IC", "Bekwaam.Technician"], "employeeid": "70123"}
    _, answer = sign_in(sso_app)
    assert answer.status_code == 302
    with sso_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "sso.user@zkh.example"))
        # The higher of the two roles; department from the map, staff from the employee number.
        assert (user.role, user.department_id, user.staff_id) == ("manager", ic.id, person.id)
    idp.claims = {"roles": ["Bekwaam.Technician"], "employeeid": "70123"}
    sign_in(sso_app)
    with sso_app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "sso.user@zkh.example")) == "technician"


def _refused(client, answer, status):
    assert answer.status_code == status, answer.data
    assert client.get("/").status_code == 302  # not signed in


def test_unknown_role_signs_nobody_in(app, sso_app, idp):
    idp.claims = {"roles": ["Some.Other.App"]}
    client, answer = sign_in(sso_app)
    _refused(client, answer, 403)
    assert "geen rol in Bekwaam" in answer.get_data(as_text=True)  # Dutch first
    with sso_app.app_context():
        assert db.session.scalar(select(User).where(User.email == "sso.user@zkh.example")) is None


def test_wrong_issuer_in_the_token_is_refused(app, sso_app, idp):
    idp.claims = {"roles": ["Bekwaam.Admin"]}
    idp.token_issuer = "http://127.0.0.1:9/other-tenant"
    client, answer = sign_in(sso_app)
    _refused(client, answer, 401)


def test_discovery_claiming_another_issuer_is_refused(app, sso_app, idp):
    idp.claims = {"roles": ["Bekwaam.Admin"]}
    idp.discovery_issuer = "https://login.microsoftonline.com/common/v2.0"
    client = sso_app.test_client()
    # Authlib caches discovery per app: a fresh client object would not reload it, so the check reads it anew.
    with sso_app.app_context():
        from core.auth import oidc
        oidc.client().server_metadata = {}
    client, answer = sign_in(sso_app, client)
    _refused(client, answer, 403)
    idp.discovery_issuer = None
    with sso_app.app_context():
        oidc.client().server_metadata = {}


def test_expired_token_is_refused(app, sso_app, idp):
    now = int(time.time())
    idp.claims = {"roles": ["Bekwaam.Admin"], "iat": now - 7200, "exp": now - 3600}
    client, answer = sign_in(sso_app)
    _refused(client, answer, 401)


def test_replayed_nonce_is_refused(app, sso_app, idp):
    idp.claims = {"roles": ["Bekwaam.Admin"]}
    idp.nonce_override = "a-nonce-from-another-login"
    client, answer = sign_in(sso_app)
    _refused(client, answer, 401)


def test_token_for_another_client_is_refused(app, sso_app, idp):
    idp.claims = {"roles": ["Bekwaam.Admin"], "aud": "some-other-app"}
    client, answer = sign_in(sso_app)
    _refused(client, answer, 401)


def test_a_leaver_is_refused_even_by_the_provider(app, sso_app, idp, make):
    from core.dataio.models import StaffDeparture
    person = make.staff(employee_number="80001")
    with sso_app.app_context():
        db.session.add(StaffDeparture(staff_id=person.id, left_on=dt.date.today() - dt.timedelta(days=1)))
        db.session.commit()
    idp.claims = {"roles": ["Bekwaam.Technician"], "employeeid": "80001"}
    client, answer = sign_in(sso_app)
    _refused(client, answer, 403)


def test_callback_without_a_started_login_is_refused(sso_app):
    answer = sso_app.test_client().get("/login/sso/callback?code=x&state=forged")
    assert answer.status_code == 401


def test_login_page_offers_the_hospital_account(sso_app):
    page = sso_app.test_client().get("/login").get_data(as_text=True)
    assert "Inloggen met uw ziekenhuisaccount" in page and 'name="password"' in page


def test_password_login_can_be_switched_off(database_url, provider, app):
    no_passwords = migrated_app(database_url, BEKWAAM_OIDC_ISSUER=provider.issuer, BEKWAAM_OIDC_CLIENT_ID="bekwaam",
                                BEKWAAM_OIDC_CLIENT_SECRET="s3cret", BEKWAAM_OIDC_ROLE_MAP=ROLE_MAP,
                                BEKWAAM_PASSWORD_LOGIN=False)
    from core.auth.services import create_user
    with no_passwords.app_context():
        create_user("pw@zkh.example", "admin", password="paard batterij nietje")
        db.session.commit()
    client = no_passwords.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' not in page and "Inloggen met uw ziekenhuisaccount" in page
    answer = client.post("/login", data={"email": "pw@zkh.example", "password": "paard batterij nietje"})
    assert answer.status_code == 403 and client.get("/").status_code == 302
    _dispose(no_passwords)


def test_without_configuration_there_is_no_sso(client):
    assert client.get("/login/sso").status_code == 404
    assert "ziekenhuisaccount" not in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("env, message", [
    ({"BEKWAAM_OIDC_ISSUER": "https://login.microsoftonline.com/common/v2.0"}, "multi-tenant"),
    ({"BEKWAAM_OIDC_ISSUER": "http://idp.zkh.example"}, "https://"),
    ({"BEKWAAM_OIDC_ISSUER": "https://idp.zkh.example"}, "CLIENT_ID"),
    ({"BEKWAAM_OIDC_ISSUER": "https://idp.zkh.example", "BEKWAAM_OIDC_CLIENT_ID": "x",
      "BEKWAAM_OIDC_CLIENT_SECRET": "y", "BEKWAAM_OIDC_ROLE_MAP": json.dumps({"X": {"role": "boss"}})}, "boss"),
    ({"BEKWAAM_OIDC_ISSUER": "https://idp.zkh.example", "BEKWAAM_OIDC_CLIENT_ID": "x",
      "BEKWAAM_OIDC_CLIENT_SECRET": "y", "BEKWAAM_OIDC_ROLE_MAP": "[1]"}, "JSON object"),
])
def test_bad_oidc_settings_refuse_to_start(monkeypatch, tmp_path, env, message):
    from core import config
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=message):
        config.from_environment(str(tmp_path))
