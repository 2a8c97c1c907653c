"""Safe defaults for a deployed app: a secret key, health checks, a database that is away."""
from __future__ import annotations

import pytest

from core import create_app


def _fresh(tmp_path, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "fresh.sqlite"),
                       "SECRET_KEY": "s", **config})


def test_a_served_app_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BEKWAAM_SECRET_KEY", raising=False)
    monkeypatch.setenv("BEKWAAM_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite"))
    with pytest.raises(SystemExit) as exit_:
        create_app()
    assert exit_.value.code == 3  # gunicorn's "worker failed to boot": it stops, no endless respawn
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("Error: BEKWAAM_SECRET_KEY is not set")


def test_the_secret_key_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BEKWAAM_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("BEKWAAM_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite"))
    assert create_app().secret_key == "from-the-environment"


@pytest.mark.parametrize("name, value, says", [
    ("BEKWAAM_ALERT_HORIZONS", "90,dertig", "BEKWAAM_ALERT_HORIZONS='90,dertig' must be whole numbers"),
    ("BEKWAAM_SMTP_PORT", "smtp", "BEKWAAM_SMTP_PORT='smtp' is not a whole number"),
    ("BEKWAAM_RETENTION_YEARS", "-1", "BEKWAAM_RETENTION_YEARS='-1' must be at least 0"),
    ("BEKWAAM_UPLOAD_MAX_BYTES", "0", "BEKWAAM_UPLOAD_MAX_BYTES='0' must be at least 1"),
    ("BEKWAAM_TIMEZONE", "Europe/Amsterdamm", "is not a time zone name"),
    ("BEKWAAM_SCHEDULE", "every day", "is not a crontab line"),
    ("BEKWAAM_ALERT_HORIZONS_BY_ROLE", "{user: 30}", "must be a JSON object"),
    ("BEKWAAM_BIG_REREGISTRATION_EFFECTIVE_DATE", "1-1-2030", "is not a date"),
    ("BEKWAAM_BIG_WARN_MONTHS", "twaalf", "whole months"),
    ("BEKWAAM_DATABASE_URL", "bekwaam.sqlite", "is not a database URL"),
    ("BEKWAAM_DISABLED_PLUGINS", "big_kt,vzi", "BEKWAAM_DISABLED_PLUGINS names vzi, which is not an installed plugin"),
])
def test_a_bad_setting_is_one_error_line_from_every_command(tmp_path, monkeypatch, name, value, says):
    from click.testing import CliRunner

    from core.cli import cli

    monkeypatch.setenv("BEKWAAM_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite"))
    result = CliRunner().invoke(cli, ["plugins"], env={name: value})
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [result.stderr.strip()] and result.stderr.startswith("Error: ")
    assert says in result.stderr
    assert "Traceback" not in result.output


def test_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BEKWAAM_ALERT_HORIZONS", "60, 14")
    monkeypatch.setenv("BEKWAAM_UPLOAD_MAX_BYTES", "1048576")
    app = _fresh(tmp_path)
    assert app.config["BEKWAAM_ALERT_HORIZONS"] == [60, 14] and app.config["BEKWAAM_UPLOAD_MAX_BYTES"] == 1048576


def test_healthz_answers_without_the_database(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-folder/x.sqlite", "SECRET_KEY": "s"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_when_migrated(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200 and response.json["status"] == "ready"


def test_readyz_names_the_branches_not_migrated(tmp_path):
    response = _fresh(tmp_path).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "reachable"
    assert {m.split(" ")[0] for m in response.json["missing"]} == {"core", "big_kt", "leidraad", "vzi_mt"}


def test_readyz_ignores_a_disabled_plugins_branch(tmp_path):
    from flask_migrate import upgrade

    app = _fresh(tmp_path, BEKWAAM_DISABLED_PLUGINS=["big_kt"])
    with app.app_context():
        upgrade(revision="core@head")
        upgrade(revision="vzi_mt@head")
        upgrade(revision="leidraad@head")
    assert app.test_client().get("/readyz").status_code == 200


def test_readyz_when_the_database_is_away():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-folder/x.sqlite", "SECRET_KEY": "s"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_a_request_while_the_database_is_away_is_503_not_500():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-folder/x.sqlite", "SECRET_KEY": "s",
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    api = client.get("/api/v1/staff", headers={"Authorization": "Bearer whatever"})
    assert api.status_code == 503 and api.json["code"] == 503 and "database" in api.json["message"]
    page = client.post("/login", data={"email": "a@b.nl", "password": "0123456789"})
    assert page.status_code == 503 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "Tijdelijk niet beschikbaar" in text and "Temporarily unavailable" in text


def test_the_engine_checks_a_connection_before_use(app):
    with app.app_context():
        from core.extensions import db
        assert db.engine.pool._pre_ping


def test_demo_refuses_a_database_that_holds_data(app, make):
    make.user("admin", email="beheer@ziekenhuis.nl")
    from core.cli import cli

    result = app.test_cli_runner().invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert result.output.startswith("Error: this database already holds data (user_account)")
    with app.app_context():
        from sqlalchemy import select

        from core.auth.models import User
        from core.extensions import db
        assert db.session.scalar(select(User.id).where(User.email == "admin@bekwaam.demo")) is None
