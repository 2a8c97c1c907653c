"""The data in/out tests' app: the shared one, plus this package's blueprint and
commands while core/__init__.py and core/cli.py do not register them yet."""
from __future__ import annotations

import io

import pytest

import core.dataio.models  # noqa: F401  (the tables on the metadata, so each test's data is deleted)


@pytest.fixture(scope="session")
def app(database_url):
    from core.dataio.api import blp
    from core.dataio.cli import COMMANDS
    from core.extensions import api, csrf
    from tests.conftest import _APPS, empty_database, migrated_app

    app = migrated_app(database_url)
    if "dataio" not in app.blueprints:
        api.register_blueprint(blp)  # the Api is bound to the app built last: this one
        csrf.exempt(blp)
    for command in COMMANDS:
        if command.name not in app.cli.commands:
            app.cli.add_command(command)
    _APPS.append(app)
    empty_database(app)
    return app


@pytest.fixture
def upload(client, admin):
    """POST a file to /imports/{kind}; returns the response."""
    def post(kind, content: bytes, filename="file.csv", headers=None, **query):
        params = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in query.items())
        response = client.post(f"/api/v1/imports/{kind}" + (f"?{params}" if params else ""),
                               data={"file": (io.BytesIO(content), filename)},
                               headers=headers or admin, content_type="multipart/form-data")
        response.get_data()
        response.close()  # closes the request's input stream (a temp file for a large upload)
        return response
    return post


def rows_of(report) -> list[tuple]:
    """(line, status, reasons) of every row: what the exact-report tests compare."""
    return [(r["line"], r["status"], r["reasons"]) for r in report["rows"]]
