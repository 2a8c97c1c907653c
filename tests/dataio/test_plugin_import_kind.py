"""A plugin that only adds an import kind (the imagined sterilisation plugin of
``tests/sterilisation/imports.py``), registered through ``build_manager``'s ``extra``: its
kind is imported through the API and the CLI like the core's own, with every bad line
reported and nothing written unless every line is good."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from core import create_app
from core.dataio.cli import import_command
from core.extensions import db
from tests.sterilisation import imports as sterilisation

NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture
def steri_app(app, database_url):
    """The test app's database, with the sterilisation plugin registered and its table made."""
    plugin_app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t", "TESTING": True,
                             "BEKWAAM_DISABLED_PLUGINS": [],
                             "BEKWAAM_EXTRA_PLUGINS": [(sterilisation.NAME, sterilisation.SterilisationImports())]})
    with plugin_app.app_context():
        sterilisation.METADATA.create_all(db.engine)
    yield plugin_app
    with plugin_app.app_context():
        db.session.remove()
        sterilisation.METADATA.drop_all(db.engine)
        db.engine.dispose()


def upload(client, headers, content: bytes, **query):
    qs = "&".join(f"{k}={str(v).lower()}" for k, v in query.items())
    return client.post("/api/v1/imports/sterilisatie" + (f"?{qs}" if qs else ""), headers=headers,
                       data={"file": (io.BytesIO(content), "register.csv")}, content_type="multipart/form-data")


def stored(plugin_app) -> list[tuple]:
    table = sterilisation.CERTIFICATES
    with plugin_app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(table.c.number, table.c.valid_until).order_by(table.c.number))]


def test_the_kind_exists_only_where_the_plugin_is_registered(app, steri_app, make):
    _, admin = make.user("admin")
    assert upload(app.test_client(), admin, b"Personeelsnummer\n1\n").status_code == 404
    assert upload(steri_app.test_client(), admin, b"Personeelsnummer\n1\n").status_code == 422  # columns missing


def test_bad_rows_are_reported_by_line_and_nothing_is_written(steri_app, make):
    make.staff(employee_number="5001")
    _, admin = make.user("admin")
    content = ("Personeelsnummer;Certificaatnummer;Geldig tot\n"
               f"5001;STER-1;31-12-{NEXT_YEAR}\n"
               f"9999;STER-2;31-12-{NEXT_YEAR}\n"          # nobody with this number
               "5001;STER-3;31-02-2030\n"                   # no such date
               f"5001;STER-1;01-01-{NEXT_YEAR}\n"           # the same certificate twice
               "5001;STER-4;01-01-2020\n"                   # expired
               ";STER-5;\n").encode()
    response = upload(steri_app.test_client(), admin, content)
    assert response.status_code == 422
    assert response.json["errors"] == {
        "line 3": ["employee_number: no staff member with number '9999'."],
        "line 4": ["valid_until: '31-02-2030' is not an existing date."],
        "line 5": ["duplicate: the same key as line 2."],
        "line 6": ["valid_until: the certificate expired on 2020-01-01."],
        "line 7": ["employee_number: empty, but required.", "valid_until: empty, but required."],
    }
    assert stored(steri_app) == []


def test_a_good_register_is_written_and_a_second_import_updates_it(steri_app, make):
    make.staff(employee_number="5001")
    make.staff(employee_number="5002")
    _, admin = make.user("admin")
    client = steri_app.test_client()
    first = ("personeelsnummer,certificaatnummer,geldig tot\n"
             f"5001,STER-1,{NEXT_YEAR}-06-30\n5002,STER-2,30-06-{NEXT_YEAR}\n").encode()
    assert upload(client, admin, first, dry_run=True).json["counts"]["created"] == 2
    assert stored(steri_app) == []
    report = upload(client, admin, first).json
    assert [(r["line"], r["status"]) for r in report["rows"]] == [(2, "created"), (3, "created")]
    again = upload(client, admin, f"employee number,certificate number,valid until\n5001,STER-1,{NEXT_YEAR}-07-31\n"
                   .encode()).json
    assert again["rows"][0]["status"] == "updated" and again["rows"][0]["changed"] == ["valid_until"]
    assert stored(steri_app) == [("STER-1", dt.date(NEXT_YEAR, 7, 31)), ("STER-2", dt.date(NEXT_YEAR, 6, 30))]


def test_the_command_line_imports_the_kind_the_same_way(steri_app, make, tmp_path):
    make.staff(employee_number="5001")
    path = tmp_path / "register.csv"
    path.write_text(f"Personeelsnummer;Certificaatnummer;Geldig tot\n5001;STER-1;31-12-{NEXT_YEAR}\n"
                    "5001;STER-2;gisteren\n", encoding="utf-8")
    runner = steri_app.test_cli_runner()
    result = runner.invoke(import_command, ["sterilisatie", str(path)])
    assert result.exit_code == 1
    assert "line 3: rejected: valid_until: 'gisteren' is not a date" in result.output
    assert stored(steri_app) == []
    result = runner.invoke(import_command, ["sterilisatie", str(path), "--partial"])
    assert result.exit_code == 0, result.output
    assert stored(steri_app) == [("STER-1", dt.date(NEXT_YEAR, 12, 31))]
