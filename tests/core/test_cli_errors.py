"""Every expected fault of a command is one ``Error: ...`` line and a non-zero exit, never a traceback."""
from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from core.cli import cli

OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _one_error_line(result, code=1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: ") and sum(line.startswith("Error: ") for line in lines) == 1, result.output
    return lines[-1]


def _run(args, url):
    return CliRunner().invoke(cli, args, env={"BEKWAAM_DATABASE_URL": url})


def test_missing_database_folder(tmp_path):
    line = _one_error_line(_run(["users", "create", "--email", "a@b.nl", "--role", "admin"],
                                "sqlite:///" + str(tmp_path / "no-such-folder" / "x.sqlite")))
    assert "the database cannot be reached" in line


def test_unreachable_server():
    line = _one_error_line(_run(["db", "upgrade"], "postgresql://nobody@127.0.0.1:1/bekwaam"))
    assert "the database cannot be reached (127.0.0.1:1/bekwaam)" in line


def test_unmigrated_database(tmp_path):
    line = _one_error_line(_run(["export", "staff", str(tmp_path / "s.csv")], "sqlite:///" + str(tmp_path / "x.sqlite")))
    assert "the database is not migrated" in line and "bekwaam db upgrade" in line


class _Runner:
    """The whole `bekwaam` group against the test app (its BekwaamGroup turns database faults into errors)."""

    def __init__(self, app):
        self.app = app

    def invoke(self, args):
        return self.app.test_cli_runner().invoke(cli, args)


@pytest.fixture
def runner(app):
    return _Runner(app)


def test_restore_bad_json(runner, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text('{"format": "bekwaam-backup", ')
    assert "is not a Bekwaam backup (not JSON" in _one_error_line(runner.invoke(args=["restore", str(path)]))


def test_restore_json_that_is_no_backup(runner, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps([1, 2]))
    assert "not a JSON object" in _one_error_line(runner.invoke(args=["restore", str(path)]))


@pytest.mark.parametrize("command", [["export", "staff"], ["backup"]])
def test_missing_output_folder(runner, tmp_path, command):
    target = str(tmp_path / "no-such-folder" / "out.csv")
    assert "no such file or folder (create the folder first)" in _one_error_line(runner.invoke(args=[*command, target]))


def test_unknown_export_filter(runner, tmp_path):
    line = _one_error_line(runner.invoke(args=["export", "staff", str(tmp_path / "s.csv"), "--filter", "colour=red"]))
    assert "unknown filter colour for staff; known: active" in line


def test_bad_export_filter_value(runner, tmp_path):
    line = _one_error_line(runner.invoke(args=["export", "staff", str(tmp_path / "s.csv"), "--filter", "active=maybe"]))
    assert line == "Error: bad filter: active: Not a valid boolean."


@pytest.mark.parametrize("name", ["personeel.xls", "personeel.csv"])
def test_import_of_an_old_excel_file(runner, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(OLD_EXCEL)
    assert "old Excel file (.xls)" in _one_error_line(runner.invoke(args=["import", "staff", str(path)]))


def test_import_of_a_binary_file(runner, tmp_path):
    path = tmp_path / "scan.csv"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02")
    assert "not a CSV text file or an XLSX workbook" in _one_error_line(runner.invoke(args=["import", "staff", str(path)]))


def test_import_of_an_unreadable_file(runner, tmp_path):
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    result = runner.invoke(args=["import", "staff", str(folder)])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_stray_bytes_in_a_csv_are_not_a_crash(runner, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes("Personeelsnummer;Naam\r\n7001;Jans\x81en\r\n".encode("latin-1"))
    result = runner.invoke(args=["import", "staff", str(path), "--dry-run"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_api_import_of_an_old_excel_file_is_422(client, admin):
    response = client.post("/api/v1/imports/staff", headers=admin, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(OLD_EXCEL), "personeel.xls")})
    assert response.status_code == 422
    assert "old Excel file" in response.json["errors"]["file"][0]


def test_web_import_of_an_old_excel_file_is_422(app, make, tmp_path, monkeypatch):
    from tests.web.conftest import login_as

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    user_id, _ = make.user("admin")
    client = app.test_client()
    login_as(client, user_id)
    response = client.post("/imports", content_type="multipart/form-data",
                           data={"kind": "staff", "mapping": "0", "file": (io.BytesIO(OLD_EXCEL), "personeel.xls")})
    assert response.status_code == 422
    assert "oud Excel-bestand" in response.get_data(as_text=True)
